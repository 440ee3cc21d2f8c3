// A token in disguise is masked all the same, and no fragment of it survives: a combining mark or an invisible
// character inside it, a line break or a space in its middle, `%5F` or `&#95;` for its underscore, base64 of it, or
// half of it in a task's title and half in its description. Ordinary text (prose, code, URLs, UUIDs, git SHAs, base64
// of plain words) passes as it was, and the work stays linear in the text's length.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  loadTokenFormats,
  mayHoldToken,
  registerSecret,
  scrubData,
  scrubString,
  scrubStrings,
} from '../../src/log/redact.js';
import { makeRepo } from '../helpers/git.js';
import { hookEnv, ROOMY_DEADLINES, tempHome } from '../helpers/hooks.js';
import { runCliOk } from '../helpers/cli.js';

const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

const alnum = (n: number): string => {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(n)].map((b) => abc[b % abc.length]).join('');
};
// Tokens of published formats, made up here (random, so their entropy is a real token's), and one registered; a
// letter after the underscore, which `&#95` without its semicolon would otherwise take into the number.
const GHP = `ghp_T${alnum(35)}`;
const PAT = `github_pat_Q${alnum(81)}`;
const ANT = `sk-ant-api03-${alnum(93)}AA`;
const KNOWN = `known-${randomBytes(12).toString('hex')}`;
registerSecret(KNOWN);

/** The fragments no output may hold: every run of 8 characters of the secret. */
const fragments = (secret: string): string[] =>
  Array.from({ length: secret.length - 7 }, (_, i) => secret.slice(i, i + 8)).filter((f) => /^[\w-]+$/.test(f));

function expectMasked(out: string, secret: string): void {
  expect(out).toContain('[redacted]');
  for (const f of fragments(secret)) expect(out, f).not.toContain(f);
}

describe('a token with a mark or an invisible character inside', () => {
  const at = (token: string, i: number, inside: string): string => `${token.slice(0, i)}${inside}${token.slice(i)}`;
  it.each([
    ['a combining acute accent', '\u0301'],
    ['a combining grave and cedilla', '\u0300\u0327'],
    ['a zero-width joiner', '\u200d'],
    ['a zero-width space', '\u200b'],
    ['a soft hyphen', '\u00ad'],
    ['a zero-width space as an HTML reference', '&#8203;'],
    ['a zero-width space percent-encoded', '%E2%80%8B'],
  ])('%s is masked whole', async (_label, inside) => {
    await loadTokenFormats();
    for (const token of [GHP, ANT, KNOWN]) {
      const out = scrubString(`use ${at(at(token, 12, inside), 6, inside)} here`);
      expect(out).toBe('use [redacted] here');
    }
  });

  it('a letter with an accent in place of a plain one (é for e) is masked whole', async () => {
    await loadTokenFormats();
    const token = `ghp_${'e'}${alnum(35)}`;
    expect(scrubString(`use ${token.replace('ghp_e', 'ghp_\u00e9')} here`)).toBe('use [redacted] here');
  });
});

describe('a token split by whitespace', () => {
  it.each([
    ['a line break', '\n'],
    ['a CRLF line break', '\r\n'],
    ['a line break and indentation', '\n    '],
    ['a space', ' '],
    ['two spaces', '  '],
    ['a tab', '\t'],
  ])('%s in its middle leaves no piece of it', async (_label, split) => {
    await loadTokenFormats();
    for (const token of [GHP, PAT, ANT, KNOWN]) {
      for (const at of [5, 13, token.length - 3]) {
        const text = `Please rotate ${token.slice(0, at)}${split}${token.slice(at)} before Friday`;
        const out = scrubString(text);
        expectMasked(out, token);
        expect(out).toMatch(/^Please rotate \[redacted\] before Friday$/);
      }
    }
  });

  it('over three lines, as a wrapped token shows', async () => {
    await loadTokenFormats();
    const text = `token:\n${PAT.slice(0, 30)}\n${PAT.slice(30, 60)}\n${PAT.slice(60)}\nthanks`;
    expect(scrubString(text)).toBe('token:\n[redacted]\nthanks');
  });
});

describe('a token written with escapes', () => {
  const under = (token: string, underscore: string): string => token.replaceAll('_', underscore);
  it.each([
    ['%5F', '%5F'],
    ['%5f', '%5f'],
    ['&#95;', '&#95;'],
    ['&#x5f;', '&#x5f;'],
    ['&#X5F;', '&#X5F;'],
    ['&lowbar;', '&lowbar;'],
    ['&#95 (no semicolon)', '&#95'],
  ])('%s for an underscore', async (_label, underscore) => {
    await loadTokenFormats();
    for (const token of [GHP, PAT])
      expect(scrubString(`use ${under(token, underscore)} here`)).toBe('use [redacted] here');
  });

  it('every character escaped, and the hyphens of a registered secret', async () => {
    await loadTokenFormats();
    const entities = [...GHP].map((c) => `&#${c.charCodeAt(0)};`).join('');
    const percent = [...GHP].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    expect(scrubString(`a ${entities} b`)).toBe('a [redacted] b');
    expect(scrubString(`a ${percent} b`)).toBe('a [redacted] b');
    expect(scrubString(`a ${KNOWN.replace('-', '%2D')} b`)).toBe('a [redacted] b');
  });
});

