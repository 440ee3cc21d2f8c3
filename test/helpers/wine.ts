// Node's Windows build (test/peers.json's node-22-windows) under Debian's Wine, for the Windows tiers: a prefix of the
// run's own that says Windows 10, a user whose profile has a space in its name, and taskhooks' built package placed at
// a Windows path as `npm install -g` lays it out. Nothing of this machine's taskhooks or home reaches Wine's
// environment; stdin and stdout are files, the only kind Node's Windows build reads and writes there.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './hooks.js';
import { peer } from './peers.js';

export const WINE = '/usr/lib/wine/wine64';
export const USER = 'Jo Doe';
export const PROFILE = `C:\\users\\${USER}`;
export const PROJECT = `${PROFILE}\\My Projects\\shop`;
export const PACKAGE = 'C:\\Program Files\\taskhooks';
// In CI a Windows tier must run: .ci/run installs Wine, and a missing one fails there rather than passing by.
export const skipWine = !fs.existsSync(WINE) && !process.env.CI;

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Wine {
  /** The run's folder (Wine's HOME, the files of stdin and stdout) and the prefix in it. */
  readonly root: string;
  readonly prefix: string;
  /** A Windows path in the prefix, as a Linux path this process reads. */
  onLinux(windows: string): string;
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /**
   * Runs a Windows program with no shell, as Claude Code's exec form does; `limitMs` is the hook's own timeout.
   * The working folder is `cwd` (a Windows path; the project by default).
   */
  run(
    program: string,
    args: readonly string[],
    opts?: { stdin?: string; limitMs?: number; env?: NodeJS.ProcessEnv; cwd?: string },
  ): Promise<Ran>;
  /** taskhooks' built package at a Windows path in the prefix. */
  placePackage(at: string): void;
  /** `taskhooks …` run by the Windows Node from the package at `pkg`. */
  cli(pkg: string, ...args: string[]): Promise<Ran>;
  /** Stops Wine's server and removes the run's folder. */
  close(): void;
}

export const windowsNode = (): string => peer('node-22-windows').entry;

/** A prefix of the run's own, booted and saying Windows 10 (Wine 8 says Windows 7, older than Node 22 starts on). */
export function bootWine(): Wine {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhooks-wine-'));
  const prefix = path.join(root, 'prefix');
  let runs = 0;
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ...extra,
    PATH: process.env.PATH,
    HOME: root,
    USER,
    // Wine keeps its server's lock in a folder of its own under TMPDIR: the run's, not the machine's /tmp.
    TMPDIR: process.env.TMPDIR,
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
  });
  const onLinux = (windows: string): string =>
    path.join(prefix, 'drive_c', ...windows.replace(/^C:\\/i, '').split('\\'));
  const boot = spawnSync(WINE, ['wineboot', '-i'], { env: env(), stdio: 'ignore', timeout: 120_000 });
  if (boot.status !== 0) throw new Error(`wineboot -i exited ${boot.status}`);
  // Wine refuses a launch now and then on a loaded machine (see run below), this one too: made once more, and said.
  const sayWindows10 = (): string | undefined => {
    const r = spawnSync(WINE, ['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f'], {
      env: env(),
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      timeout: 60_000,
    });
    return r.status === 0 ? undefined : `wine reg add exited ${r.status}: ${r.stderr.trim() || 'nothing written'}`;
  };
  const refused = sayWindows10();
  if (refused) {
    process.stderr.write(`${refused}; run again\n`);
    const again = sayWindows10();
    if (again) throw new Error(again);
  }

  let closed = false;
  // On a loaded machine Wine now and then refuses a launch: exit 1, nothing written, where every program of
  // taskhooks' writes a line or its JSON. Such a launch is made once more, and said; a second refusal stands. A
  // program ended by the prefix's close exits so too, and is not.
  const run: Wine['run'] = async (program, args, opts = {}) => {
    const first = await launch(program, args, opts);
    const refused = first.code !== 0 && first.code !== null && first.stdout === '' && first.stderr === '';
    if (!refused || closed) return first;
    process.stderr.write(`wine: ${[program, ...args].join(' ')} exited ${first.code}, nothing written: run again\n`);
    return launch(program, args, opts);
  };

  const launch: Wine['run'] = (program, args, opts = {}) => {
    const n = ++runs;
    const [inFile = '', outFile = '', errFile = ''] = ['in', 'out', 'err'].map((k) => path.join(root, `${k}-${n}`));
    fs.writeFileSync(inFile, opts.stdin ?? '');
    const fds = [fs.openSync(inFile, 'r'), fs.openSync(outFile, 'w'), fs.openSync(errFile, 'w')];
    return new Promise((resolve, reject) => {
      const cwd = onLinux(opts.cwd ?? PROJECT);
      const child = spawn(WINE, [program, ...args], { cwd, env: env(opts.env), stdio: fds });
      for (const fd of fds) fs.closeSync(fd);
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.limitMs ?? 120_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        // A program still running when the prefix is closed ends with its files gone.
        const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
        resolve({ code, stdout: read(outFile), stderr: read(errFile) });
      });
    });
  };

  return {
    root,
    prefix,
    onLinux,
    env,
    run,
    placePackage(at) {
      const dir = onLinux(at);
      fs.mkdirSync(dir, { recursive: true });
      const keep = (f: string) => !f.endsWith('.cache') && path.basename(f) !== '.compile-cache';
      fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true, filter: keep });
      const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'taskhooks', version, type: 'module' }));
    },
    cli: (pkg, ...args) => run(windowsNode(), [`${pkg}\\dist\\cli.js`, ...args]),
    close() {
      closed = true;
      spawnSync(path.join(path.dirname(WINE), 'wineserver'), ['-k'], { env: env(), stdio: 'ignore' });
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
