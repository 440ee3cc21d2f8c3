// The built-in task store ($TASKHOOKS_HOME/tasks.db), served by the monitor or opened in process.
import { AGENTHUB_STATUSES, definition as agenthub } from '../agenthub/definition.js';
import { definition as tracker } from '../tracker/definition.js';
import { defineSource } from '../contract.js';

export const definition = defineSource({
  name: 'embedded',
  summary: 'the built-in task store (tasks.db in the state directory): what runs with nothing configured',
  capabilities: { ...agenthub.capabilities },
  words: { statuses: AGENTHUB_STATUSES },
  // The embedded store is served with both the agenthub and the tracker tools.
  changingTools: [...agenthub.changingTools, ...tracker.changingTools],
  plan: () => ({ kind: 'embedded' }),
});