describe('a token in base64', () => {
  const b64 = (text: string, url = false): string => Buffer.from(text).toString(url ? 'base64url' : 'base64');
  it.each([
    ['the token alone', (t: string) => b64(t)],
    ['the token in a line of config', (t: string) => b64(`export TOKEN=${t}\n`)],
    ['the token in URL-safe base64', (t: string) => b64(`{"token":"${t}"}`, true)],
    ['a registered secret', () => b64(`password=${KNOWN}`)],
  ])('%s is masked', async (_label, encode) => {
    await loadTokenFormats();
    for (const token of [GHP, ANT]) {
      const encoded = encode(token);
      const out = scrubString(`config ${encoded} end`);
      expect(out).toContain('[redacted]');
      expect(out.startsWith('config ') && out.endsWith(' end')).toBe(true);
      // No run that decodes to a piece of the secret is left.
      const decoded = [...out.matchAll(/[A-Za-z0-9+/_-]{4,}/g)].map((m) => Buffer.from(m[0], 'base64').toString());
      for (const secret of [token, KNOWN]) for (const d of decoded) expect(d).not.toContain(secret.slice(4, 16));
    }
  });

  it('inside a longer base64 blob, only the characters that encode the token go', async () => {
    await loadTokenFormats();
    const encoded = b64(`${'lorem ipsum dolor sit amet '.repeat(4)}${GHP} ${'consectetur adipiscing '.repeat(4)}`);
    const out = scrubString(encoded);
    expect(out).toContain('[redacted]');
    expect(out.startsWith(encoded.slice(0, 100))).toBe(true);
    expect(out.endsWith(encoded.slice(-80))).toBe(true);
  });
});

describe("a secret split across a task's title and description", () => {
  it('is masked in both, and each keeps its other words', async () => {
    await loadTokenFormats();
    for (const token of [GHP, ANT, KNOWN]) {
      const task = scrubData({
        id: 'T-1',
        title: `Rotate ${token.slice(0, 14)}`,
        description: `${token.slice(14)} before Friday`,
      });
      expect(task).toEqual({ id: 'T-1', title: 'Rotate [redacted]', description: '[redacted] before Friday' });
    }
    const [title, description] = scrubStrings([`x ${GHP.slice(0, 20)}`, `${GHP.slice(20)} y`]);
    expect([title, description]).toEqual(['x [redacted]', '[redacted] y']);
  });

  it('a title and a description that each hold a whole token, or none, are left to themselves', async () => {
    await loadTokenFormats();
    expect(scrubData({ title: `Rotate ${GHP}`, description: 'the bot token' })).toEqual({
      title: 'Rotate [redacted]',
      description: 'the bot token',
    });
    expect(scrubData({ title: 'Fix 3 tests', description: 'v2 of T12 fails' })).toEqual({
      title: 'Fix 3 tests',
      description: 'v2 of T12 fails',
    });
  });
});

describe('a hook, which loads the rules only for text that may hold a token', () => {
  it('loads them for a token in disguise, in text or in data', () => {
    // Split inside its keyword (`gh`, `p_…`): only the joined copy holds `ghp_`.
    const split = `x ${GHP.slice(0, 2)}\n${GHP.slice(2)} y`;
    for (const about of [
      split,
      { output: { context: [split] } },
      `use ${GHP.replace('_', '%5F')}`,
      `use ${GHP.replace('_', '&lowbar;')}`,
      `config ${Buffer.from(`token=${GHP}`).toString('base64')}`,
    ])
      expect(mayHoldToken(about), JSON.stringify(about)).toBe(true);
    expect(mayHoldToken({ title: 'Fix the checkout total', labels: ['bug'] })).toBe(false);
  });
});

