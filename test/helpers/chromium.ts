// Debian's Chromium for the dashboard's browser tests, driven by playwright-core (which downloads nothing): installed
// from the `chromium` package when missing and the tests run as root, like PostgreSQL.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ensureDebianPackage } from './debian.js';

const CHROMIUM = '/usr/bin/chromium';

function executable(): string {
  const present = (): boolean => existsSync(CHROMIUM);
  if (!ensureDebianPackage({ name: 'chromium', neededBy: "the dashboard's browser tests", present }))
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`sudo apt-get install -y chromium\``);
  return CHROMIUM;
}

/** A headless Chromium whose profile, crash dumps and caches live in a temp dir removed by `close`. */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-chromium-'));
  const browser = await chromium.launch({
    executablePath: executable(),
    // Root in a container has no user namespace for the sandbox.
    args: ['--no-sandbox', '--disable-gpu', `--crash-dumps-dir=${dir}`],
    env: { ...process.env, HOME: dir, TMPDIR: dir, XDG_CONFIG_HOME: dir, XDG_CACHE_HOME: dir },
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `chromium --headless --screenshot --virtual-time-budget`, as a person or a script would run it: the picture is taken
 * once the page has spent the budget of virtual time, which stands still while the page has a fetch pending. Resolves
 * with Chromium's exit code, or null when it had not settled after `giveUpMs` and was killed.
 */
export function headlessScreenshot(
  url: string,
  file: string,
  opts: { width: number; height: number; budgetMs: number; giveUpMs: number },
): Promise<number | null> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    `--user-data-dir=${dir}`,
    `--crash-dumps-dir=${dir}`,
    `--window-size=${opts.width},${opts.height}`,
    '--hide-scrollbars',
    `--virtual-time-budget=${opts.budgetMs}`,
    `--screenshot=${file}`,
    url,
  ];
  const env = { ...process.env, HOME: dir, TMPDIR: dir, XDG_CONFIG_HOME: dir, XDG_CACHE_HOME: dir };
  const child = spawn(executable(), args, { env, stdio: 'ignore', timeout: opts.giveUpMs });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      resolve(code);
    });
  });
}
