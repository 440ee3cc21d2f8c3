// The CLI in a throwaway world: temp HOME, TASKHOOKS_HOME and project. `runHere` runs the command's code in the
// test's process (what install, uninstall and doctor write and print); `run` keeps the built bundle as a child
// process, for what only a process shows (the entry build, exit codes as the shell sees them).
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(REPO, 'dist', 'cli.js');

export interface World {
  root: string;
  home: string;
  thHome: string;
  project: string;
  env: NodeJS.ProcessEnv;
  run(
    args: string[],
    opts?: { cwd?: string; env?: NodeJS.ProcessEnv },
  ): { code: number; stdout: string; stderr: string };
  runHere(
    args: string[],
    opts?: { cwd?: string; env?: NodeJS.ProcessEnv },
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  read(rel: string): string;
  write(rel: string, text: string): string;
  /** Every file under the project and HOME with its bytes: "nothing was written" compares two of these. */
  snapshot(): Map<string, string>;
  cleanup(): void;
}

function walk(dir: string, out: Map<string, string>): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === '.git') continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      out.set(`${p}/`, '');
      walk(p, out);
    } else out.set(p, readFileSync(p, 'utf8'));
  }
}

export function makeWorld(): World {
  const root = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-install-'));
  const home = path.join(root, 'home');
  const thHome = path.join(root, 'th');
  const project = path.join(root, 'my project');
  for (const d of [home, thHome, path.join(project, '.git')]) mkdirSync(d, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    TASKHOOKS_HOME: thHome,
    TASKHOOKS_NO_AUTOSTART: '1',
    NO_COLOR: '1',
  };
  const abs = (rel: string): string => (path.isAbsolute(rel) ? rel : path.join(project, rel));
  return {
    root,
    home,
    thHome,
    project,
    env,
    run(args, opts = {}) {
      const r = spawnSync(process.execPath, [CLI, ...args], {
        cwd: opts.cwd ?? project,
        env: { ...env, ...opts.env },
        encoding: 'utf8',
        timeout: 30_000,
      });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    async runHere(args, opts = {}) {
      const r = await runCli(args, { cwd: opts.cwd ?? project, env: { ...env, ...opts.env } });
      return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    read: (rel) => readFileSync(abs(rel), 'utf8'),
    write(rel, text) {
      const p = abs(rel);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, text);
      return p;
    },
    snapshot() {
      const out = new Map<string, string>();
      walk(project, out);
      walk(home, out);
      return out;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export const backupsOf = (file: string): string[] =>
  readdirSync(path.dirname(file)).filter((n) => n.startsWith(`${path.basename(file)}.taskhooks-backup-`));

/** The backups of a file holding a secret, which install keeps in the state directory (never beside the file). */
export function stateBackupsOf(w: World, file: string): string[] {
  const dir = path.join(w.thHome, 'file-backups');
  if (!existsSync(dir)) return [];
  const name = new RegExp(
    `^${path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.[0-9a-f]{12}\\.taskhooks-backup-`,
  );
  return readdirSync(dir).filter((n) => name.test(n));
}

/** A world whose project is a real git repository: what git ignores, tracks or shows is git's to say. */
export function makeGitWorld(): World {
  const w = makeWorld();
  rmSync(path.join(w.project, '.git'), { recursive: true });
  spawnSync('git', ['init', '-q'], { cwd: w.project });
  return w;
}
