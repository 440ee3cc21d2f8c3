import { loadSettings } from '../../config/settings.js';
import { configKeys } from '../../config/keys.js';
import { displayValue } from '../../config/display.js';
import { originFor } from '../../config/layers.js';
import { getAt } from '../../util/object.js';
import { describeOrigin } from '../../config/origin.js';
import { sourceName } from '../../sources/describe.js';
import { sourceSeen, sourceSeenLines } from '../../install/source-seen.js';
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
      'as the hooks see them in that directory: what is set or inferred (--all: every key), and the task source with the\n' +
      'checks `taskhooks source` runs. Exits 2 when the configuration or the source in use has problems (each is printed).',
    flags: {
      dir: dirFlag('show the configuration that applies in this directory (default: the working directory)'),
      all: { type: 'boolean', description: 'list every key, the defaults and the unset ones too' },
      json: JSON_FLAG,
    },
    examples: [
      { command: 'taskhooks config' },
      { command: 'taskhooks config --all', description: 'every key, with its default' },
      {
        command: 'taskhooks config --dir ~/src/shop --json',
        description: "another project's configuration, for a script",
      },
    ],
    allowInvalidConfig: true,
    async run(ctx, { values }) {
      const dir = dirFromFlags(ctx, values, ctx.cwd);
      const whole = values.dir ? await loadSettings({ cwd: dir, env: ctx.env }) : ctx.loaded;
      const { loaded, settings } = whole;
      const seen = await sourceSeen({ loaded: whole, dir, env: ctx.env, log: ctx.log() });
      const rows = configKeys().flatMap((key) => {
        const value = getAt(loaded.config, key.split('.'));
        const origin = originFor(key, loaded.origins);
        // An unset adapter is inferred from what else is set: show what it came to, not a blank.
        if (key === 'source.adapter' && value === undefined)
          return [{ key, value: sourceName(settings.source.plan), from: `inferred: ${seen.source}` }];
        // The defaults and the keys no one set are for --all: by default, only what someone chose.
        const chosen = origin.kind !== 'default' || loaded.problems.some((p) => p.key === key);
        if (!values.all && (value === undefined || !chosen)) return [];
        return [{ key, value: value === undefined ? '' : displayValue(key, value), from: describeOrigin(origin) }];
      });
      const problems = [
        ...loaded.problems.map((p) => p.message),
        ...(seen.check?.ok === false ? [seen.check.line] : []),
      ];
      if (values.json) {
        printJson(ctx.out, {
          home: loaded.home,
          userFile: loaded.userFile,
          projectFile: loaded.projectFile ?? null,
          source: seen.source,
          seen,
          values: rows,
          problems,
        });
      } else {
        ctx.out.stdout.write(
          `state dir:    ${loaded.home}\nuser file:    ${loaded.userFile}\nproject file: ${loaded.projectFile ?? '(none)'}\n${sourceSeenLines(seen).join('\n')}\n\n`,
        );
        ctx.out.stdout.write(
          table(
            ctx.out,
            ['key', 'value', 'from'],
            rows.map((r) => [r.key, r.value, r.from]),
          ),
        );
        if (!values.all)
          ctx.out.stdout.write(`${paint(ctx.out, 'dim', 'The defaults and unset keys: taskhooks config --all')}\n`);
        for (const p of loaded.problems) ctx.out.stderr.write(`${paint(ctx.out, 'red', p.message)}\n`);
      }
      return problems.length > 0 ? 2 : 0;
    },
  }),
  defineCommand({
    name: 'source',
    summary: 'Show the task source this project uses, the rule that chose it, and what else was seen and not used',
    description:
      "What else: a tracker token in the environment (GITLAB_TOKEN, GH_TOKEN, JIRA_API_TOKEN, …), the origin's host, the\n" +
      'taskhooks plugin. Each is checked as `install --source` checks it, and one that would work says the line that\n' +
      'switches to it. Exits 2 when the source in use fails that check.',
    flags: {
      dir: dirFlag('the project to look at (default: the working directory)'),
      json: JSON_FLAG,
    },
    examples: [
      { command: 'taskhooks source' },
      { command: 'GITLAB_TOKEN=… taskhooks source', description: 'in a GitLab checkout: the line that uses the token' },
    ],
    allowInvalidConfig: true,
    async run(ctx, { values }) {
      const dir = dirFromFlags(ctx, values, ctx.cwd);
      const loaded = values.dir ? await loadSettings({ cwd: dir, env: ctx.env }) : ctx.loaded;
      const seen = await sourceSeen({ loaded, dir, env: ctx.env, log: ctx.log() });
      if (values.json) printJson(ctx.out, seen);
      else ctx.out.stdout.write(`${sourceSeenLines(seen).join('\n')}\n`);
      return seen.check?.ok === false ? 2 : 0;
    },
  }),
];
