// Every task source taskhooks knows, in the order an unset `source.adapter` is inferred: a new source is its folder
// and one line here (and its adapter's line in src/sources/adapters.ts, which the compiler asks for).
// Light: definitions only, so hooks, the config schema and install may read it.
import { definition as agenthub } from './agenthub/definition.js';
import { definition as tracker } from './tracker/definition.js';
import { definition as taskmaster } from './taskmaster/definition.js';
import { definition as backlog } from './backlog/definition.js';
import { definition as mcp } from './mcp/definition.js';
import { definition as embedded } from './embedded/definition.js';
import { definition as github } from './github/definition.js';

export const SOURCES = [agenthub, tracker, taskmaster, backlog, mcp, embedded, github] as const;

export type SourceDefinitionOf = (typeof SOURCES)[number];
export type SourceName = SourceDefinitionOf['name'];

export const SOURCE_NAMES = SOURCES.map((d) => d.name) as readonly SourceName[] as readonly [
  SourceName,
  ...SourceName[],
];

const BY_NAME: ReadonlyMap<string, SourceDefinitionOf> = new Map(SOURCES.map((d) => [d.name, d]));

export function definitionOf<N extends SourceName>(name: N): Extract<SourceDefinitionOf, { name: N }> {
  return BY_NAME.get(name) as Extract<SourceDefinitionOf, { name: N }>;
}

export const isSourceName = (name: string): name is SourceName => BY_NAME.has(name);
