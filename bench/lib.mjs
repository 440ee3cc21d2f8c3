// Shared benchmark helpers. Every figure is a ratio against bare `node -e 0` measured in the same run,
// with target and baseline runs interleaved so machine noise hits both alike.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const node = process.execPath;

export function runOnce(cmd, args, { input = '', env = process.env, cwd = root } = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { input, env, cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

export function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * p) - 1))];
  // The largest from the sorted copy: spreading 300,000 samples into Math.max overflows the stack.
  return {
    n: s.length,
    p25: q(0.25),
    p50: q(0.5),
    p75: q(0.75),
    p95: q(0.95),
    p99: q(0.99),
    max: s[s.length - 1],
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

/**
 * Times `target` (a {cmd, args, input, env, cwd} spec) against bare node, interleaved, and returns both medians and
 * the ratio of medians. `target.before`, when given, runs untimed before each target run (to set up its state again).
 */
export function compareToBareNode(target, { runs = 30, warmup = 3 } = {}) {
  const bare = { cmd: node, args: ['-e', '0'] };
  for (let i = 0; i < warmup; i++) {
    runOnce(bare.cmd, bare.args);
    target.before?.();
    runOnce(target.cmd, target.args, target);
  }
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    a.push(runOnce(bare.cmd, bare.args).ms);
    target.before?.();
    b.push(runOnce(target.cmd, target.args, target).ms);
  }
  const baseline = stats(a);
  const measured = stats(b);
  return { baseline, measured, ratio: measured.p50 / baseline.p50 };
}

export function fmt(ms) {
  return `${ms.toFixed(1)} ms`;
}

export function report(label, result, goal) {
  const g = goal ? `  (goal ≤ ${goal}×)` : '';
  console.log(
    `${label.padEnd(48)} ${result.ratio.toFixed(2)}×  [${fmt(result.measured.p50)} vs bare node ${fmt(result.baseline.p50)}, p95 ${fmt(result.measured.p95)}]${g}`,
  );
}

/** The MCP URL a `taskhooks serve` child prints once it listens. */
export function serveUrl(child) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(out);
      if (m && out.includes('Ctrl-C stops')) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

/** The environment for the commits a bench makes in its own repositories. */
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@b',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@b',
};

/** A git repository at `dir` (its parents made too) holding one empty commit on `main`; returns `dir`. */
export function makeRepo(dir) {
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'initial'], { cwd: dir, env: gitEnv });
  return dir;
}

/** A PreToolUse of an Edit in `repo`, as Claude Code posts it: the input the hook benches send. */
export function editInput(repo) {
  return JSON.stringify({
    session_id: 'bench',
    cwd: repo,
    hook_event_name: 'PreToolUse',
    tool_name: 'Edit',
    tool_input: { file_path: path.join(repo, 'a.ts'), old_string: 'a', new_string: 'b' },
  });
}
