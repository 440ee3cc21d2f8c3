// A secret split by one invisible or control character, written in fullwidth letters, of a published format taskhooks
// was never told of, or inside a URL's user part, is found all the same: text is normalised before redaction looks,
// wherever it goes (the scrubber, the sanitizer, task data, kept HTTP bodies, the CLI's answers, doctor).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { readEtag, writeEtag } from '../../src/cache/etags.js';
import { recordRefresh, registerProject } from '../../src/cache/registered-projects.js';
import { sanitize } from '../../src/context/sanitize.js';
import { loadTokenFormats, registerSecret, scrubData, scrubString } from '../../src/log/redact.js';
import { git, makeRepo } from '../helpers/git.js';
import { filesUnder, hookEnv, ROOMY_DEADLINES, tempHome } from '../helpers/hooks.js';
import { runCli } from '../helpers/cli.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// The rules of published formats load on first need (the CLI, the monitor and the network stack load them at start).
beforeAll(() => loadTokenFormats());

const KNOWN = `known-${randomBytes(12).toString('hex')}`;
registerSecret(KNOWN);
const split = (secret: string, at: string): string => `${secret.slice(0, 9)}${at}${secret.slice(9)}`;
const fullwidth = (text: string): string =>
  [...text]
    .map((c) => (c >= '!' && c <= '~' ? String.fromCodePoint((c.codePointAt(0) as number) + 0xfee0) : c))
    .join('');

// Tokens of published formats, made up here (random, so their entropy is a real token's).
const alnum = (n: number): string => {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(n)].map((b) => abc[b % abc.length]).join('');
};
const UNKNOWN: Array<[string, string]> = [
  ['a GitHub classic token', `ghp_${alnum(36)}`],
  ['a GitHub fine-grained token', `github_pat_${alnum(82)}`],
  ['an Anthropic key', `sk-ant-api03-${alnum(93)}AA`],
  ['a Slack bot token', `xoxb-1234567890123-1234567890123-${alnum(24)}`],
  ['an AWS access key id', 'AKIA2E3F4G5H6I7J2K3L'],
  ['a GitLab token', `glpat-${alnum(20)}`],
];

const SPLITTERS: Array<[string, string]> = [
  ['a zero-width space', '\u200b'],
  ['a soft hyphen', '\u00ad'],
  ['a right-to-left override', '\u202e'],
  ['a bidi isolate', '\u2066'],
  ['a word joiner', '\u2060'],
  ['a BEL (C0)', '\u0007'],
  ['a C1 control', '\u0085'],
  ['an escape sequence', '\u001b[0m'],
];

describe('a known secret split by one character', () => {
  it.each(SPLITTERS)('with %s inside is redacted by the scrubber, the sanitizer and task data', (_label, at) => {
    const text = `Rotate ${split(KNOWN, at)} before Friday`;
    for (const out of [scrubString(text), sanitize(text), scrubData({ title: text }).title]) {
      expect(out).toContain('Rotate [redacted] before Friday');
      expect(out).not.toContain(KNOWN.slice(9));
    }
  });

  it('in fullwidth letters is found too (NFKC)', () => {
    expect(scrubString(`the key ${fullwidth(KNOWN)}`)).toBe('the key [redacted]');
  });
});

describe('tokens taskhooks was never told of', () => {
  it.each(UNKNOWN)('%s is redacted, whole or split', (_label, token) => {
    expect(scrubString(`use ${token} here`)).toBe('use [redacted] here');
    expect(sanitize(`use ${split(token, '\u200b')} here`)).toBe('use [redacted] here');
  });

  it('ordinary text is left as it was', () => {
    for (const text of [
      'Fix the login bug in src/app.ts:42 for user@example.com',
      'See https://github.com/acme/widgets/issues/12 and ssh://git@github.com/acme/widgets.git',
      'Ünïcödé, 数据, x² and ½ stay; the access key is in the vault',
      'Bump AKIA-style detection docs; ghp_ prefix explained',
    ]) {
      expect(scrubString(text)).toBe(text);
    }
  });
});

