// What a person should read once install has planned its changes: where the source was found, how the agent approves
// the hooks.
import type { AgentAdapter } from '../../agents/agent.js';
import type { SettingsScope } from '../paths.js';
import type { Plan } from './plan.js';
import type { SourceChoice } from '../writing/project-config.js';

export function addClosingNotes(
  plan: Plan,
  o: { agent: AgentAdapter; dir: string; scope: SettingsScope; source: SourceChoice; env: NodeJS.ProcessEnv },
  target: string,
): void {
  if (o.source.found) plan.notes.push(`the ${o.source.adapter} source: found ${o.source.found}`);
  const approval = o.agent.approvalLine({ dir: o.dir, scope: o.scope, file: target }, false);
  if (approval) plan.notes.push(approval);
}
