// `taskhooks context`: what the hooks would inject here, and why — through the very runners the hooks use.
import path from 'node:path';
import { loadSettings } from '../../config/settings.js';
import { openCache, type Cache } from '../../cache/cache.js';
import { explain, preToolUseHook, runHookPipeline, sessionStartHook, type HookResult } from '../../hooks/index.js';
import { defineCommand, quoted, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { dirFlag, dirFromFlags } from '../flags.js';
import { paint, printJson } from '../output.js';
import { scrubString } from '../../log/redact.js';

const FLAGS = {
  dir: dirFlag('preview for the project in this directory (default: the working directory)'),
  cwd: { type: 'string', placeholder: 'DIR', hidden: true, description: 'the old spelling of --dir' },
  event: {
    type: 'string',
    placeholder: 'EVENT',
    default: 'session-start',
    description: 'session-start (default) or pre-tool-use: which hook to run',
  },
  tool: {
    type: 'string',
    placeholder: 'NAME',
    description: 'pre-tool-use: the tool Claude is about to call (default: Bash with --command, else Edit)',
  },
  file: {
    type: 'string',
    placeholder: 'PATH',
    description: 'pre-tool-use: the file the tool edits (default: example.ts)',
  },
  command: {
    type: 'string',
    placeholder: 'CMD',
    description: 'pre-tool-use: the Bash command line (default: git commit)',
  },
  session: {
    type: 'string',
    placeholder: 'ID',
    description: 'the session id in the hook input (default: one per preview)',
  },
  offline: { type: 'boolean', description: 'use only the cache: never ask the task server' },
  json: { type: 'boolean', description: 'print the hook input, its output and the reasons as JSON' },
} as const;

/** The hook input Claude Code would send for this preview. */
function previewInput(
  values: { event: string; tool?: string; file?: string; command?: string; session?: string },
  cwd: string,
): Record<string, unknown> {
  const base = { session_id: values.session ?? `taskhooks-context-${process.pid}`, cwd, transcript_path: '' };
  if (values.event === 'session-start') return { ...base, hook_event_name: 'SessionStart', source: 'startup' };
  const tool = values.tool ?? (values.command ? 'Bash' : 'Edit');
  const toolInput =
    tool === 'Bash'
      ? { command: values.command ?? 'git commit' }
      : { file_path: path.resolve(cwd, values.file ?? 'example.ts') };
  return { ...base, hook_event_name: 'PreToolUse', tool_name: tool, tool_input: toolInput };
}

export const contextCommands: Command[] = [
  defineCommand({
    name: 'context',
    summary: 'Show exactly what the hooks would inject here, and why (cache age, source, which policy spoke)',
    description:
      'Runs the hook code Claude Code runs, as a dry run: no alert is marked shown, no project registered, no monitor started.',
    flags: FLAGS,
    examples: [
      { command: 'taskhooks context', description: 'what a session starting here is told' },
      {
        command: 'taskhooks context --event pre-tool-use --command "git push origin main"',
        description: 'what the guards say to a push',
      },
      {
        command: 'taskhooks context --dir ~/src/shop --offline',
        description: "another project's context, from the cache only",
      },
    ],
    // The hooks run with a broken config (defaults stand in); so must the preview, and say so.
    allowInvalidConfig: true,
    async run(ctx, { values }) {
      if (values.event !== 'session-start' && values.event !== 'pre-tool-use')
        throw new UsageError(`--event must be session-start or pre-tool-use, not ${quoted(values.event)}`);
      if (values.cwd !== undefined) ctx.out.stderr.write(`taskhooks: --cwd is deprecated, use --dir ${values.cwd}\n`);
      const given = values.dir ?? values.cwd;
      const cwd = dirFromFlags(ctx, { dir: given }, ctx.cwd);
      const { settings, loaded } = given ? await loadSettings({ cwd, env: ctx.env }) : ctx.loaded;
      const log = ctx.log();
      const input = previewInput({ ...values, event: values.event }, cwd);
      let cache: Cache | undefined;
      let result: HookResult;
      try {
        result = await runHookPipeline(values.event === 'session-start' ? sessionStartHook : preToolUseHook, input, {
          log: () => log,
          settings: async () => settings,
          openCache: () => (cache = openCache({ home: settings.home, log })),
          deps: { allowNetwork: !values.offline, ensureMonitor: false, dryRun: true },
        });
      } finally {
        cache?.close();
      }
      const problems = loaded.problems.map((p) => p.message);
      if (values.json) {
        printJson(ctx.out, {
          event: values.event,
          input,
          output: result.output,
          why: explain(result.trace),
          configProblems: problems,
        });
        return 0;
      }
      const out = ctx.out.stdout;
      const hso = result.output?.hookSpecificOutput;
      const name = values.event === 'session-start' ? 'SessionStart' : `PreToolUse (${String(input.tool_name)})`;
      if (!hso) out.write(`${paint(ctx.out, 'bold', name)} would inject nothing.\n`);
      else {
        if (hso.permissionDecision)
          out.write(
            `${paint(ctx.out, 'bold', name)} would answer ${paint(ctx.out, 'yellow', hso.permissionDecision)}: ${hso.permissionDecisionReason ?? ''}\n`,
          );
        if (hso.additionalContext !== undefined) {
          out.write(
            `${paint(ctx.out, 'bold', name)} would inject ${hso.additionalContext.length} characters:\n\n${hso.additionalContext}\n\n`,
          );
        }
      }
      out.write(
        `${paint(ctx.out, 'dim', 'Why:')}\n${explain(result.trace)
          .map((w) => `  - ${scrubString(w)}`)
          .join('\n')}\n`,
      );
      if (problems.length > 0)
        out.write(
          `${paint(ctx.out, 'yellow', 'Config problems (the hooks use the defaults meanwhile):')}\n${problems.map((p) => `  - ${p}`).join('\n')}\n`,
        );
      return 0;
    },
  }),
];
