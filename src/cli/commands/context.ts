// `taskhooks context`: what the hooks would inject here, and why — through the very runners the hooks use.
import path from 'node:path';
import { loadSettings } from '../../config/settings.js';
import { openStore } from '../../cache/store.js';
import { preToolUse } from '../../hooks/pre-tool-use.js';
import { sessionStart } from '../../hooks/session-start.js';
import type { HookResult } from '../../hooks/types.js';
import { parseFlags } from '../args.js';
import { UserError } from '../../errors/user.js';
import { type Command } from '../command.js';
import { paint, printJson } from '../output.js';

const USAGE =
  'taskhooks context [--cwd DIR] [--event session-start|pre-tool-use] [--tool NAME] [--file PATH] [--command CMD] [--session ID] [--offline] [--json]';

const FLAGS = {
  cwd: { type: 'string' },
  event: { type: 'string', default: 'session-start' },
  tool: { type: 'string' },
  file: { type: 'string' },
  command: { type: 'string' },
  session: { type: 'string' },
  offline: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** The hook input Claude Code would send for this preview. */
function previewInput(values: { event: string; tool?: string; file?: string; command?: string; session?: string }, cwd: string): Record<string, unknown> {
  const base = { session_id: values.session ?? `taskhooks-context-${process.pid}`, cwd, transcript_path: '' };
  if (values.event === 'session-start') return { ...base, hook_event_name: 'SessionStart', source: 'startup' };
  const tool = values.tool ?? (values.command ? 'Bash' : 'Edit');
  const toolInput = tool === 'Bash' ? { command: values.command ?? 'git commit' } : { file_path: path.resolve(cwd, values.file ?? 'example.ts') };
  return { ...base, hook_event_name: 'PreToolUse', tool_name: tool, tool_input: toolInput };
}

export const contextCommands: Command[] = [
  {
    name: 'context',
    summary: 'Show exactly what the hooks would inject here, and why (cache age, source, which policy spoke)',
    usage: USAGE,
    // The hooks run with a broken config (defaults stand in); so must the preview, and say so.
    allowInvalidConfig: true,
    async run(ctx) {
      const { values } = parseFlags(ctx.args, FLAGS, USAGE);
      if (values.event !== 'session-start' && values.event !== 'pre-tool-use') {
        throw new UserError(`--event must be session-start or pre-tool-use, not "${values.event}" (usage: ${USAGE})`, 2);
      }
      const cwd = path.resolve(ctx.cwd, values.cwd ?? '.');
      const { settings, loaded } = values.cwd ? await loadSettings({ cwd, env: ctx.env }) : ctx.loaded;
      const log = ctx.log();
      const store = openStore({ home: settings.home, log });
      const input = previewInput({ ...values, event: values.event }, cwd);
      let result: HookResult;
      try {
        const deps = { settings, store, log, allowNetwork: !values.offline, ensureMonitor: false, dryRun: true };
        result = values.event === 'session-start' ? await sessionStart(input, deps) : await preToolUse(input, deps);
      } finally {
        store.close();
      }
      const problems = loaded.problems.map((p) => p.message);
      if (values.json) {
        printJson(ctx.out, { event: values.event, input, output: result.output, why: result.why, configProblems: problems });
        return 0;
      }
      const out = ctx.out.stdout;
      const hso = result.output?.hookSpecificOutput;
      const name = values.event === 'session-start' ? 'SessionStart' : `PreToolUse (${String(input.tool_name)})`;
      if (!hso) out.write(`${paint(ctx.out, 'bold', name)} would inject nothing.\n`);
      else {
        if (hso.permissionDecision) out.write(`${paint(ctx.out, 'bold', name)} would answer ${paint(ctx.out, 'yellow', hso.permissionDecision)}: ${hso.permissionDecisionReason ?? ''}\n`);
        if (hso.additionalContext !== undefined) {
          out.write(`${paint(ctx.out, 'bold', name)} would inject ${hso.additionalContext.length} characters:\n\n${hso.additionalContext}\n\n`);
        }
      }
      out.write(`${paint(ctx.out, 'dim', 'Why:')}\n${result.why.map((w) => `  - ${w}`).join('\n')}\n`);
      if (problems.length > 0) out.write(`${paint(ctx.out, 'yellow', 'Config problems (the hooks use the defaults meanwhile):')}\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
      return 0;
    },
  },
];
