// `taskhooks dashboard` opens its link with the platform's opener or $BROWSER, or says why it did not; it never waits
// for the browser. A fake opener on the PATH records the link it was given.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserOpener } from '../../src/cli/open-browser.js';
import { hookEnv } from '../helpers/hooks.js';
import { perTest, waitFor } from '../monitor/helpers.js';

const CLI = path.resolve(import.meta.dirname, '../../dist/cli.js');
const t = perTest();

describe('browserOpener', () => {
  const url = 'http://127.0.0.1:1/dashboard/?t=x';
  it('takes $BROWSER first: its first command, the link for %s or at its end', () => {
    expect(browserOpener(url, { BROWSER: 'firefox:chromium' }, 'linux')).toEqual({ command: 'firefox', args: [url] });
    expect(browserOpener(url, { BROWSER: 'w3m -o x=1 %s' }, 'linux')).toEqual({
      command: 'w3m',
      args: ['-o', 'x=1', url],
    });
  });

  it("uses the platform's opener; on Linux xdg-open only where there is a display", () => {
    expect(browserOpener(url, {}, 'darwin')).toEqual({ command: 'open', args: [url] });
    expect(browserOpener(url, {}, 'win32')).toEqual({ command: 'explorer.exe', args: [url] });
    expect(browserOpener(url, { PATH: '' }, 'linux')).toEqual({
      none: 'no display ($DISPLAY, $WAYLAND_DISPLAY) and no $BROWSER',
    });
    expect(browserOpener(url, { DISPLAY: ':0', PATH: '' }, 'linux')).toEqual({
      none: 'xdg-open is not on the PATH and $BROWSER is not set',
    });
  });
});

describe('taskhooks dashboard', () => {
  it('opens the link with xdg-open where there is a display, and says no browser opened where there is none', async () => {
    const m = t.home({});
    const bin = path.join(m.home, 'bin');
    mkdirSync(bin);
    const given = path.join(m.home, 'opened.txt');
    // Like a browser started by $BROWSER, it outlives the command, which must not wait for it; it is ended below.
    const openerPid = path.join(m.home, 'opener.pid');
    writeFileSync(
      path.join(bin, 'xdg-open'),
      `#!/bin/sh\necho $$ > '${openerPid}'\necho "$1" > '${given}'\nexec sleep 600\n`,
    );
    chmodSync(path.join(bin, 'xdg-open'), 0o755);
    const { BROWSER: _browser, DISPLAY: _display, WAYLAND_DISPLAY: _wayland, ...base } = hookEnv(m.home);
    const dashboard = (env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, [CLI, 'dashboard'], { env: { ...base, ...env }, cwd: m.home, encoding: 'utf8' });
    const path_ = `${bin}${path.delimiter}${process.env.PATH}`;

    expect(m.cli(['monitor', 'start']).code).toBe(0);
    const opened = dashboard({ PATH: path_, DISPLAY: ':99' });
    expect(opened.status, opened.stderr).toBe(0);
    const url = /Dashboard \(one-time link, valid 5 minutes\): (\S+)/.exec(opened.stdout)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/dashboard\//);
    expect(opened.stdout).toContain(`Opened: opened it with ${path.join(bin, 'xdg-open')}.`);
    expect(await waitFor('the opener to record the link', () => existsSync(given) && readFileSync(given, 'utf8'))).toBe(
      `${url}\n`,
    );
    // Still running: the command ended without waiting for it.
    const pid = Number(readFileSync(openerPid, 'utf8'));
    expect(() => process.kill(pid, 0)).not.toThrow();
    process.kill(pid, 'SIGKILL');

    const headless = dashboard({ PATH: path_ });
    expect(headless.status, headless.stderr).toBe(0);
    expect(headless.stdout).toMatch(/^Dashboard \(one-time link, valid 5 minutes\): http:\/\/127\.0\.0\.1:\d+\//);
    expect(headless.stdout).toContain(
      'No browser opened (no display ($DISPLAY, $WAYLAND_DISPLAY) and no $BROWSER): open the link above in a browser on this machine, or set $BROWSER.',
    );

    const missing = dashboard({ PATH: path_, BROWSER: 'no-such-browser-here' });
    expect(missing.status, missing.stderr).toBe(0);
    expect(missing.stdout).toContain(
      'No browser opened (cannot run no-such-browser-here: it is not in any folder on the PATH',
    );
    expect(m.cli(['monitor', 'stop']).code).toBe(0);
  });
});
