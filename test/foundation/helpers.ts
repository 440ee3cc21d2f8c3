// Shared by the foundation tests: a private state dir per test, the built CLI as a real child process and the CLI's
// code in process.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error a plain .mjs script, run as it is by npm run derive
import { bundleModule } from '../../scripts/import-source.mjs';
import { trustFiles } from '../../src/config/trust.js';
import { runCli as runCliInProcess } from '../helpers/cli.js';

export const root = path.resolve(import.meta.dirname, '../..');
export const cliPath = path.join(root, 'dist/cli.js');

/** A fresh temp dir; `remove()` deletes it. */
export function tempDir(prefix = 'th-found-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An environment with none of the variables taskhooks reads from the developer's shell, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG'])
    if (process.env[name] !== undefined) env[name] = process.env[name];
  env.NO_COLOR = '1';
  return { ...env, ...extra };
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string }): CliResult {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    env: opts.env,
    cwd: opts.cwd ?? os.tmpdir(),
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same command run in this process (test/helpers/cli.ts), for what the CLI says rather than how a process ends. */
export async function cliHere(args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<CliResult> {
  const r = await runCliInProcess(args, { env: opts.env, cwd: opts.cwd ?? os.tmpdir() });
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a node script as a child process without blocking the test's event loop (for running several at once). */
export function runNode(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: opts.env ?? process.env, cwd: opts.cwd ?? root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Every log line written under `<home>/logs`, concatenated. */
export function readLogs(home: string): string {
  const dir = path.join(home, 'logs');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return '';
  }
  return names.map((n) => readFileSync(path.join(dir, n), 'utf8')).join('');
}

export function modeOf(file: string): number {
  return statSync(file).mode & 0o777;
}

/** Bundles a fixture script (TypeScript importing src/) into one .mjs a child process can run. */
export function bundleFixture(entry: string): Promise<string> {
  const name = `${path.basename(entry, '.ts')}-${process.pid}.mjs`;
  return (bundleModule as (input: object, outfile: string) => Promise<string>)(
    { entryPoints: [entry] },
    path.join(root, 'node_modules', '.cache', 'taskhooks-foundation', name),
  );
}

/**
 * Where config files are looked for: a state dir, and a git repository (inside an `outer` folder, so a config file
 * above the git root can be planted) with a folder deep inside it to load from.
 */
export function configFixture(prefix?: string): {
  dir: string;
  home: string;
  repo: string;
  deep: string;
  remove(): void;
} {
  const tmp = tempDir(prefix);
  const home = path.join(tmp.dir, 'home');
  const repo = path.join(tmp.dir, 'outer', 'repo');
  const deep = path.join(repo, 'src', 'deep');
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  mkdirSync(deep, { recursive: true });
  mkdirSync(home, { recursive: true });
  return { dir: tmp.dir, home, repo, deep, remove: tmp.remove };
}

/** Writes JSON (or, given a string, those exact bytes) creating the folders on the way. */
export function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

/** A project config file the user has trusted (`taskhooks trust`): every key in it takes effect. */
export function writeTrustedJson(home: string, file: string, value: unknown): void {
  writeJson(file, value);
  trustFiles(home, [{ file, text: readFileSync(file, 'utf8') }]);
}
