import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{DamagedDatabaseError,comparePending,nextTaskOf,openSqlite,quarantine}from"./tasks-chunk-HAA7CE7K.js";import{homeFiles,refuseMigrationUnderOtherBuild}from"./tasks-chunk-ANEF5ENP.js";import{mkdirSync,renameSync,writeFileSync}from"./tasks-chunk-5LVV7QDB.js";import{CONTROL,PLAIN,PLAIN_LINES,scrubData,scrubString}from"./tasks-chunk-3KLB2GJZ.js";var ANGLE=/[<>]/g;var LOOKALIKE={"<":"\u2039",">":"\u203A"};var QUOTE=/"/g;var MARKER=/\[taskhooks\]/gi;function stripControls(raw,{multiline=false}={}){const visible=scrubString(raw);if((multiline?PLAIN_LINES:PLAIN).test(visible))return visible;if(!multiline)return visible.replace(CONTROL," ");return visible.replace(/\r\n/g,"\n").replace(CONTROL,c=>c==="\n"||c==="	"?c:" ")}function sanitize(text,max=200,{quotes=false}={}){if(!text)return"";const clean=stripControls(text).replace(ANGLE,c=>LOOKALIKE[c]??c).replace(QUOTE,q=>quotes?q:"\u201D").replace(MARKER,"(taskhooks)").replace(/\s+/g," ").trim();if(clean.length<=max)return clean;return`${[...clean].slice(0,Math.max(0,max-1)).join("").trimEnd()}\u2026`}import path from"node:path";var newsGenerationFile=home=>path.join(home,"news-generation");function writeAtomic(file,text){mkdirSync(path.dirname(file),{recursive:true,mode:448});const tmp=`${file}.${process.pid}.tmp`;writeFileSync(tmp,text,{mode:384});renameSync(tmp,file)}var bumps=0;function bumpNewsGeneration(cache){if(cache.copy)return;writeAtomic(newsGenerationFile(cache.home),`${Date.now()}-${process.pid}-${++bumps}`)}var VIA_MONITOR=" via the monitor";var snapshotKey=(sourceKey,scope)=>({sourceKey,project:scope.project,branch:scope.branch});function fetchedSnapshot(snap){return snap&&snap.fetchedAt>0?snap:void 0}function fromRow(row){const snap={sourceKey:row.source_key,project:row.project,branch:row.branch,fetchedAt:row.fetched_at,source:row.source,tasks:JSON.parse(row.tasks),next:row.next_task?JSON.parse(row.next_task):null};if(row.note)snap.note=row.note;if(row.text)snap.text=row.text;if(row.last_error)snap.lastError=row.last_error;if(row.last_error_at!==null)snap.lastErrorAt=row.last_error_at;if(row.stale_since!==null)snap.staleSince=row.stale_since;if(row.cursor_sequence!==null&&row.cursor_basis!==null)snap.cursor={sequence:row.cursor_sequence,basis:row.cursor_basis};return snap}function briefOf(tasks,next,text){const brief={};if(tasks.length===0&&text)brief.tasksUnknown=true;const inProgress=[...tasks].sort(comparePending).find(t=>t.status==="in_progress");if(inProgress)brief.inProgress=inProgress;const first=nextTaskOf(tasks,next);if(first)brief.next=first;return brief}function readSnapshot(cache,key){const row=cache.db.prepare("SELECT * FROM task_snapshots WHERE source_key = ? AND project = ? AND branch = ?").get(key.sourceKey,key.project,key.branch);return row?fromRow(row):void 0}function putSnapshot(cache,snap,startedAt){const snapshot=scrubData(snap);return{snapshot,written:writeSnapshotRow(cache,snapshot,startedAt)}}function writeSnapshotRow(cache,snap,startedAt){return cache.db.prepare(`INSERT INTO task_snapshots (source_key, project, branch, fetched_at, source, tasks, next_task, note, text, last_error, last_error_at, brief, cursor_sequence, cursor_basis)
       VALUES (@source_key, @project, @branch, @fetched_at, @source, @tasks, @next_task, @note, @text, NULL, NULL, @brief, @cursor_sequence, @cursor_basis)
       ON CONFLICT(source_key, project, branch) DO UPDATE SET fetched_at = excluded.fetched_at, source = excluded.source,
         tasks = excluded.tasks, next_task = excluded.next_task, note = excluded.note, text = excluded.text, last_error = NULL, last_error_at = NULL,
         brief = excluded.brief, cursor_sequence = excluded.cursor_sequence, cursor_basis = excluded.cursor_basis, stale_since = CASE WHEN stale_since > @started_at THEN stale_since END,
         refresh_due = CASE WHEN refresh_due > @started_at THEN refresh_due END
       WHERE NOT COALESCE(task_snapshots.cursor_basis = excluded.cursor_basis
         AND task_snapshots.cursor_sequence > excluded.cursor_sequence AND task_snapshots.fetched_at > @started_at, 0)`).run({started_at:startedAt,source_key:snap.sourceKey,project:snap.project,branch:snap.branch,fetched_at:snap.fetchedAt,source:snap.source,tasks:JSON.stringify(snap.tasks),next_task:snap.next?JSON.stringify(snap.next):null,note:snap.note??null,text:snap.text??null,brief:JSON.stringify(briefOf(snap.tasks,snap.next,snap.text)),cursor_sequence:snap.cursor?.sequence??null,cursor_basis:snap.cursor?.basis??null}).changes>0}function projectSnapshotKeys(cache,sourceKey,project){const rows=cache.db.prepare("SELECT branch FROM task_snapshots WHERE source_key = ? AND project = ?").all(sourceKey,project);return rows.map(r=>({sourceKey,project,branch:r.branch}))}function markProjectRows(cache,project,at,seen){const rows=cache.db.prepare(`UPDATE task_snapshots SET stale_since = MAX(COALESCE(stale_since, 0), @at) WHERE project = @project
       AND NOT (source_key IS @source_key AND COALESCE(cursor_sequence, -1) >= @sequence)
       RETURNING source_key, branch`).all({at,project,source_key:seen?.sourceKey??null,sequence:seen?.sequence??null});return rows.map(r=>({sourceKey:r.source_key,project,branch:r.branch}))}function addAlert(cache,a,now=Date.now()){return cache.db.prepare("INSERT OR IGNORE INTO alerts (source_key, project, kind, task_id, message, created_at) VALUES (?, ?, ?, ?, ?, ?)").run(a.sourceKey,a.project,a.kind,a.taskId,a.message,now).changes>0}function addShownAlert(cache,a,now=Date.now()){cache.write(()=>{addAlert(cache,a,now);cache.db.prepare("UPDATE alerts SET shown_at = ? WHERE source_key = ? AND project = ? AND kind = ? AND task_id = ? AND shown_at IS NULL").run(now,a.sourceKey,a.project,a.kind,a.taskId)})}var oneLine=title=>sanitize(title,120);var ALERT_PRIORITIES=new Set(["high","urgent","critical"]);function diffAlerts(previous,current){if(!previous)return[];const before=new Map(previous.map(t=>[t.id,t]));const drafts=[];for(const task of current){const old=before.get(task.id);if(!old&&ALERT_PRIORITIES.has(task.priority)){drafts.push({kind:"new_priority_task",taskId:task.id,message:`New ${task.priority} task: ${oneLine(task.title)} (id ${task.id})`})}else if(old&&old.status==="in_progress"&&task.status==="blocked"){drafts.push({kind:"task_blocked",taskId:task.id,message:`Task blocked: ${oneLine(task.title)} (id ${task.id}) was in progress`})}}return drafts}var MIGRATIONS=[`
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
  `,"ALTER TABLE live_sessions ADD COLUMN agent TEXT;"];import path2 from"node:path";function openCache(options){const file=options.file??homeFiles(options.home).cache;const sqlite={migrations:MIGRATIONS,busyTimeoutMs:options.busyTimeoutMs??5e3,privateFile:true,beforeMigrate:(_db,from)=>refuseMigrationUnderOtherBuild(options.home,`${path2.basename(file)} is at schema ${from} and this build moves it to ${MIGRATIONS.length}`),...options.pageCacheKiB!==void 0?{pageCacheKiB:options.pageCacheKiB}:{},...options.autoCheckpoint!==void 0?{autoCheckpoint:options.autoCheckpoint}:{}};let db;try{db=openSqlite(file,sqlite)}catch(err){if(!(err instanceof DamagedDatabaseError))throw err;const movedTo=quarantine(file,{log:options.log});options.log?.error({file,movedTo,err:err.cause},"cache database was corrupt or unreadable: moved aside and recreated");db=openSqlite(file,sqlite)}return cacheOn(db,file,options.home)}var MAX_STATEMENTS=256;function keepStatements(db){const prepare=db.prepare.bind(db);const kept=new Map;const reuse=sql=>{let statement=kept.get(sql);if(!statement){if(kept.size>=MAX_STATEMENTS)kept.clear();statement=prepare(sql);kept.set(sql,statement)}return statement};db.prepare=reuse;return db}function cacheOn(connection,file,home,copy){const db=keepStatements(connection);return{db,file,home,write:fn=>db.transaction(fn).immediate(),close:()=>{if(db.open)db.close()},...copy?{copy}:{}}}function withCache(options,fn){const cache=openCache(options);try{return fn(cache)}finally{cache.close()}}export{stripControls,sanitize,bumpNewsGeneration,VIA_MONITOR,snapshotKey,fetchedSnapshot,readSnapshot,putSnapshot,projectSnapshotKeys,markProjectRows,addAlert,addShownAlert,diffAlerts,openCache,withCache};
