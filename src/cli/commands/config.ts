import { configKeys } from '../../config/keys.js';
import { displayValue } from '../../config/display.js';
import { describeOrigin, type Origin } from '../../config/origin.js';
import { parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { paint, printJson, table } from '../output.js';

/** Flattens a config object into dotted keys; arrays and records are leaves. */
function flatten(value: unknown, prefix = '', out: Array<[string, unknown]> = []): Array<[string, unknown]> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !prefix.endsWith('.env')) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.push([prefix, value]);
  return out;
}

function originOf(key: string, origins: Map<string, Origin>): Origin {
  return origins.get(key) ?? { kind: 'default' };
}

export const configCommands: Command[] = [
  {
    name: 'config',
    summary: 'Show the effective configuration, each value with where it came from (secrets masked)',
    usage: 'taskhooks config [--json]',
    allowInvalidConfig: true,
    async run(ctx) {
      const { values } = parseFlags(ctx.args, { json: { type: 'boolean' } }, 'taskhooks config [--json]');
      const { loaded } = ctx.loaded;
      // Keys with no value (optional, unset) are listed too, so people can see every key there is.
      const effective = new Map(flatten(loaded.config));
      const rows = configKeys().map((key) => {
        const value = effective.get(key);
        return { key, value: value === undefined ? '' : displayValue(key, value), from: describeOrigin(originOf(key, loaded.origins)) };
      });
      if (values.json) {
        printJson(ctx.out, {
          home: loaded.home,
          userFile: loaded.userFile,
          projectFile: loaded.projectFile ?? null,
          values: rows,
          problems: loaded.problems.map((p) => p.message),
        });
      } else {
        ctx.out.stdout.write(`state dir:    ${loaded.home}\nuser file:    ${loaded.userFile}\nproject file: ${loaded.projectFile ?? '(none)'}\n\n`);
        ctx.out.stdout.write(table(ctx.out, ['key', 'value', 'from'], rows.map((r) => [r.key, r.value, r.from])));
        for (const p of loaded.problems) ctx.out.stderr.write(`${paint(ctx.out, 'red', p.message)}\n`);
      }
      return loaded.problems.length > 0 ? 2 : 0;
    },
  },
];
