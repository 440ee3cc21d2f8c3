// Another agent's hook registrations as install writes them: the adapter's bindings (src/agents), each a command
// that runs the same hook entry as Claude Code's with `--agent=<id>`, in the shape of a Claude Code settings file's
// `hooks` (which Codex's hooks.json and Gemini CLI's settings.json share), the timeout in the agent's unit.
import type { AgentAdapter } from '../agents/agent.js';
import { HOOKS_BY_NAME, type HookName } from '../hooks/events/events.js';
import { shellQuote } from './paths.js';
import type { MatcherGroup, SettingsHook } from './settings.js';

function isHookName(name: string): name is HookName {
  return name in HOOKS_BY_NAME;
}

/** The agent's events, each with one group of command hooks. */
export function desiredAgentHooks(
  agent: AgentAdapter,
  t: { node: string; root: string },
): Record<string, MatcherGroup> {
  return Object.fromEntries(
    agent.bindings.map((b) => [
      b.event,
      {
        matcher: b.matcher,
        hooks: b.hooks.filter(isHookName).map(
          (name): SettingsHook => ({
            type: 'command',
            command: `${shellQuote(t.node)} ${shellQuote(`${t.root}/dist/hooks/${name}.js`)} --agent=${agent.id}`,
            timeout: (HOOKS_BY_NAME[name].timeout * 1000) / agent.timeoutUnitMs,
          }),
        ),
      },
    ]),
  );
}
