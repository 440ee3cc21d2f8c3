// The status line: Claude Code's status-line JSON in, COLUMNS in the environment, one row out. What the row shows runs
// the code in this process; the built dist/hooks/status-line.js as a child process, as Claude Code runs it, shows the
// rest (input it cannot read, the directory it started in, `taskhooks statusline`'s same row).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { markSnapshotStale, recordSnapshotError } from '../../src/cache/snapshots.js';
import { sourceKey } from '../../src/sources/plan.js';
import { cleanText, displayWidth, fitWidth } from '../../src/statusline/text.js';
import { fitLine } from '../../src/statusline/line.js';
import { statusLine as statusLineOf } from '../../src/statusline/index.js';
import { git } from '../helpers/git.js';
import { countingServer, demoProject, hookEnv, ROOT, seedSnapshot, task, withHomeCache } from '../helpers/hooks.js';

// Every code point the status line must strip, each matched alone (a variation selector included), as the stripper does.
const INVISIBLE =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each code point is matched alone on purpose
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u200b-\u200f\u202a-\u202e\u2060-\u2069\u3164\ufe00-\ufe0f\ufeff\ue000-\uf8ff]/u;

const ENTRY = path.join(ROOT, 'dist/hooks/status-line.js');
const CLI = path.join(ROOT, 'dist/cli.js');

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(config?: unknown) {
  const project = demoProject(config === undefined ? {} : { config });
  cleanups.push(project.cleanup);
  return project;
}

