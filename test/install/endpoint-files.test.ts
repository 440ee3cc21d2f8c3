// The monitor's rewrite after a port move touches only what install wrote: its own hooks in a project's local
// settings, resolved and confined, never a committed file or a file a project's link leads to outside it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOOK_EVENTS } from '../../src/hooks/events/events.js';
import { rewriteEndpointFiles } from '../../src/install/endpoint/endpoint-files.js';
import { httpHandler } from '../../src/install/endpoint/served-hook.js';
import { hookTokenVar } from '../../src/home/hook-token-env.js';
import { silentLogger } from '../helpers/cache.js';
import { tempHome } from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function dir(): string {
  const t = tempHome();
  cleanups.push(t.cleanup);
  return t.home;
}

const event = HOOK_EVENTS.find((e) => e.name === 'user-prompt-submit');
/** A settings file holding one http hook on `port`: install's own, or only a look-alike. */
function hooks(port: number, own: boolean): string {
  const h = own && event ? httpHandler(event, { port, tokenVar: 'TASKHOOKS_HOOK_TOKEN_0123ABCD', guarded: false }) : {};
  const hook = own ? h : { type: 'http', url: `http://127.0.0.1:${port}/hooks/user-prompt-submit`, timeout: 5 };
  return `${JSON.stringify({ hooks: { UserPromptSubmit: [{ matcher: '', hooks: [hook] }] } }, null, 2)}\n`;
}

/** A project with `.claude/<name>` holding `text`; the file's path. */
function project(name: string, text: string): { root: string; file: string } {
  const root = dir();
  execFileSync('git', ['init', '-q', root]);
  mkdirSync(path.join(root, '.claude'));
  const file = path.join(root, '.claude', name);
  writeFileSync(file, text);
  return { root, file };
}

const move = (projects: string[], home: string) =>
  rewriteEndpointFiles({
    projects,
    endpoint: { hookPort: 5000, hookToken: 'b'.repeat(64) } as never,
    home,
    env: { HOME: dir() },
    log: silentLogger(),
  });

describe('a port move', () => {
  it("leaves a repository's committed settings, and a look-alike anywhere, as they were", async () => {
    const committed = project('settings.json', hooks(4000, true));
    execFileSync('git', ['-C', committed.root, 'add', '.claude/settings.json']);
    const local = project('settings.local.json', hooks(4000, false));
    const out = await move([committed.root, local.root], dir());
    expect(readFileSync(committed.file, 'utf8')).toBe(hooks(4000, true));
    expect(readFileSync(local.file, 'utf8')).toBe(hooks(4000, false));
    expect(out.rewritten).toEqual([]);
  });

  it('follows no link of a project out of it, and says which file it left', async () => {
    const outside = path.join(dir(), 'settings.json');
    writeFileSync(outside, hooks(4000, true));
    const { root } = project('settings.json', '{}\n');
    symlinkSync(outside, path.join(root, '.claude', 'settings.local.json'));
    const out = await move([root], dir());
    expect(readFileSync(outside, 'utf8')).toBe(hooks(4000, true));
    expect(out.failed).toEqual([expect.stringContaining(`leads to ${outside}, outside`)]);
  });

  it("points install's own hooks at the new port, the token staying in the person's settings", async () => {
    const { root, file } = project('settings.local.json', hooks(4000, true));
    const home = dir();
    const out = await move([root], home);
    expect(readFileSync(file, 'utf8')).toBe(
      hooks(5000, true).replaceAll('TASKHOOKS_HOOK_TOKEN_0123ABCD', hookTokenVar(home)),
    );
    expect(out.rewritten).toContain(file);
  });
});