describe('ordinary text', () => {
  it('passes unchanged', async () => {
    await loadTokenFormats();
    const texts = [
      'Fix the login bug in src/app.ts:42 for user@example.com; see T-12 and PR #3405.',
      'See https://github.com/acme/widgets/issues/12?q=is%3Aopen%20label%3Abug&sort=created and ssh://git@github.com/acme/w.git',
      'https://example.com/search?q=hello%20world&lang=en_US&utm_source=mail#top',
      '<p>Tom &amp; Jerry &lt;3 &mdash; caf&eacute; &#169; 2024 &nbsp;</p>',
      'Ünïcödé, 数据, x² and ½ stay; café and naïve in decomposed form: cafe\u0301 nai\u0308ve',
      'const user_id = getUserName(req_2); if (x1 && y2) return fooBar_3 + 42;',
      'id 550e8400-e29b-41d4-a716-446655440000 and 6ba7b810-9dad-11d1-80b4-00c04fd430c8',
      'commit 3f2a9c1d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b\nMerge: 4b1d2e3 9af8e7d\n    Fix the build on Node 20\n',
      'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678\nb2c3d4e5f60718293a4b5c6d7e8f901234567890\n',
      'hello world in base64 is aGVsbG8gd29ybGQ= and the lorem text is bG9yZW0gaXBzdW0gZG9sb3Igc2l0IGFtZXQ=',
      'Use AKIA-style detection docs; the ghp_ prefix explained; sk-ant- keys start so',
      'In 2024 we shipped v1.2.3 to 15 regions (eu-west-1, us-east-2) with 99.9% uptime and 100% tests',
      'Table:\n| col_1 | col_2 |\n|-------|-------|\n| a1    | b2    |',
      "SELECT user_id, created_at FROM events WHERE ts > now() - interval '7 days' ORDER BY id_2 DESC",
    ];
    for (const text of texts) expect(scrubString(text)).toBe(text);
    expect(scrubData({ title: 'Fix T-12 on v2', description: 'Repro: run npm_test_3 twice' })).toEqual({
      title: 'Fix T-12 on v2',
      description: 'Repro: run npm_test_3 twice',
    });
  });
});

describe('work on crafted disguise input', () => {
  /** The fastest of `n` runs of scrubString on `text`, in ms. */
  const timed = (text: string, n: number): number => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      scrubString(text);
      best = Math.min(best, performance.now() - t);
    }
    return best;
  };

  // A backtracking rule makes ten times the input take a hundred times as long; linear work takes ten. The bound sits
  // between, with room for a loaded machine's collector on the larger string (a run under load read 25.2).
  it('grows linearly: 1 MB takes at most 40 times what 100 KB takes (linear: 10, quadratic: 100)', async () => {
    await loadTokenFormats();
    // Every disguise, near-misses of token rules, base64 that decodes to text, and pieces that invite joining.
    const unit =
      'ghp_a1%5Fb2&#95;c\u0301d3 e4\nsk-ant-api03-x9 Y8z7 aGVsbG8gZ2hwXzEyMzQ1Njc4OTA= github&lowbar;pat_Q1 w2\r\n' +
      'xoxb-1234567890-12 34 AKIA2E3F 4G5H &#x5f;&#8203;%E2%80%8B known-0a1b 2c3d ';
    const make = (size: number): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
    const small = make(100_000);
    const large = make(1_000_000);
    timed(small, 1);
    const ratio = timed(large, 3) / timed(small, 5);
    expect(ratio).toBeLessThan(40);
  }, 120_000);
});

describe('through the CLI', () => {
  it('`tasks add` with a disguised token across title and description: add, show and --json show it masked', async () => {
    const { home, cleanup } = tempHome({ hooks: ROOMY_DEADLINES });
    cleanups.push(cleanup);
    const repo = makeRepo({ name: 'shop', branch: 'main' });
    cleanups.push(repo.cleanup);
    const cli = async (...args: string[]): Promise<string> => {
      const { stdout, stderr } = await runCliOk(args, { env: { ...hookEnv(home), NO_COLOR: '1' }, cwd: repo.dir });
      return stdout + stderr;
    };
    // Half the token in the title with a combining mark and `&#95;` for its underscore, half in the description.
    const title = `Rotate ghp&#95;${GHP.slice(4, 10)}\u0301${GHP.slice(10, 24)}`;
    const description = `${GHP.slice(24)} before Friday; the other is ${PAT.slice(0, 40)}\n${PAT.slice(40)}`;
    const added = await cli('tasks', 'add', title, '--description', description);
    const id = /Added (\S+) /.exec(added)?.[1] ?? '';
    expect(added).toContain(`Added ${id} (every branch): Rotate [redacted]`);
    const printed = [
      added,
      await cli('tasks', 'show', id),
      await cli('tasks', 'show', id, '--json'),
      await cli('tasks', 'list', '--json'),
    ];
    for (const out of printed)
      for (const secret of [GHP, PAT]) for (const f of fragments(secret)) expect(out).not.toContain(f);
    const shown = JSON.parse(printed[2] as string) as { title: string; description: string };
    expect(shown.title).toBe('Rotate [redacted]');
    expect(shown.description).toBe('[redacted] before Friday; the other is [redacted]');
    expect(printed[1]).toContain('[redacted] before Friday');
  });
});
