// Every group and command explains itself, and says in one line what is wrong with how it was called: the specs
// checked directly, the texts as a person meets them (the built CLI as a child process).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_IDS, agentLabel } from '../../src/agents/index.js';
import type { Command } from '../../src/cli/command.js';
import { TASK_FLAGS } from '../../src/cli/commands/tasks-source.js';
import { ON_TASK } from '../../src/tasks/fields.js';
import { commandHelp, groupOf, groupsOf, inReaderWords, topHelp, usageLine } from '../../src/cli/help.js';
import type { Reader } from '../../src/util/shown.js';
import { AREAS, COMMANDS as LISTED, GROUPS, loadCommands } from '../../src/cli/registry.js';
import { cleanEnv, cliHere, cliPath, modeOf, runCli, tempDir, type CliResult } from '../foundation/helpers.js';

let tmp: ReturnType<typeof tempDir>;
let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  tmp = tempDir('th-help-');
  home = `${tmp.dir}/state`;
  env = cleanEnv({ TASKHOOKS_HOME: home });
});
afterAll(() => tmp.remove());

/** Each in this process, one after another: two dozen help texts without two dozen processes. */
async function runAll(argvs: string[][]): Promise<CliResult[]> {
  const results: CliResult[] = [];
  for (const args of argvs) results.push(await cliHere(args, { env }));
  return results;
}

// Every command whole: the registry lists them, each area's module defines them.
const COMMANDS = await loadCommands();
const words = (c: Command): string[] => c.name.split(' ');
const groups = groupsOf(COMMANDS, GROUPS);
/** Help text as the built CLI shows it to this file's runs: the state directory named where `env` puts it. */
const shown = (text: string): string => inReaderWords(text, { platform: process.platform, env, homedir: os.homedir() });

