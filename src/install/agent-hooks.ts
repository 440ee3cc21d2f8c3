// Another agent's hook registrations as install writes them: the adapter's bindings (src/agents), each a command
// that runs the same hook entry as Claude Code's with `--agent=<id>`, in the shape of a Claude Code settings file's
// `hooks` (which Codex's hooks.json and Gemini CLI's and Qwen Code's settings.json share), the timeout in the
// agent's unit; for Copilot CLI, its own handlers (`bash`, `timeoutSec`), each naming its event.
import type { AgentAdapter } from '../agents/agent.js';
import { HOOKS_BY_NAME, type HookName } from '../hooks/events/events.js';
import { shellQuote } from './paths.js';
import type { FlatHandler, HookEntry, SettingsHook } from './settings.js';

function isHookName(name: string): name is HookName {
  return name in HOOKS_BY_NAME;
}

/** The agent's events, each with one group of command hooks (Copilot CLI: one handler). */
export function desiredAgentHooks(agent: AgentAdapter, t: { node: string; root: string }): Record<string, HookEntry> {
  return Object.fromEntries(
    agent.bindings.map((b) => {
      const hooks = b.hooks.filter(isHookName).map(
        (name): SettingsHook => ({
          type: 'command',
          command: `${shellQuote(t.node)} ${shellQuote(`${t.root}/dist/hooks/${name}.js`)} --agent=${agent.id}`,
          timeout: (HOOKS_BY_NAME[name].timeout * 1000) / agent.timeoutUnitMs,
        }),
      );
      return [b.event, agent.format === 'copilot' ? flatHandler(hooks[0], b.event) : { matcher: b.matcher, hooks }];
    }),
  );
}

/** Copilot CLI's handler of one command, which its input does not name the event of. */
function flatHandler(hook: SettingsHook | undefined, event: string): FlatHandler {
  if (hook?.type !== 'command') throw new Error(`a Copilot CLI binding of ${event} runs no command`);
  return { type: 'command', bash: `${hook.command} --event=${event}`, timeoutSec: hook.timeout };
}
