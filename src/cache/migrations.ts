/**
 * Forward-only migrations, each the SQL it runs. Index i moves a database from version i to i+1; never edit one that
 * has shipped, append a new one instead.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the cache proper.
  `
    CREATE TABLE kv (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      expires_at INTEGER,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX kv_expires ON kv(expires_at) WHERE expires_at IS NOT NULL;
    CREATE TABLE task_snapshots (
      source_key TEXT NOT NULL,
      project TEXT NOT NULL,
      branch TEXT NOT NULL,
      fetched_at INTEGER NOT NULL,
      source TEXT NOT NULL,
      tasks TEXT NOT NULL,
      next_task TEXT,
      note TEXT,
      PRIMARY KEY (source_key, project, branch)
    );
    CREATE TABLE git_state (
      repo TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      fetched_at INTEGER NOT NULL
    );
    CREATE TABLE oauth_tokens (
      issuer TEXT NOT NULL,
      client_id TEXT NOT NULL,
      access_token TEXT NOT NULL,
      token_type TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      scope TEXT,
      PRIMARY KEY (issuer, client_id)
    );
    CREATE TABLE session_injections (
      session_id TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (session_id, key)
    );
  `,
  // 2: what the client side and the monitor share across processes.
  `
    ALTER TABLE task_snapshots ADD COLUMN last_error TEXT;
    ALTER TABLE task_snapshots ADD COLUMN last_error_at INTEGER;
    CREATE TABLE breakers (
      server TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      failures INTEGER NOT NULL,
      opened_at INTEGER,
      last_error TEXT,
      last_error_at INTEGER
    );
    CREATE TABLE server_metrics (
      server TEXT PRIMARY KEY,
      calls INTEGER NOT NULL,
      failures INTEGER NOT NULL,
      total_ms REAL NOT NULL,
      last_error TEXT,
      last_error_at INTEGER,
      last_success_at INTEGER
    );
    CREATE TABLE server_latency (
      server TEXT NOT NULL,
      at INTEGER NOT NULL,
      ms REAL NOT NULL
    );
    CREATE INDEX server_latency_by_server ON server_latency(server, at);
    CREATE TABLE projects (
      root TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      source_key TEXT NOT NULL,
      last_seen INTEGER NOT NULL,
      registered_by TEXT NOT NULL,
      last_refresh_at INTEGER,
      last_outcome TEXT,
      last_error TEXT
    );
    CREATE TABLE alerts (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      source_key TEXT NOT NULL,
      project TEXT NOT NULL,
      kind TEXT NOT NULL,
      task_id TEXT NOT NULL,
      message TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      shown_at INTEGER,
      UNIQUE (source_key, project, kind, task_id)
    );
  `,
  // 3: what PreToolUse needs from a snapshot (the task in progress, the next task), kept beside the full list so a
  // tool call does not parse a thousand tasks to find one.
  'ALTER TABLE task_snapshots ADD COLUMN brief TEXT',
  // 4: freshness by change. A write somewhere marks a snapshot stale until a fetch that began after the mark replaces
  // it; a snapshot patched from a tool's answer is due for a refresh (trusted meanwhile); concurrent hooks that find
  // one project cold share one fetch through a lease.
  `
    ALTER TABLE task_snapshots ADD COLUMN stale_since INTEGER;
    ALTER TABLE task_snapshots ADD COLUMN refresh_due INTEGER;
    CREATE TABLE fetch_leases (
      source_key TEXT NOT NULL,
      project TEXT NOT NULL,
      branch TEXT NOT NULL,
      holder TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      PRIMARY KEY (source_key, project, branch)
    );
  `,
  // 5: a source that gives no tasks taskhooks can read (an arbitrary MCP server's answer) is shown as it words it.
  'ALTER TABLE task_snapshots ADD COLUMN text TEXT',
  // 6: taskhooks registered twice (a plugin and settings) runs each hook twice: the first run of an event takes it.
  'CREATE TABLE event_leases (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)',
  // 7: the live sessions of this machine and the tasks they hold, so parallel sessions do not take the same task.
  `
    CREATE TABLE live_sessions (
      session_id TEXT PRIMARY KEY,
      project TEXT NOT NULL,
      branch TEXT NOT NULL,
      cwd TEXT NOT NULL,
      task_id TEXT,
      pid INTEGER,
      started_at INTEGER NOT NULL,
      last_seen INTEGER NOT NULL
    );
    CREATE TABLE task_claims (
      project TEXT NOT NULL,
      task_id TEXT NOT NULL,
      session_id TEXT NOT NULL,
      claimed_at INTEGER NOT NULL,
      PRIMARY KEY (project, task_id)
    );
  `,
  // 8: the claims this machine's sessions hold on their task server, so the monitor renews them while the session
  // lives and gives them back when it ends.
  `
    CREATE TABLE server_claims (
      source_key TEXT NOT NULL,
      project TEXT NOT NULL,
      task_id TEXT NOT NULL,
      session_id TEXT NOT NULL,
      root TEXT NOT NULL,
      lease_seconds INTEGER NOT NULL,
      renewed_at INTEGER NOT NULL,
      PRIMARY KEY (source_key, project, task_id)
    );
  `,
  // 9: REST task services answer a request repeated with the ETag of the last answer with 304, which costs no rate
  // limit and no download: the answer is kept with its ETag, per request and per credential.
  `
    CREATE TABLE http_etags (
      url TEXT NOT NULL,
      identity TEXT NOT NULL,
      etag TEXT NOT NULL,
      body TEXT NOT NULL,
      link TEXT,
      used_at INTEGER NOT NULL,
      PRIMARY KEY (url, identity)
    );
  `,
  // 10: where a snapshot's listing stood on a server that numbers its changes, so the next fetch asks only what
  // changed since (a delta) instead of the whole list.
  `
    ALTER TABLE task_snapshots ADD COLUMN cursor_sequence INTEGER;
    ALTER TABLE task_snapshots ADD COLUMN cursor_basis TEXT;
  `,
  // 11: which coding agent runs a live session (claude, codex, gemini), so the others can say whose a claim is.
  'ALTER TABLE live_sessions ADD COLUMN agent TEXT;',
  // 12: the session an alert was told to, so a run answering after a monitor too late to reach it tells it again.
  'ALTER TABLE alerts ADD COLUMN shown_to TEXT;',
];
