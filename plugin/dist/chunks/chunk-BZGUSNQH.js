import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{DamagedDatabaseError,openSqlite,quarantine}from"./chunk-XAN4QPXQ.js";import{refuseMigrationUnderOtherBuild}from"./chunk-7EHHQK5R.js";import{homeFiles}from"./chunk-STR423MI.js";var MIGRATIONS=[`
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
  `,`
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
  `,"ALTER TABLE task_snapshots ADD COLUMN brief TEXT",`
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
  `,"ALTER TABLE task_snapshots ADD COLUMN text TEXT","CREATE TABLE event_leases (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)",`
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
  `,`
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
  `,`
    CREATE TABLE http_etags (
      url TEXT NOT NULL,
      identity TEXT NOT NULL,
      etag TEXT NOT NULL,
      body TEXT NOT NULL,
      link TEXT,
      used_at INTEGER NOT NULL,
      PRIMARY KEY (url, identity)
    );
  `,`
    ALTER TABLE task_snapshots ADD COLUMN cursor_sequence INTEGER;
    ALTER TABLE task_snapshots ADD COLUMN cursor_basis TEXT;
  `,"ALTER TABLE live_sessions ADD COLUMN agent TEXT;","ALTER TABLE alerts ADD COLUMN shown_to TEXT;"];import path from"node:path";function openCache(options){const file=options.file??homeFiles(options.home).cache;const sqlite={migrations:MIGRATIONS,busyTimeoutMs:options.busyTimeoutMs??5e3,privateFile:true,beforeMigrate:(_db,from)=>refuseMigrationUnderOtherBuild(options.home,`${path.basename(file)} is at schema ${from} and this build moves it to ${MIGRATIONS.length}`),...options.pageCacheKiB!==void 0?{pageCacheKiB:options.pageCacheKiB}:{},...options.autoCheckpoint!==void 0?{autoCheckpoint:options.autoCheckpoint}:{}};let db;try{db=openSqlite(file,sqlite)}catch(err){if(!(err instanceof DamagedDatabaseError))throw err;const movedTo=quarantine(file,{log:options.log});options.log?.error({file,movedTo,err:err.cause},"cache database was corrupt or unreadable: moved aside and recreated");db=openSqlite(file,sqlite)}return cacheOn(db,file,options.home)}var MAX_STATEMENTS=256;function keepStatements(db){const prepare=db.prepare.bind(db);const kept=new Map;const reuse=sql=>{let statement=kept.get(sql);if(!statement){if(kept.size>=MAX_STATEMENTS)kept.clear();statement=prepare(sql);kept.set(sql,statement)}return statement};db.prepare=reuse;return db}function cacheOn(connection,file,home,copy){const db=keepStatements(connection);return{db,file,home,write:fn=>db.transaction(fn).immediate(),close:()=>{if(db.open)db.close()},...copy?{copy}:{}}}function withCache(options,fn){const cache=openCache(options);try{return fn(cache)}finally{cache.close()}}export{MIGRATIONS,openCache,cacheOn,withCache};
