// Each source's network side, by name: what dist/network.js and the CLI open. The mapped type makes the compiler ask
// for a new source's line here once its definition is in src/sources/registry.ts.
import type { SourceAdapterModule } from './adapter-contract.js';
import type { SourceName } from './registry.js';
import { adapter as agenthub } from './agenthub/adapter.js';
import { adapter as tracker } from './tracker/adapter.js';
import { adapter as taskmaster } from './taskmaster/adapter.js';
import { adapter as backlog } from './backlog/adapter.js';
import { adapter as mcp } from './mcp/adapter.js';
import { adapter as embedded } from './embedded/adapter.js';
import { adapter as github } from './github/adapter.js';

export const ADAPTERS: { readonly [N in SourceName]: SourceAdapterModule<N> } = {
  agenthub,
  tracker,
  taskmaster,
  backlog,
  mcp,
  embedded,
  github,
};