describe('the help source', () => {
  it("lists each command with its module's own summary, and every command a module defines", async () => {
    const defined = (await Promise.all(AREAS.map((a) => a.load()))).flat();
    expect(LISTED.map((c) => [c.name, c.summary])).toEqual(defined.map((c) => [c.name, c.summary]));
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    '%s: a one-line summary, every flag and argument described, an example',
    (_, c) => {
      expect(c.summary.trim().length).toBeGreaterThan(10);
      expect(c.summary).not.toContain('\n');
      for (const [name, flag] of Object.entries(c.flags)) {
        expect(flag.description.trim().length, `--${name} of ${c.name}`).toBeGreaterThan(5);
        if (flag.type === 'string' && !flag.hidden)
          expect(flag.placeholder, `--${name} of ${c.name}`).toMatch(/^[A-Z]+$/);
      }
      for (const a of c.args ?? []) expect(a.description.trim().length, `${a.name} of ${c.name}`).toBeGreaterThan(5);
      expect(
        c.examples?.some((e) => e.command.startsWith(`taskhooks ${c.name}`)),
        `${c.name} has an example running it`,
      ).toBe(true);
    },
  );

  it('every group has a summary of its own', () => {
    const described = new Set(GROUPS.map((g) => g.name));
    expect(groups.map((g) => g.name).filter((g) => !described.has(g))).toEqual([]);
    expect(groups.map((g) => g.name)).toEqual(expect.arrayContaining(['tasks', 'monitor', 'cache']));
  });

  it("tasks edit's summary and help name each thing it changes; sessions' help names every agent served", () => {
    const edit = COMMANDS.find((c) => c.name === 'tasks edit') as Command;
    for (const { spec } of ON_TASK) expect(edit.summary).toContain(spec.task.label);
    for (const flag of Object.keys(edit.flags).filter((f) => !(f in TASK_FLAGS)))
      expect(edit.description, `--${flag}`).toContain(`--${flag}`);
    const sessions = COMMANDS.find((c) => c.name === 'sessions') as Command;
    for (const id of AGENT_IDS) expect(`${sessions.summary}\n${sessions.description}`).toContain(agentLabel(id));
  });

  it("is in a Windows reader's words: real paths, double-quoted commands, no example only a POSIX shell runs", () => {
    const windows: Reader = { platform: 'win32', env: {}, homedir: 'C:\\Users\\Jo Doe' };
    const out = { stdout: process.stdout, stderr: process.stderr, color: false };
    const top = topHelp(out, '1.0.0', COMMANDS, GROUPS, windows);
    expect(top).toContain('logs in C:\\Users\\Jo Doe\\.taskhooks\\logs.');
    for (const id of AGENT_IDS) expect(top.split('\n')[0]).toContain(agentLabel(id));
    const texts = COMMANDS.map((c) => commandHelp(out, c, windows)).join('\n');
    expect(texts).not.toMatch(/\$TASKHOOKS_HOME|~\/|^ {2}[A-Z_]+=|echo '/m);
    // Windows has no signals: a forced stop is said as one, on every platform.
    expect(`${top}\n${texts}`).not.toMatch(/\bSIG[A-Z]+\b/);
    expect(texts).toContain('taskhooks context --dir "C:\\Users\\Jo Doe\\src\\shop" --offline');
    expect(texts).toContain('C:\\Users\\Jo Doe\\.taskhooks\\config.json');
    // A POSIX reader keeps `~/…`, and the state directory is named where it is.
    const linux: Reader = { platform: 'linux', env: { TASKHOOKS_HOME: '/srv/th' }, homedir: '/home/jo' };
    const config = COMMANDS.find((c) => c.name === 'config') as Command;
    expect(commandHelp(out, config, linux)).toContain('/srv/th/config.json');
    expect(commandHelp(out, config, linux)).toContain('taskhooks config --dir ~/src/shop --json');
  });

  it('derives the usage line from the flags: hidden (deprecated) spellings are read but never shown', () => {
    const install = COMMANDS.find((c) => c.name === 'install') as Command;
    expect(usageLine(install)).toMatch(/^taskhooks install \[--dir DIR\] \[--scope SCOPE\]/);
    expect(usageLine(install)).not.toContain('--project');
    const add = COMMANDS.find((c) => c.name === 'tasks add') as Command;
    expect(usageLine(add)).toMatch(/^taskhooks tasks add TITLE… \[--description TEXT\] .*\[--label LABEL\]… /);
  });
});

describe('help from the built CLI', () => {
  it('taskhooks --help lists every top-level command and every group with its commands, and touches no state dir', async () => {
    const r = runCli(['--help'], { env });
    expect(r.status).toBe(0);
    for (const c of COMMANDS)
      expect(r.stdout).toMatch(new RegExp(`^ {2}${c.name}\\s+${escapeRegExp(shown(c.summary))}$`, 'm'));
    for (const g of groups) expect(r.stdout).toContain(`${g.name}: ${shown(g.summary)}`);
    expect((await cliHere(['help'], { env })).stdout).toBe(r.stdout);
    expect(() => modeOf(home)).toThrow();
  });

  it("taskhooks --help loads none of zod's full build: the network stack that needs it is imported by task commands only", () => {
    // A loader hook records every module the process loads; the unminified chunks name the sources compiled into them.
    const loaded = path.join(tmp.dir, 'loaded.txt');
    const hook = `import { appendFileSync } from 'node:fs'; export async function load(url, context, next) { appendFileSync(${JSON.stringify(loaded)}, url + '\\n'); return next(url, context); }`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
    const r = spawnSync(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(register)}`, cliPath, '--help'],
      { env, encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const files = readFileSync(loaded, 'utf8')
      .split('\n')
      .filter((u) => u.startsWith('file:'))
      .map((u) => fileURLToPath(u));
    expect(files).toContain(cliPath);
    expect(files.filter((f) => readFileSync(f, 'utf8').includes('node_modules/zod/v4/classic/'))).toEqual([]);
  });

  it('every group answers --help, -h, help <group> and its bare name alike: its commands with their summaries, exit 0', async () => {
    for (const g of groups) {
      const runs = await runAll([[g.name, '--help'], [g.name, '-h'], ['help', g.name], [g.name]]);
      for (const r of runs) {
        expect(r.status, `${g.name}: ${r.stderr}`).toBe(0);
        expect(r.stderr).toBe('');
        expect(r.stdout).toBe(runs[0]?.stdout);
      }
      const text = runs[0]?.stdout ?? '';
      expect(text).toContain(`taskhooks ${g.name}: ${shown(g.summary)}`);
      for (const c of COMMANDS.filter((x) => groupOf(x) === g.name)) {
        expect(text).toMatch(
          new RegExp(`^ {2}${c.name.slice(g.name.length + 1)}\\s+${escapeRegExp(shown(c.summary))}$`, 'm'),
        );
      }
    }
  });

  it("every command's --help says what it does, each flag with what it does, and an example", async () => {
    const runs = await runAll(COMMANDS.map((c) => [...words(c), '--help']));
    COMMANDS.forEach((c, i) => {
      const r = runs[i] as CliResult;
      expect(r.status, c.name).toBe(0);
      expect(r.stdout).toContain(`taskhooks ${c.name}: ${shown(c.summary)}`);
      expect(r.stdout).toContain(`Usage: ${usageLine(c)}`);
      for (const [name, flag] of Object.entries(c.flags ?? {})) {
        if (flag.hidden) expect(r.stdout, c.name).not.toContain(`--${name} `);
        else
          expect(r.stdout).toMatch(new RegExp(`^ {2}--${name}\\b.*\\s${escapeRegExp(shown(flag.description))}`, 'm'));
      }
      expect(r.stdout).toMatch(/^Examples:\n {2}taskhooks /m);
    });
    expect((await cliHere(['help', 'tasks', 'add'], { env })).stdout).toBe(
      (await cliHere(['tasks', 'add', '-h'], { env })).stdout,
    );
  });
});

/** A quote inside is escaped; the message's own quotes come in pairs. */
const balanced = (line: string): boolean => (line.replace(/\\"/g, '').match(/"/g) ?? []).length % 2 === 0;

describe('wrong arguments', () => {
  it.each([
    [
      ['tasks', 'list', 'extra-arg'],
      'taskhooks tasks list: unexpected argument "extra-arg" (see taskhooks tasks list --help)',
    ],
    [['tasks', 'show'], 'taskhooks tasks show: missing ID (see taskhooks tasks show --help)'],
    [
      ['tasks', 'show', 'T-1', 'T-2'],
      'taskhooks tasks show: unexpected argument "T-2" (see taskhooks tasks show --help)',
    ],
    [
      ['tasks', 'add', 'x', '--priority'],
      'taskhooks tasks add: --priority needs a value (--priority LEVEL) (see taskhooks tasks add --help)',
    ],
    [
      ['tasks', 'done', 'T-1', '--note', '--json'],
      'taskhooks tasks done: --note needs a value, and "--json" looks like a flag; write --note=--json if it is the value (see taskhooks tasks done --help)',
    ],
    [
      ['cache', 'stats', '--json=yes'],
      'taskhooks cache stats: --json takes no value (given "yes") (see taskhooks cache stats --help)',
    ],
    [
      ['monitor', 'status', '--fo"o'],
      'taskhooks monitor status: unknown flag "--fo\\"o" (see taskhooks monitor status --help)',
    ],
    [
      ['tasks', 'add', 'x', '--priority', 'soon'],
      'taskhooks tasks add: --priority "soon" is not one of low, medium, high, urgent, critical (see taskhooks tasks add --help)',
    ],
    [['--frob'], 'taskhooks: unknown flag "--frob" (see taskhooks --help)'],
  ])('%j: one line naming the help, exit 2, no stack trace', async (args, line) => {
    const r = await cliHere(args, { env });
    expect(r.status).toBe(2);
    // Asked for JSON, a script reads the error there too (test/cli/json-errors.test.ts).
    if (args.includes('--json')) expect(JSON.parse(r.stdout).error.kind).toBe('usage');
    else expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\n`);
    expect(balanced(r.stderr)).toBe(true);
  });

  it('an unknown flag is refused by every command before anything is loaded or created', async () => {
    rmSync(home, { recursive: true, force: true });
    const runs = await runAll(COMMANDS.map((c) => [...words(c), '--no-such-flag']));
    COMMANDS.forEach((c, i) => {
      const r = runs[i] as CliResult;
      expect(r.status, c.name).toBe(2);
      expect(r.stderr).toBe(`taskhooks ${c.name}: unknown flag "--no-such-flag" (see taskhooks ${c.name} --help)\n`);
    });
    expect(() => modeOf(home)).toThrow();
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
