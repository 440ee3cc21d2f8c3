// Opening a link in the person's browser: $BROWSER when set, else the platform's opener (open, xdg-open where there is
// a display, explorer). Never waits for the browser: the opener is started detached, and only its start is awaited.
import { spawn } from 'node:child_process';
import { findOnPath, programToRun } from '../util/executable.js';
import { withAbsolutePath } from '../util/child-process.js';

/** How a link is opened: the program and its arguments, the link among them. */
export interface Opener {
  command: string;
  args: string[];
}

/** The opener for `url` here, or why there is none (a sentence a person reads after the link). */
export function browserOpener(
  url: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): Opener | { none: string } {
  // $BROWSER is a list of commands (`firefox:chromium`), each taking the link in place of %s, else at its end.
  const browser = env.BROWSER?.split(':').find((c) => c.trim() !== '');
  if (browser) {
    const [command = '', ...words] = browser.trim().split(/\s+/);
    const args = words.some((w) => w.includes('%s')) ? words.map((w) => w.replaceAll('%s', url)) : [...words, url];
    return { command, args };
  }
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'explorer.exe', args: [url] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return { none: 'no display ($DISPLAY, $WAYLAND_DISPLAY) and no $BROWSER' };
  const xdgOpen = findOnPath('xdg-open', env);
  return xdgOpen ? { command: xdgOpen, args: [url] } : { none: 'xdg-open is not on the PATH and $BROWSER is not set' };
}

/** Starts the opener, detached; resolves once it started or could not, with what happened in words. */
export function startOpener(opener: Opener, env: NodeJS.ProcessEnv): Promise<{ opened: boolean; said: string }> {
  const command = programToRun(opener.command, env);
  if (command instanceof Error) return Promise.resolve({ opened: false, said: command.message });
  return new Promise((resolve) => {
    const child = spawn(command, opener.args, { stdio: 'ignore', detached: true, env: withAbsolutePath(env) });
    child.once('spawn', () => {
      child.unref();
      resolve({ opened: true, said: `opened it with ${opener.command}` });
    });
    child.once('error', (err) =>
      resolve({
        opened: false,
        said: `could not start ${opener.command} (${(err as NodeJS.ErrnoException).code ?? err.message})`,
      }),
    );
  });
}
