import os from 'node:os';
import { loadSettings } from '../../config/settings.js';
import type { DoctorStep } from '../../doctor/step.js';
import { defineCommand } from '../args.js';
import type { Command } from '../command.js';
import { dirFlag, dirFromFlags, JSON_FLAG } from '../flags.js';
import { foldLines, paint, printJson, progress, type Out } from '../output.js';

export const doctorCommands: Command[] = [
  defineCommand({
    name: 'doctor',
    summary: 'Check config, cache, auth, the task server and hook installation, with a fix for each failure',
    description:
      'Each step is timed and tried for real: auth obtains a token, the server answers tools/list and a pending-task query.\n' +
      'Exits 1 when a check fails.',
    flags: { dir: dirFlag('check the project in this directory (default: the working directory)'), json: JSON_FLAG },
    examples: [{ command: 'taskhooks doctor' }, { command: 'taskhooks doctor --dir ~/src/shop' }],
    allowInvalidConfig: true,
    async run(ctx, { values }) {
      const dir = dirFromFlags(ctx, values, ctx.cwd);
      const loaded = values.dir ? await loadSettings({ cwd: dir, env: ctx.env }) : ctx.loaded;
      // The doctor drives the network stack: loaded only when it runs, like every live fetch.
      const { runDoctor } = await import('../../doctor/index.js');
      const done = progress(ctx.out, 'checking config, cache, auth and the task server');
      const steps = await runDoctor({
        loaded,
        log: ctx.log(),
        cwd: dir,
        env: ctx.env,
        homeDir: ctx.env.HOME ?? os.homedir(),
      }).finally(done);
      const ok = steps.every((s) => s.ok);
      if (values.json) printJson(ctx.out, { ok, steps });
      else printSteps(ctx.out, steps, (ctx.out.stdout as { columns?: number }).columns);
      return ok ? 0 : 1;
    },
  }),
];

/**
 * The steps as rows: mark, name, time, then the detail and fix, every line under the first indented. On a terminal
 * (`columns` known) each line is folded to its width; a pipe gets each line whole, for grep.
 */
export function printSteps(out: Out, steps: readonly DoctorStep[], columns: number | undefined): void {
  const width = Math.max(...steps.map((s) => s.name.length));
  const indent = ' '.repeat(width + 14);
  const folded = (text: string): string =>
    (columns === undefined ? text.split('\n') : foldLines(text, Math.max(40, columns - indent.length))).join(
      `\n${indent}`,
    );
  for (const s of steps) {
    const mark = s.unknown ? paint(out, 'yellow', '?') : s.ok ? paint(out, 'green', '✓') : paint(out, 'red', '✗');
    const time = paint(out, 'dim', `${String(s.ms).padStart(5)} ms`);
    out.stdout.write(`${mark} ${s.name.padEnd(width)}  ${time}  ${folded(s.detail)}\n`);
    if (s.fix) out.stdout.write(`${indent}${paint(out, 'yellow', 'fix:')} ${folded(s.fix)}\n`);
  }
  const unknown = steps.filter((s) => s.unknown).length;
  const untold = unknown > 0 ? ` (${unknown} marked ? could not be told)` : '';
  const failed = steps.filter((s) => !s.ok).length;
  out.stdout.write(failed === 0 ? `All checks passed${untold}.\n` : `${failed} check(s) failed${untold}.\n`);
}
