import { loadSettings } from '../../config/settings.js';
import { configKeys } from '../../config/keys.js';
import { displayValue } from '../../config/display.js';
import { originFor } from '../../config/layers.js';
import { getAt } from '../../util/object.js';
import { describeOrigin } from '../../config/origin.js';
import { describeSource, sourceName } from '../../sources/describe.js';
import { defineCommand } from '../args.js';
import type { Command } from '../command.js';
import { dirFlag, dirFromFlags, JSON_FLAG } from '../flags.js';
import { paint, printJson, table } from '../output.js';

export const configCommands: Command[] = [
  defineCommand({
    name: 'config',
    summary: 'Show the effective configuration, each value with where it came from (secrets masked)',
    description:
      'Merges the environment, the project file (.claude/taskhooks.json), the user file ($TASKHOOKS_HOME/config.json) and the defaults,\n' +
      'as the hooks see them in that directory. Exits 2 when the configuration has problems (each is printed).',
    flags: {
      dir: dirFlag('show the configuration that applies in this directory (default: the working directory)'),
      json: JSON_FLAG,
    },
    examples: [
      { command: 'taskhooks config' },
      {
        command: 'taskhooks config --dir ~/src/shop --json',
        description: "another project's configuration, for a script",
      },
    ],
    allowInvalidConfig: true,
    async run(ctx, { values }) {
      const dir = dirFromFlags(ctx, values, ctx.cwd);
      const { loaded, settings } = values.dir ? await loadSettings({ cwd: dir, env: ctx.env }) : ctx.loaded;
      const plan = settings.source.plan;
      const source = describeSource(plan, settings.home, ctx.log());
      // Keys with no value (optional, unset) are listed too, so people can see every key there is.
      const rows = configKeys().map((key) => {
        const value = getAt(loaded.config, key.split('.'));
        // An unset adapter is inferred from what else is set: show what it came to, not a blank.
        if (key === 'source.adapter' && value === undefined)
          return { key, value: sourceName(plan), from: `inferred: ${source}` };
        return {
          key,
          value: value === undefined ? '' : displayValue(key, value),
          from: describeOrigin(originFor(key, loaded.origins)),
        };
      });
      if (values.json) {
        printJson(ctx.out, {
          home: loaded.home,
          userFile: loaded.userFile,
          projectFile: loaded.projectFile ?? null,
          source,
          values: rows,
          problems: loaded.problems.map((p) => p.message),
        });
      } else {
        ctx.out.stdout.write(
          `state dir:    ${loaded.home}\nuser file:    ${loaded.userFile}\nproject file: ${loaded.projectFile ?? '(none)'}\ntask source:  ${source}\n\n`,
        );
        ctx.out.stdout.write(
          table(
            ctx.out,
            ['key', 'value', 'from'],
            rows.map((r) => [r.key, r.value, r.from]),
          ),
        );
        for (const p of loaded.problems) ctx.out.stderr.write(`${paint(ctx.out, 'red', p.message)}\n`);
      }
      return loaded.problems.length > 0 ? 2 : 0;
    },
  }),
];
