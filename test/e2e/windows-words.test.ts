// The Windows tier's words: what a person on Windows reads from taskhooks (Node's Windows build under Wine, a profile
// and a project with spaces in their paths) names their real paths and quotes commands as cmd.exe and PowerShell read
// them, never `$TASKHOOKS_HOME/…`, `~/…` or single quotes; and uninstall leaves no folder it made. The quoting rules
// themselves are unit-tested on Linux (test/util/shown.test.ts); here the built CLI is asked as a person asks it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootWine, PACKAGE, PROFILE, PROJECT, type Ran, skipWine, type Wine } from '../helpers/wine.js';

const HOME = `${PROFILE}\\.taskhooks`;
/** What a POSIX shell would read and a Windows person cannot use. */
const POSIX_WORDS = /\$TASKHOOKS_HOME|~[/\\]|'A title'/;

let w: Wine | undefined;
const box = (): Wine => {
  if (!w) throw new Error('Wine is not booted');
  return w;
};
const cli = (...args: string[]) => box().cli(PACKAGE, ...args);
const ok = (r: Ran) => expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);

/**
 * Every folder under `dir` (a Linux path), relative to it, `.git` left out. Walked by hand: Node 24's recursive
 * readdir follows links, and Wine links the profile's Desktop to a folder that leads to its Z: drive, the whole disk.
 */
const foldersUnder = (dir: string, under = ''): string[] =>
  fs
    .readdirSync(path.join(dir, under), { withFileTypes: true })
    .filter((e) => e.isDirectory() && !(under === '' && e.name === '.git'))
    .flatMap((e) => [path.join(under, e.name), ...foldersUnder(dir, path.join(under, e.name))]);

describe.skipIf(skipWine)("taskhooks in a Windows person's words (Node 22 under Wine)", () => {
  beforeAll(() => {
    w = bootWine();
    w.placePackage(PACKAGE);
    const project = w.onLinux(PROJECT);
    fs.mkdirSync(project, { recursive: true });
    expect(spawnSync('git', ['init', '-q', project]).status).toBe(0);
  }, 180_000);

  afterAll(() => w?.close());

  it('--help names the logs folder in the profile and the six agents', async () => {
    const help = await cli('--help');
    ok(help);
    expect(help.stdout).toContain(`logs in ${HOME}\\logs`);
    expect(help.stdout).toMatch(/Claude Code, Codex, Gemini CLI, Qwen Code, Copilot CLI and OpenCode/);
    expect(help.stdout).not.toMatch(POSIX_WORDS);
    const install = await cli('install', '--help');
    ok(install);
    expect(install.stdout).toContain(`taskhooks install --dir "${PROFILE}\\src\\shop"`);
    expect(install.stdout).toContain(`user (${PROFILE}\\.claude\\settings.json, every project)`);
    expect(install.stdout).toContain(`Claude Code's ${PROFILE}\\.claude.json`);
    expect(install.stdout).not.toMatch(POSIX_WORDS);
  }, 120_000);

  it('hints at the first task in words no shell has to quote, in `tasks list` and in the context', async () => {
    const list = await cli('tasks', 'list');
    ok(list);
    expect(list.stdout + list.stderr).toContain('ask the agent to add one (its add_task tool)');
    const context = await cli('context');
    ok(context);
    expect(context.stdout).toContain('ask the agent to add one (its add_task tool)');
    expect(context.stdout + list.stdout + list.stderr).not.toMatch(POSIX_WORDS);
  }, 120_000);

  it("doctor's fixes name the log file at its real path", async () => {
    // Wine's PATH holds no git: the git step fails, and its fix names the log that says why.
    const doctor = await cli('doctor', '--dir', PROJECT);
    expect(doctor.stdout).toContain(`${HOME}\\logs\\cli.log`);
    expect(doctor.stdout).not.toMatch(POSIX_WORDS);
  }, 180_000);

  it('uninstall leaves no folder that install made, in the project or the profile', async () => {
    const profile = box().onLinux(PROFILE);
    const project = box().onLinux(PROJECT);
    const before = { profile: foldersUnder(profile), project: foldersUnder(project) };
    const installed = await cli('install', '--dir', PROJECT);
    ok(installed);
    expect(fs.existsSync(path.join(project, '.claude'))).toBe(true);
    expect(installed.stdout).toContain(`${PROFILE}\\.claude.json`);
    expect(installed.stdout).not.toMatch(POSIX_WORDS);
    const record = box().onLinux(`${HOME}\\install-folders.json`);
    const made = fs.existsSync(record) ? fs.readFileSync(record, 'utf8') : 'no folder recorded';
    const gone = await cli('uninstall', '--dir', PROJECT);
    ok(gone);
    ok(await cli('monitor', 'stop'));
    expect(foldersUnder(project), `${made}\n${gone.stdout}`).toEqual(before.project);
    // The state directory keeps the tasks and logs; nothing else of taskhooks' stays in the profile.
    const left = foldersUnder(profile).filter((f) => !f.startsWith('.taskhooks'));
    expect(left.sort()).toEqual(before.profile.filter((f) => !f.startsWith('.taskhooks')).sort());
  }, 300_000);
});
