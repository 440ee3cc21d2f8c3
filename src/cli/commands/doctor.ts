import os from 'node:os';
import { loadSettings } from '../../config/settings.js';
import { defineCommand } from '../args.js';
import type { Command } from '../command.js';
import { dirFlag, dirFromFlags, JSON_FLAG } from '../flags.js';
import { paint, printJson, progress } from '../output.js';

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
      if (values.json) {
        printJson(ctx.out, { ok, steps });
      } else {
        const width = Math.max(...steps.map((s) => s.name.length));
        for (const s of steps) {
          const mark = s.unknown
            ? paint(ctx.out, 'yellow', '?')
            : s.ok
              ? paint(ctx.out, 'green', '✓')
              : paint(ctx.out, 'red', '✗');
          const time = paint(ctx.out, 'dim', `${String(s.ms).padStart(5)} ms`);
          ctx.out.stdout.write(
            `${mark} ${s.name.padEnd(width)}  ${time}  ${s.detail.split('\n').join(`\n${' '.repeat(width + 13)}`)}\n`,
          );
          if (s.fix) ctx.out.stdout.write(`${' '.repeat(width + 13)}${paint(ctx.out, 'yellow', 'fix:')} ${s.fix}\n`);
        }
        const unknown = steps.filter((s) => s.unknown).length;
        const untold = unknown > 0 ? ` (${unknown} marked ? could not be told)` : '';
        ctx.out.stdout.write(
          ok ? `All checks passed${untold}.\n` : `${steps.filter((s) => !s.ok).length} check(s) failed${untold}.\n`,
        );
      }
      return ok ? 0 : 1;
    },
  }),
];
