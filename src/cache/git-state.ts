import type { GitState } from '../git/state.js';
import type { Cache } from './cache.js';

export function readGitState(cache: Cache, repo: string): { state: GitState; fetchedAt: number } | undefined {
  const row = cache.db.prepare('SELECT state, fetched_at FROM git_state WHERE repo = ?').get(repo) as
    | { state: string; fetched_at: number }
    | undefined;
  return row ? { state: JSON.parse(row.state) as GitState, fetchedAt: row.fetched_at } : undefined;
}

export function writeGitState(cache: Cache, state: GitState, at = Date.now()): void {
  cache.db
    .prepare(
      'INSERT INTO git_state (repo, state, fetched_at) VALUES (?, ?, ?) ON CONFLICT(repo) DO UPDATE SET state = excluded.state, fetched_at = excluded.fetched_at',
    )
    .run(state.repo, JSON.stringify(state), at);
}