/** What Claude Code sends a status-line command (docs and 2.1.x), fields taskhooks does not read included. */
function claudeInput(dir: string): Record<string, unknown> {
  return {
    hook_event_name: 'Status',
    session_id: '8a4f0f0e-2b1c-4c59-9d59-0c1f3c3a9e11',
    transcript_path: path.join(dir, '.claude-transcript.jsonl'),
    cwd: dir,
    model: { id: 'claude-opus-4-1', display_name: 'Opus' },
    workspace: { current_dir: dir, project_dir: dir, added_dirs: [], git_worktree: null },
    version: '2.1.153',
    output_style: { name: 'default' },
    cost: {
      total_cost_usd: 0.01234,
      total_duration_ms: 45000,
      total_api_duration_ms: 2300,
      total_lines_added: 156,
      total_lines_removed: 23,
    },
    context_window: {
      total_input_tokens: 15234,
      total_output_tokens: 4521,
      context_window_size: 200000,
      used_percentage: 8,
      current_usage: null,
    },
    exceeds_200k_tokens: false,
  };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  script: string[],
  input: unknown,
  opts: { home: string; columns?: string; cwd: string; env?: Record<string, string> },
): Run {
  const extra: Record<string, string> = { ...opts.env };
  if (opts.columns !== undefined) extra.COLUMNS = opts.columns;
  const env = hookEnv(opts.home, extra);
  if (opts.columns === undefined) delete env.COLUMNS;
  const r = spawnSync(process.execPath, script, {
    input: typeof input === 'string' ? input : JSON.stringify(input),
    env,
    cwd: opts.cwd,
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const statusLine = (
  input: unknown,
  opts: { home: string; columns?: string; cwd: string; env?: Record<string, string> },
): Run => run([ENTRY], input, opts);

/** The same row from the status line's code in this process, for what it shows rather than how its process ends. */
async function statusHere(
  input: Record<string, unknown>,
  opts: { home: string; columns: string; cwd: string },
): Promise<Run> {
  const text = JSON.stringify(input);
  const env = hookEnv(opts.home, { COLUMNS: opts.columns });
  const line = await statusLineOf({ bytes: text.length, value: JSON.parse(text) }, { env, cwd: opts.cwd });
  return { code: 0, stdout: line ? `${line}\n` : '', stderr: '' };
}

/** The row printed: exactly one line, ended by a newline. */
function row(r: Run): string {
  expect([r.code, r.stderr]).toEqual([0, '']);
  expect(r.stdout).toMatch(/^[^\n]*\n$/);
  return r.stdout.slice(0, -1);
}

const TWO_MIN_AGO = (): number => Date.now() - 125_000;

function seedRefund(home: string, over: { title?: string; id?: string } = {}): void {
  const tasks = [
    task(over.id ?? 'TASK-001', {
      title: over.title ?? 'Refund flow for EU customers',
      status: 'in_progress',
      priority: 'high',
    }),
    task('TASK-002', { title: 'Add login form' }),
    task('TASK-003', { title: 'Write docs' }),
  ];
  seedSnapshot(home, {
    sourceKey: 'embedded',
    project: 'demo',
    branch: 'main',
    tasks,
    next: tasks[1] ?? null,
    fetchedAt: TWO_MIN_AGO(),
  });
}

describe('status line (dist/hooks/status-line.js)', () => {
  it("shows the task in progress, the pending count and the snapshot's age from Claude Code's JSON", async () => {
    const { repo, home } = setup();
    seedRefund(home);
    const wide = row(await statusHere(claudeInput(repo.dir), { home, columns: '120', cwd: home }));
    expect(wide).toBe('TASK-001 Refund flow for EU customers · 3 pending · 2 min ago');
  });

  it('fits 30 columns: the title is cut with an ellipsis first, then the facts after it give way', async () => {
    const { repo, home } = setup();
    seedRefund(home);
    const narrow = row(await statusHere(claudeInput(repo.dir), { home, columns: '30', cwd: home }));
    expect(narrow).toBe('TASK-001 Refund f… · 3 pending');
    expect(displayWidth(narrow)).toBeLessThanOrEqual(30);
    // Narrower than the id and a flag: cut, never wrapped.
    expect(row(await statusHere(claudeInput(repo.dir), { home, columns: '6', cwd: home }))).toBe('TASK-…');
  });

  it('without COLUMNS (or with nonsense in it) fits a classic 80-column terminal', () => {
    const { repo, home } = setup();
    seedRefund(home, { title: 'x'.repeat(200) });
    for (const columns of [undefined, 'wide', '-3', '0']) {
      const line = row(
        statusLine(claudeInput(repo.dir), { home, cwd: home, ...(columns === undefined ? {} : { columns }) }),
      );
      expect(line.length).toBe(80);
      expect(line).toMatch(/^TASK-001 x+… · 3 pending · 2 min ago$/);
    }
  });

  it('names the next task when none is in progress, and says when nothing is pending', async () => {
    const { repo, home } = setup();
    seedSnapshot(home, {
      sourceKey: 'embedded',
      project: 'demo',
      branch: 'main',
      tasks: [task('T-2', { title: 'Add login form' })],
      next: task('T-3', { title: 'Write docs' }),
      fetchedAt: TWO_MIN_AGO(),
    });
    expect(row(await statusHere(claudeInput(repo.dir), { home, columns: '120', cwd: home }))).toBe(
      'next: T-3 Write docs · 2 pending · 2 min ago',
    );
    seedSnapshot(home, { sourceKey: 'embedded', project: 'demo', branch: 'main', tasks: [], fetchedAt: TWO_MIN_AGO() });
    expect(row(await statusHere(claudeInput(repo.dir), { home, columns: '120', cwd: home }))).toBe(
      'no pending tasks · 2 min ago',
    );
  });

  it('with no cache at all says so and creates nothing; with a cache but no snapshot for the branch, the same', async () => {
    const { repo, home } = setup();
    expect(row(await statusHere(claudeInput(repo.dir), { home, columns: '120', cwd: home }))).toBe(
      'tasks: not fetched yet',
    );
    expect(existsSync(path.join(home, 'cache.db'))).toBe(false);
    seedSnapshot(home, { sourceKey: 'embedded', project: 'demo', branch: 'other', tasks: [task('T-1')] });
    expect(row(await statusHere(claudeInput(repo.dir), { home, columns: '120', cwd: home }))).toBe(
      'tasks: not fetched yet',
    );
  });

  it('marks a stale snapshot and a failed refresh, and keeps the marks at any width', async () => {
    const { repo, home } = setup();
    seedRefund(home);
    const key = { sourceKey: 'embedded', project: 'demo', branch: 'main' };
    withHomeCache(home, (cache) => markSnapshotStale(cache, key));
    expect(row(await statusHere(claudeInput(repo.dir), { home, columns: '120', cwd: home }))).toBe(
      'TASK-001 Refund flow for EU customers · 3 pending · 2 min ago · stale',
    );
    expect(row(await statusHere(claudeInput(repo.dir), { home, columns: '30', cwd: home }))).toBe(
      'TASK-001 Refund flow… · stale',
    );

    withHomeCache(home, (cache) => recordSnapshotError(cache, key, 'task server unreachable'));
    expect(row(await statusHere(claudeInput(repo.dir), { home, columns: '120', cwd: home }))).toBe(
      'TASK-001 Refund flow for EU customers · 3 pending · 2 min ago · stale · refresh failed',
    );
    expect(row(await statusHere(claudeInput(repo.dir), { home, columns: '30', cwd: home }))).toBe(
      'TASK-001 · stale · refresh fa…',
    );

    // A refresh that failed before any succeeded leaves an error and no tasks.
    withHomeCache(home, (cache) => recordSnapshotError(cache, { ...key, branch: 'feature' }, 'connection refused'));
    git(repo.dir, 'checkout', '-q', '-b', 'feature');
    expect(row(await statusHere(claudeInput(repo.dir), { home, columns: '120', cwd: home }))).toBe(
      'tasks: not fetched yet · refresh failed',
    );
  });

  it('says where to look when the cache cannot be read, and logs why', async () => {
    const { repo, home } = setup();
    seedRefund(home);
    // A row no taskhooks version writes: its task list is not JSON, and there is no brief to fall back on.
    withHomeCache(home, (cache) =>
      cache.db.prepare("UPDATE task_snapshots SET tasks = 'not json', brief = NULL").run(),
    );
    const line = row(await statusHere(claudeInput(repo.dir), { home, columns: '200', cwd: home }));
    expect(line).toBe(`tasks: unavailable (see ${path.join(home, 'logs')}/hooks.log)`);
    const log = readFileSync(path.join(home, 'logs/hooks.log'), 'utf8');
    expect(log).toMatch(/"name":"statusline".*status line failed; it shows \\"tasks: unavailable\\" instead/);
    expect(row(await statusHere(claudeInput(repo.dir), { home, columns: '20', cwd: home }))).toBe(
      'tasks: unavailable…',
    );
  });

  it('rotates the hooks log by the configured limits, as the hooks do', async () => {
    const { repo, home } = setup({ monitor: { logMaxBytes: 1000, logFiles: 2 }, unknownKey: true });
    seedRefund(home);
    mkdirSync(path.join(home, 'logs'), { recursive: true });
    writeFileSync(path.join(home, 'logs/hooks.log'), `${'old line\n'.repeat(200)}`);
    expect(row(await statusHere(claudeInput(repo.dir), { home, columns: '200', cwd: home }))).toContain('TASK-001');
    expect(readFileSync(path.join(home, 'logs/hooks.log.1'), 'utf8')).toContain('old line');
    expect(readFileSync(path.join(home, 'logs/hooks.log'), 'utf8')).toMatch(/"name":"statusline".*unknownKey/);
  });

  it('never touches the network, even for a stale snapshot of a remote server', async () => {
    const server = await countingServer();
    cleanups.push(() => server.close());
    const { repo, home } = setup({ source: { servers: [server.url] } });
    const key = {
      sourceKey: sourceKey({ kind: 'remote', adapter: 'agenthub', servers: [server.url] }),
      project: 'demo',
      branch: 'main',
    };
    seedSnapshot(home, {
      ...key,
      tasks: [task('T-1', { status: 'in_progress', title: 'Remote work' })],
      fetchedAt: TWO_MIN_AGO(),
    });
    withHomeCache(home, (cache) => markSnapshotStale(cache, key));
    expect(row(await statusHere(claudeInput(repo.dir), { home, columns: '120', cwd: home }))).toBe(
      'T-1 Remote work · 1 pending · 2 min ago · stale',
    );
    expect(server.connections()).toBe(0);
  });

  it('prints nothing for malformed input, exits 0 and never shows a stack trace', () => {
    const { home } = setup();
    for (const input of [
      '',
      'not json',
      '{"cwd":',
      '[1,2]',
      '"a string"',
      'null',
      '{"cwd":42}',
      '{"workspace":"nope"}',
      '{"workspace":{"current_dir":[]}}',
      '\u0000\u00ff'.repeat(5000),
    ]) {
      const r = statusLine(input, { home, columns: '80', cwd: home });
      expect([r.code, r.stdout, r.stderr], JSON.stringify(input).slice(0, 40)).toEqual([0, '', '']);
    }
  });

  it('with the location fields missing, uses the directory Claude Code started it in', () => {
    const { repo, home } = setup();
    seedRefund(home);
    expect(
      row(
        statusLine(
          { session_id: 's', model: { id: 'x' }, extra: { nested: [1] } },
          { home, columns: '120', cwd: repo.dir },
        ),
      ),
    ).toBe('TASK-001 Refund flow for EU customers · 3 pending · 2 min ago');
  });

  it('prints task text with no escape sequence, control, bidi or invisible character left, within the width', async () => {
    const { repo, home } = setup();
    const hostile = [
      '\u001b[2J\u001b[31mRED\u001b[0m \u001b]0;pwned title\u0007 \u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\',
      'abc\u202Egnp.exe\u202C \u2066isolate\u2069 \u200Bzero\u200Dwidth\uFEFF \u00ADsoft\u061Cmark \u{E0041}\u{E0042}tags',
      'line one\nline two\r\tbell\u0007 C1\u009b31m csi\u0085nel del\u007f',
      '\u3164\u115Ffiller \uFE0Fvs \uE000private Z\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308algo',
      'A'.repeat(100_000),
    ];
    for (const title of hostile) {
      seedRefund(home, { title, id: 'ID\u001b[1m-\u202E7' });
      for (const columns of [30, 120]) {
        const line = row(await statusHere(claudeInput(repo.dir), { home, columns: String(columns), cwd: home }));
        expect(line).not.toMatch(INVISIBLE);
        expect(line).not.toMatch(/[\u{E0000}-\u{E007F}]/u);
        // Escapes go, and so does a bidi override: it can reorder nothing.
        expect(line.startsWith('ID-7 ')).toBe(true);
        expect(displayWidth(line)).toBeLessThanOrEqual(columns);
        expect(line).toMatch(/· 3 pending$| · 3 pending · 2 min ago$/);
      }
    }
    seedRefund(home, { title: hostile[0] });
    expect(row(await statusHere(claudeInput(repo.dir), { home, columns: '120', cwd: home }))).toBe(
      'TASK-001 RED link · 3 pending · 2 min ago',
    );
    seedRefund(home, { title: hostile[3] });
    expect(row(await statusHere(claudeInput(repo.dir), { home, columns: '120', cwd: home }))).toBe(
      'TASK-001 filler vs private Z\u0301\u0302\u0303algo · 3 pending · 2 min ago',
    );
  });

  it('counts wide characters as two columns when it cuts', async () => {
    const { repo, home } = setup();
    seedRefund(home, { title: '返金フローを欧州の顧客向けに作り直す' });
    const line = row(await statusHere(claudeInput(repo.dir), { home, columns: '30', cwd: home }));
    // 9 columns for "TASK-001 ", 12 for " · 3 pending": 9 left, four wide characters and the ellipsis.
    expect(line).toBe('TASK-001 返金フロ… · 3 pending');
  });

  it('`taskhooks statusline` prints the same row as the entry Claude Code runs', () => {
    const { repo, home } = setup();
    seedRefund(home);
    const input = claudeInput(repo.dir);
    const fromCli = run([CLI, 'statusline'], input, { home, columns: '50', cwd: home });
    expect(row(fromCli)).toBe(row(statusLine(input, { home, columns: '50', cwd: home })));
    expect(row(fromCli)).toBe('TASK-001 Refund flow for… · 3 pending · 2 min ago');
  });
});

describe('fitting (unit)', () => {
  it('cleans a row: what sanitize removes, and the private-use characters a terminal shows as boxes', () => {
    expect(cleanText('Fix   the "parser" <now>')).toBe('Fix the ”parser” ‹now›');
    expect(cleanText('a\u200bb\u{E0041}c\ufe0fd\ue0a0e\u{F0000}f\ud800g')).toBe('abcdefg');
    expect(cleanText('pile e\u0301\u0301\u0301\u0301\u0301 \u3164 end')).toBe('pile e\u0301\u0301\u0301 end');
  });

  it('measures wide, combining and plain characters', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('🎉')).toBe(2);
  });

  it('never cuts past the width, and never inside a surrogate pair', () => {
    expect(fitWidth('🎉🎉🎉', 4)).toBe('🎉…');
    expect(fitWidth('abc', 3)).toBe('abc');
    expect(fitWidth('abcd', 0)).toBe('');
    for (let w = 1; w < 12; w++) expect(displayWidth(fitWidth('日本語のタイトル', w))).toBeLessThanOrEqual(w);
  });

  it('gives up the title before the facts only when less than a readable piece of it would be left', () => {
    const parts = { head: 'T-1', title: 'A long title here', facts: ['3 pending', '2 min ago'], flags: [] };
    expect(fitLine(parts, 200)).toBe('T-1 A long title here · 3 pending · 2 min ago');
    // Eight columns for the title: enough to keep the facts.
    expect(fitLine(parts, 36)).toBe('T-1 A long… · 3 pending · 2 min ago');
    // Fewer: the age goes, and the title gets the room back.
    expect(fitLine(parts, 35)).toBe('T-1 A long title here · 3 pending');
    expect(fitLine(parts, 30)).toBe('T-1 A long title… · 3 pending');
    expect(fitLine({ ...parts, title: undefined }, 16)).toBe('T-1 · 3 pending');
  });
});
