// Node's Windows build (test/peers.json's node-22-windows) under Debian's Wine, as the Windows tier runs it: one prefix
// per test file (making one is most of a file's time), a user with a space in the name, taskhooks' built package at a
// Windows path. Node's Windows build reads and writes only files there, so each run's stdin and stdout are files.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './hooks.js';
import { peer } from './peers.js';

export const WINE = '/usr/lib/wine/wine64';
export const USER = 'Jo Doe';
export const PROFILE = `C:\\users\\${USER}`;
export const PROJECT = `${PROFILE}\\My Projects\\shop`;
export const PACKAGE = 'C:\\Program Files\\taskhooks';
/** In CI the tier must run: .ci/run installs Wine, and a missing one fails there rather than passing by. */
export const skipWine = !fs.existsSync(WINE) && !process.env.CI;

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface WinePrefix {
  /** The run's folder: the prefix and each run's stdin and stdout files. */
  root: string;
  /** A Windows path in the prefix, as a Linux path this process reads. */
  onLinux(windows: string): string;
  /** A Windows program run with no shell, as Claude Code's exec form does; `limitMs` is the hook's own timeout. */
  wine(
    program: string,
    args: readonly string[],
    opts?: { stdin?: string; limitMs?: number; env?: NodeJS.ProcessEnv; cwd?: string },
  ): Promise<Ran>;
  /** taskhooks' CLI of the package at `pkg`, run by the Windows Node. */
  cli(pkg: string, ...args: string[]): Promise<Ran>;
  /** taskhooks' built package, as `npm install -g` would lay it out, at a Windows path in the prefix. */
  placePackage(at: string): void;
  /** Stops the prefix's wineserver and removes the run's folder. */
  close(): void;
}

export const windowsNode = (): string => peer('node-22-windows').entry;

/** A fresh prefix saying Windows 10 (Wine 8 says Windows 7, older than Node 22 starts on), as a user's machine does. */
export function winePrefix(): WinePrefix {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhooks-wine-'));
  const prefix = path.join(root, 'prefix');
  let runs = 0;
  // Wine's environment: the prefix, the user, and nothing of this machine's taskhooks or home. Wine keeps its server's
  // lock in a folder of its own under TMPDIR: the run's, not the machine's /tmp.
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ...extra,
    PATH: process.env.PATH,
    HOME: root,
    USER,
    TMPDIR: process.env.TMPDIR,
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
  });
  const onLinux = (windows: string): string =>
    path.join(prefix, 'drive_c', ...windows.replace(/^C:\\/i, '').split('\\'));
  const wine: WinePrefix['wine'] = (program, args, opts = {}) => {
    const n = ++runs;
    const [inFile = '', outFile = '', errFile = ''] = ['in', 'out', 'err'].map((k) => path.join(root, `${k}-${n}`));
    fs.writeFileSync(inFile, opts.stdin ?? '');
    const fds = [fs.openSync(inFile, 'r'), fs.openSync(outFile, 'w'), fs.openSync(errFile, 'w')];
    return new Promise((resolve, reject) => {
      const child = spawn(WINE, [program, ...args], {
        cwd: onLinux(opts.cwd ?? PROJECT),
        env: env(opts.env),
        stdio: fds,
      });
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
  const boot = spawnSync(WINE, ['wineboot', '-i'], { env: env(), stdio: 'ignore', timeout: 120_000 });
  expect(boot.status).toBe(0);
  const ten = spawnSync(WINE, ['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f'], {
    env: env(),
    stdio: 'ignore',
    timeout: 60_000,
  });
  expect(ten.status).toBe(0);
  return {
    root,
    onLinux,
    wine,
    cli: (pkg, ...args) => wine(windowsNode(), [`${pkg}\\dist\\cli.js`, ...args]),
    placePackage(at) {
      const dir = onLinux(at);
      fs.mkdirSync(dir, { recursive: true });
      const filter = (f: string) => !f.endsWith('.cache');
      fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true, filter });
      const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'taskhooks', version, type: 'module' }));
    },
    close() {
      spawnSync(path.join(path.dirname(WINE), 'wineserver'), ['-k'], { env: env(), stdio: 'ignore' });
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