describe('credentials in URLs', () => {
  it.each([
    ['https://dana:s3cret-pass@git.example.com/acme/widgets.git', 'https://git.example.com/acme/widgets.git'],
    ['https://x-access-token:abc@d@github.com/acme/w.git', 'https://github.com/acme/w.git'],
    ['https://ghtoken123456@github.com/acme/w', 'https://github.com/acme/w'],
    ['ssh://git@github.com/acme/w.git', 'ssh://git@github.com/acme/w.git'],
    ['git@github.com:acme/w.git', 'git@github.com:acme/w.git'],
    // A query token of no published format: masked for its parameter's name, the rest of the query kept.
    [
      'https://gitlab.example.com/api/v4?private_token=plain0not0a0token&per_page=5&access_token=x1;api-key=y2#top',
      'https://gitlab.example.com/api/v4?private_token=[redacted]&per_page=5&access_token=[redacted];api-key=[redacted]#top',
    ],
    [
      'https://tracker.example.com/issues?state=open&sort=asc',
      'https://tracker.example.com/issues?state=open&sort=asc',
    ],
  ])('%s is shown as %s', (url, shown) => {
    expect(scrubString(`fatal: could not read ${url}`)).toBe(`fatal: could not read ${shown}`);
  });

  it("the cache's last-error text holds none", () => {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const cache = openCache({ home });
    cleanups.push(() => cache.close());
    registerProject(cache, { root: '/r', name: 'widgets', sourceKey: 'k', registeredBy: 'test' });
    recordRefresh(cache, '/r', 'error', 'git fetch https://dana:hunter2-pass@git.example.com/acme/w.git failed');
    const row = cache.db.prepare('SELECT last_error FROM projects').get() as { last_error: string };
    expect(row.last_error).toBe('git fetch https://git.example.com/acme/w.git failed');
  });
});

describe('kept HTTP bodies', () => {
  it('go through the same scrubber, and stay JSON', () => {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const cache = openCache({ home });
    cleanups.push(() => cache.close());
    const [, token] = UNKNOWN[0] as [string, string];
    const body = JSON.stringify([{ title: `leaked ${token}`, body: `and ${split(KNOWN, '\u200b')}` }]);
    writeEtag(cache, 'https://api.github.com/x', 'id', { etag: '"1"', body, link: null });
    const kept = readEtag(cache, 'https://api.github.com/x', 'id');
    expect(kept?.body).not.toContain(token);
    expect(kept?.body).not.toContain(KNOWN.slice(9));
    expect(JSON.parse(kept?.body ?? '')).toEqual([{ title: 'leaked [redacted]', body: 'and [redacted]' }]);
  });
});

describe('end to end', () => {
  it('`tasks add` echoes no token, and doctor shows no credential of the origin URL', async () => {
    const { home, cleanup } = tempHome({ hooks: ROOMY_DEADLINES });
    cleanups.push(cleanup);
    const repo = makeRepo({ name: 'shop', branch: 'main' });
    cleanups.push(repo.cleanup);
    const [, ghp] = UNKNOWN[0] as [string, string];
    const cli = (args: string[], env: Record<string, string> = {}) =>
      runCli(args, { env: hookEnv(home, env), cwd: repo.dir }).then((r) => r.stdout + r.stderr);
    const added = await cli(['tasks', 'add', `Revoke ${ghp} today`]);
    expect(added).toContain('Revoke [redacted] today');
    expect(added).not.toContain(ghp);

    const password = `pw-${randomBytes(10).toString('hex')}`;
    git(repo.dir, 'remote', 'add', 'origin', `https://dana:${password}@localhost/acme/shop.git`);
    const doctor = await cli(['doctor'], {
      TASKHOOKS_ADAPTER: 'github',
      GH_TOKEN: 'gh-fake-token',
      // Port 80 of the loopback: nothing answers, and the origin's host is the API's.
      GITHUB_API_URL: 'http://localhost/api/v3',
    });
    expect(doctor).toContain('(origin https://localhost/acme/shop.git)');
    expect(doctor).not.toContain(password);
    expect(filesUnder(home).filter((f) => readFileSync(f).includes(password))).toEqual([]);
  });
});
