import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{REQUEST_TTL_MS,TASK_EXPORT_COLUMNS,WORK_COLUMN_LIST,WORK_KEY,changeOf,exportedTask,exportedTaskRow,planImport}from"./chunk-Q2HQLI3D.js";import{EXPORT_FORMAT,EXPORT_VERSION}from"./chunk-J3VFUO4W.js";import{ARTIFACT_ID,BRANCH_TASKS_SQL,DEFAULT_RESERVATION_TTL_MS,NEW_TASK_COLUMNS,PRIORITY_ORDER_SQL,SEARCHED_COLUMNS,STARTED_FIRST_SQL,TOMBSTONE_HORIZON_MS,TaskDbError,WORK_COLUMNS,WORK_UPSERT_RULE,branchName,branchTaken,checkArtifactType,checkReservation,checkTransition,claimedBy,deltaOf,deltaRefusal,dependencyKey,dependencyPrefixes,doubtsLine,formatArtifactId,idOf,invalid,keyAmong,newTaskRow,noSuch,now,orderOf,otherProjectDependency,patchColumns,projectName,projectTaken,recordOfRow,requireNonEmpty,requirePriority,requireStatus,staleVersion,taskOfRow,toBranch,toNote,toProject,unnumbered,workRecordRow}from"./chunk-A3HUYMDV.js";import{DEFAULT_PRIORITY}from"./chunk-D2PC7TKX.js";import{AsyncLocalStorage}from"node:async_hooks";import{randomBytes}from"node:crypto";var PG_MIGRATIONS=[`
  CREATE TABLE projects (
    seq bigserial UNIQUE,
    id text PRIMARY KEY,
    name text NOT NULL UNIQUE,
    description text NOT NULL DEFAULT '',
    created_at text NOT NULL,
    updated_at text NOT NULL
  );
  CREATE TABLE git_branches (
    seq bigserial UNIQUE,
    id text PRIMARY KEY,
    project_id text NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    created_at text NOT NULL,
    updated_at text NOT NULL,
    UNIQUE (project_id, name)
  );
  CREATE TABLE tasks (
    seq bigserial UNIQUE,
    id text PRIMARY KEY,
    project_id text NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    git_branch_id text REFERENCES git_branches(id) ON DELETE SET NULL,
    title text NOT NULL,
    description text NOT NULL DEFAULT '',
    details text NOT NULL DEFAULT '',
    status text NOT NULL,
    priority text NOT NULL,
    assignees jsonb NOT NULL DEFAULT '[]',
    labels jsonb NOT NULL DEFAULT '[]',
    dependencies jsonb NOT NULL DEFAULT '[]',
    estimated_effort text,
    due_date text,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    completed_at text,
    completion_summary text,
    version integer NOT NULL DEFAULT 1,
    claimed_by text,
    claim_expires_at timestamptz
  );
  CREATE INDEX tasks_by_project_status ON tasks(project_id, status);
  CREATE INDEX tasks_by_branch_status ON tasks(git_branch_id, status);
  CREATE TABLE id_counters (
    seq bigserial UNIQUE,
    project_id text NOT NULL,
    artifact_type text NOT NULL,
    last_assigned integer NOT NULL,
    PRIMARY KEY (project_id, artifact_type)
  );
  CREATE TABLE id_reservations (
    seq bigserial UNIQUE,
    id text PRIMARY KEY,
    project_id text NOT NULL,
    artifact_type text NOT NULL,
    first_number integer NOT NULL,
    count integer NOT NULL,
    created_at text NOT NULL,
    expires_at text NOT NULL
  );
  CREATE TABLE task_notes (
    id serial PRIMARY KEY,
    task_id text NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    author text NOT NULL DEFAULT '',
    text text NOT NULL,
    created_at text NOT NULL
  );
  CREATE INDEX task_notes_by_task ON task_notes(task_id, id);
  `,`
  CREATE TABLE store_meta (key text PRIMARY KEY, value bigint NOT NULL);
  INSERT INTO store_meta (key, value) VALUES ('change_seq', 0), ('change_horizon', 0);
  ALTER TABLE tasks ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
  CREATE INDEX tasks_by_change ON tasks(project_id, change_seq);
  CREATE TABLE task_tombstones (
    task_id text PRIMARY KEY,
    project_id text NOT NULL,
    seq bigint NOT NULL,
    deleted_at text NOT NULL
  );
  CREATE INDEX task_tombstones_by_seq ON task_tombstones(project_id, seq);
  `,`
  ALTER TABLE task_tombstones DROP CONSTRAINT task_tombstones_pkey;
  ALTER TABLE task_tombstones ADD PRIMARY KEY (task_id, project_id);
  `,`
  CREATE TABLE IF NOT EXISTS write_requests (key text PRIMARY KEY, result text, taken_at bigint NOT NULL);
  CREATE INDEX IF NOT EXISTS write_requests_by_age ON write_requests(taken_at);
  DELETE FROM write_requests;
  ALTER TABLE write_requests ADD COLUMN fingerprint text NOT NULL DEFAULT '';
  `,`
  CREATE TABLE project_sequences (
    project_id text PRIMARY KEY,
    seq bigint NOT NULL,
    horizon bigint NOT NULL
  );
  INSERT INTO project_sequences (project_id, seq, horizon)
    SELECT id, (SELECT value FROM store_meta WHERE key = 'change_seq'),
      (SELECT value FROM store_meta WHERE key = 'change_horizon') FROM projects;
  DELETE FROM store_meta WHERE key = 'change_horizon';
  `,`
  ALTER TABLE task_notes ADD COLUMN project_id text;
  UPDATE task_notes n SET project_id = t.project_id FROM tasks t WHERE t.id = n.task_id;
  ALTER TABLE task_notes ALTER COLUMN project_id SET NOT NULL;
  ALTER TABLE task_notes DROP CONSTRAINT task_notes_task_id_fkey;
  ALTER TABLE tasks DROP CONSTRAINT tasks_pkey;
  ALTER TABLE tasks ADD PRIMARY KEY (project_id, id);
  ALTER TABLE task_notes ADD FOREIGN KEY (project_id, task_id) REFERENCES tasks(project_id, id) ON DELETE CASCADE;
  DROP INDEX task_notes_by_task;
  CREATE INDEX task_notes_by_task ON task_notes(project_id, task_id, id);
  `,`
  SET LOCAL jit = off;
  CREATE TABLE dependency_doubts (
    project_id text NOT NULL,
    task_id text NOT NULL,
    dependency text NOT NULL,
    other_projects text NOT NULL,
    PRIMARY KEY (project_id, task_id, dependency)
  );
  WITH keyed AS (
    SELECT to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
    FROM schema_migrations WHERE version = 6
  ),
  deps AS (
    SELECT t.project_id, t.id, t.updated_at, d.dep, d.pos
    FROM tasks t, jsonb_array_elements_text(t.dependencies) WITH ORDINALITY AS d(dep, pos)
  ),
  held AS (
    SELECT id, array_agg(project_id ORDER BY seq) AS projects FROM tasks, keyed
    WHERE created_at !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' OR created_at <= keyed.at GROUP BY id
  ),
  decided AS (
    SELECT deps.*, own.created_at AS own_at,
      own.created_at IS NOT NULL AND deps.project_id = ANY(COALESCE(held.projects, '{}')) AS own_before,
      array_remove(COALESCE(held.projects, '{}'), deps.project_id) AS others,
      position('/' IN deps.dep) > 1 AND EXISTS (SELECT 1 FROM projects p
        WHERE p.id = split_part(deps.dep, '/', 1) AND p.id <> deps.project_id) AS named
    FROM deps
    LEFT JOIN held ON held.id = deps.dep
    LEFT JOIN tasks own ON own.project_id = deps.project_id AND own.id = deps.dep
  ),
  origin AS (
    SELECT decided.*, CASE
      WHEN named OR own_before OR cardinality(others) = 0 THEN 'keep'
      WHEN cardinality(others) > 1 THEN 'doubt'
      WHEN own_at IS NULL OR updated_at < own_at THEN 'project'
      ELSE 'doubt' END AS origin
    FROM decided
  ),
  doubts AS (
    INSERT INTO dependency_doubts
    SELECT project_id, id, dep, array_to_string(others, ',') FROM origin WHERE origin = 'doubt'
    ON CONFLICT DO NOTHING
  ),
  rewritten AS (
    SELECT project_id, id,
      jsonb_agg(CASE WHEN origin = 'project' THEN others[1] || '/' || dep ELSE dep END ORDER BY pos) AS dependencies
    FROM origin GROUP BY project_id, id HAVING bool_or(origin = 'project')
  ),
  stamped AS (
    INSERT INTO project_sequences (project_id, seq, horizon) SELECT DISTINCT project_id, 1, 0 FROM rewritten
    ON CONFLICT (project_id) DO UPDATE SET seq = project_sequences.seq + 1
    RETURNING project_id, seq
  ),
  store AS (
    UPDATE store_meta SET value = value + 1 WHERE key = 'change_seq' AND EXISTS (SELECT 1 FROM rewritten)
  )
  UPDATE tasks t SET dependencies = r.dependencies, version = t.version + 1, change_seq = s.seq
  FROM rewritten r JOIN stamped s USING (project_id)
  WHERE t.project_id = r.project_id AND t.id = r.id;
  `,`
  CREATE TABLE work_records (
    id bigserial PRIMARY KEY,
    project_id text NOT NULL,
    task_id text NOT NULL,
    session_id text NOT NULL,
    agent text NOT NULL DEFAULT '',
    branch text NOT NULL DEFAULT '',
    machine text NOT NULL DEFAULT '',
    started_at text NOT NULL,
    ended_at text NOT NULL,
    commits jsonb NOT NULL DEFAULT '[]',
    uncommitted jsonb NOT NULL DEFAULT '[]',
    status_to text,
    status_changes jsonb NOT NULL DEFAULT '[]',
    closing_words text,
    UNIQUE (project_id, task_id, session_id, started_at),
    FOREIGN KEY (project_id, task_id) REFERENCES tasks(project_id, id) ON DELETE CASCADE
  );
  CREATE INDEX work_records_by_task ON work_records(project_id, task_id, ended_at);
  CREATE INDEX work_records_by_branch ON work_records(project_id, branch, ended_at);
  `];var MIGRATION_LOCK="7461736b686f6f6b";async function migratePostgres(pool){const client=await pool.connect();let version=0;try{await client.query("BEGIN");await client.query(`SELECT pg_advisory_xact_lock(x'${MIGRATION_LOCK}'::bigint)`);await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");const{rows}=await client.query("SELECT MAX(version) AS v FROM schema_migrations");version=rows[0]?.v??0;for(;version<PG_MIGRATIONS.length;version++){await client.query(PG_MIGRATIONS[version]??"");await client.query("INSERT INTO schema_migrations (version) VALUES ($1)",[version+1])}await client.query("COMMIT");return version}catch(err){await client.query("ROLLBACK").catch(()=>void 0);throw new Error(`PostgreSQL task store migration ${version+1} failed: ${err instanceof Error?err.message:String(err)}`,{cause:err})}finally{client.release()}}async function one(q,sql,params=[]){return(await q.query(sql,params)).rows[0]}async function all(q,sql,params=[]){return(await q.query(sql,params)).rows}var UNIQUE_VIOLATION="23505";var isUnique=err=>err?.code===UNIQUE_VIOLATION;var LOST_SOCKET=new Set(["ECONNREFUSED","ECONNRESET","EPIPE","ETIMEDOUT","EHOSTUNREACH","ENOTFOUND","EAI_AGAIN"]);var LOST_CLIENT=/Connection terminated|not queryable|timeout exceeded when trying to connect/i;function isConnectionLoss(err){const{code,message}=err??{};if(typeof code==="string")return LOST_SOCKET.has(code)||code.startsWith("08")||/^57P0[123]$/.test(code);return typeof message==="string"&&LOST_CLIENT.test(message)}async function stampSequence(q,written){await q.query("UPDATE store_meta SET value = value + 1 WHERE key = 'change_seq'");const stamped=new Map;const at=new Date;let buried=false;for(const[projectId,taskIds]of written){const row=await one(q,`INSERT INTO project_sequences (project_id, seq, horizon) VALUES ($1, 1, 0)
       ON CONFLICT (project_id) DO UPDATE SET seq = project_sequences.seq + 1 RETURNING seq`,[projectId]);const seq=Number(row?.seq);stamped.set(projectId,seq);const ids=[...taskIds];if(ids.length===0)continue;const alive=new Set((await all(q,"UPDATE tasks SET change_seq = $1 WHERE project_id = $2 AND id = ANY($3::text[]) RETURNING id",[seq,projectId,ids])).map(r=>r.id));if(alive.size>0)await q.query("DELETE FROM task_tombstones WHERE project_id = $1 AND task_id = ANY($2::text[])",[projectId,[...alive]]);const gone=ids.filter(id=>!alive.has(id));if(gone.length===0)continue;await q.query(`INSERT INTO task_tombstones (task_id, project_id, seq, deleted_at)
       SELECT id, $2, $3, $4 FROM unnest($1::text[]) AS id
       ON CONFLICT (task_id, project_id) DO UPDATE SET seq = excluded.seq, deleted_at = excluded.deleted_at`,[gone,projectId,seq,at.toISOString()]);buried=true}if(buried)await q.query(`WITH pruned AS (DELETE FROM task_tombstones WHERE deleted_at < $1 RETURNING project_id, seq)
       UPDATE project_sequences s SET horizon = GREATEST(s.horizon, p.seq)
       FROM (SELECT project_id, MAX(seq) AS seq FROM pruned GROUP BY project_id) p WHERE s.project_id = p.project_id`,[new Date(at.getTime()-TOMBSTONE_HORIZON_MS).toISOString()]);return stamped}var CHANGE_CHANNEL="taskhooks_changes";var PROBE_CHANNEL="taskhooks_probe";var PROBE_MS=3e3;var CONNECT_TIMEOUT_MS=1e4;var IDS_PER_NOTIFY=100;var Changes=class{byProject=new Map;add(projectId,taskIds=[]){const ids=this.byProject.get(projectId)??new Set;for(const id of taskIds)ids.add(id);this.byProject.set(projectId,ids)}async notify(q){const stamped=this.byProject.size>0?await stampSequence(q,this.byProject):new Map;for(const[projectId,ids]of this.byProject){const{rows}=await q.query("SELECT name FROM projects WHERE id = $1",[projectId]);const project=rows[0]?.name;if(!project)continue;const all2=[...ids];const sequence=stamped.get(projectId);const at=sequence!==void 0&&all2.length>0?{sequence}:{};for(let i=0;i===0||i<all2.length;i+=IDS_PER_NOTIFY){const change={project,taskIds:all2.slice(i,i+IDS_PER_NOTIFY),...at};await q.query("SELECT pg_notify($1, $2)",[CHANGE_CHANNEL,JSON.stringify(change)])}}}};var Probes=class{waiting=new Map;heard(token){this.waiting.get(token)?.()}async probe(pool,ms){const token=randomBytes(8).toString("hex");let timer;const heard=new Promise(resolve=>{this.waiting.set(token,()=>resolve(true));timer=setTimeout(()=>resolve(false),ms)});try{await pool.query("SELECT pg_notify($1, $2)",[PROBE_CHANNEL,token]);return await heard}finally{clearTimeout(timer);this.waiting.delete(token)}}};function changeFeed(pg,pool,options,failed){const listeners=new Set;const tell=change=>{for(const l of listeners)l(change)};const probes=new Probes;let closed=false;let listener;let retry;const listen=async()=>{const client=new pg.Client({connectionString:options.listenConnectionString??options.connectionString});client.on("notification",msg=>{if(msg.channel===CHANGE_CHANNEL&&msg.payload)tell(JSON.parse(msg.payload));else if(msg.channel===PROBE_CHANNEL&&msg.payload)probes.heard(msg.payload)});client.on("error",err=>failed(err,"the change feed connection failed; reconnecting"));client.on("end",()=>{if(!closed&&listener===client)reconnect(1e3)});await client.connect();await client.query(`LISTEN ${CHANGE_CHANNEL}; LISTEN ${PROBE_CHANNEL}`);listener=client};const reconnect=delayMs=>{listener=void 0;retry=setTimeout(()=>{listen().then(async()=>{for(const p of await all(pool,"SELECT name FROM projects"))tell({project:p.name,taskIds:[]})}).catch(err=>{failed(err instanceof Error?err:new Error(String(err)),"the change feed could not reconnect; trying again");if(!closed)reconnect(Math.min(delayMs*2,3e4))})},delayMs);retry.unref()};return{listen,probe:ms=>probes.probe(pool,ms),subscribe:l=>{listeners.add(l);return()=>listeners.delete(l)},close:async()=>{closed=true;clearTimeout(retry);listeners.clear();await listener?.end().catch(()=>void 0)}}}function deafFeed(options,probeMs){const through=options.shown?.listen??options.shown?.database??"the database URL";const fix=options.listenConnectionString?"make --listen-database a direct connection to PostgreSQL (or a pooler in session mode)":"give serve --listen-database URL, a direct connection to PostgreSQL (or a pooler in session mode), for LISTEN";return{why:`changes are not pushed: a NOTIFY did not come back within ${probeMs/1e3} s to the LISTEN on ${through} (a connection pooler in transaction mode carries no notifications); monitors poll instead`,fix}}async function transaction(pool,fn){const client=await pool.connect();let broken;try{await client.query("BEGIN");const{commit,value}=await fn(client);await client.query(commit?"COMMIT":"ROLLBACK");return value}catch(err){await client.query("ROLLBACK").catch(e=>{broken=e instanceof Error?e:new Error(String(e))});throw err}finally{client.release(broken)}}async function savepoint(open,fn){const{client}=open;await client.query("SAVEPOINT request_write");try{const value=await fn(client,open.changes);await client.query("RELEASE SAVEPOINT request_write");return value}catch(err){await client.query("ROLLBACK TO SAVEPOINT request_write").catch(()=>void 0);throw err}}function openPool(pg,options){const pool=new pg.Pool({connectionString:options.connectionString,max:options.maxConnections??10,connectionTimeoutMillis:CONNECT_TIMEOUT_MS});const dropped=err=>options.log?.warn({err},"PostgreSQL task store: a pooled connection failed; calls on it fail as retryable and the pool opens another");pool.on("error",dropped);pool.on("connect",client=>client.on("error",dropped));return pool}async function openPgConnection(options){const pg=(await import("pg")).default;const pool=openPool(pg,options);const failed=(err,what)=>{options.log?.warn({err},`PostgreSQL task store: ${what}`);options.onFeedError?.(err)};await migratePostgres(pool);const feed=changeFeed(pg,pool,options,failed);try{await feed.listen()}catch(err){await pool.end();const where=options.shown?.listen??options.shown?.database??"the database";throw new Error(`the change feed's LISTEN connection to ${where} failed: ${err.message}`,{cause:err})}const probeMs=options.probeMs??PROBE_MS;const unpushed=await feed.probe(probeMs)?void 0:deafFeed(options,probeMs);if(unpushed!==void 0)await feed.close();const requests=new AsyncLocalStorage;const db={query:(...args)=>(requests.getStore()?.client??pool).query(...args)};return{pool,db,unpushed,tx(fn){const open=requests.getStore();if(open)return savepoint(open,fn);return transaction(pool,async client=>{const changes=new Changes;const value=await fn(client,changes);await changes.notify(client);return{commit:true,value}})},request:fn=>transaction(pool,async client=>{const open={client,changes:new Changes};const ended=await requests.run(open,()=>fn(client));if(ended.commit)await open.changes.notify(client);return ended}),subscribe:feed.subscribe,close:async()=>{await feed.close();await pool.end()}}}import{randomUUID}from"node:crypto";async function advanceCounter(q,projectId,type,count){const row=await one(q,`INSERT INTO id_counters (project_id, artifact_type, last_assigned) VALUES ($1, $2, $3)
     ON CONFLICT (project_id, artifact_type) DO UPDATE SET last_assigned = id_counters.last_assigned + excluded.last_assigned
     RETURNING last_assigned`,[projectId,type,count]);return(row?.last_assigned??count)-count+1}async function raiseCounter(q,projectId,type,n){await q.query(`INSERT INTO id_counters (project_id, artifact_type, last_assigned) VALUES ($1, $2, $3)
     ON CONFLICT (project_id, artifact_type) DO UPDATE SET last_assigned = GREATEST(id_counters.last_assigned, excluded.last_assigned)`,[projectId,type,n])}async function noteExplicitId(q,projectId,id){const m=ARTIFACT_ID.exec(id);if(m?.[1]&&m[2])await raiseCounter(q,projectId,m[1],Number(m[2]))}function idsAndReservations(c){return{nextId:async(projectId,type)=>{checkArtifactType(type);return formatArtifactId(type,await advanceCounter(c.db,projectId,type,1))},reserveIds:(projectId,type,count,ttlMs=DEFAULT_RESERVATION_TTL_MS)=>c.tx(async q=>{checkReservation(type,count);const first=await advanceCounter(q,projectId,type,count);const created=new Date;await q.query("DELETE FROM id_reservations WHERE expires_at < $1",[created.toISOString()]);const reservationId=randomUUID();const expiresAt=new Date(created.getTime()+ttlMs).toISOString();await q.query("INSERT INTO id_reservations (id, project_id, artifact_type, first_number, count, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",[reservationId,projectId,type,first,count,created.toISOString(),expiresAt]);return{reservationId,reservedIds:Array.from({length:count},(_,i)=>formatArtifactId(type,first+i)),expiresAt}})}}import{randomUUID as randomUUID2}from"node:crypto";async function getProject(q,idOrName){const row=await one(q,"SELECT * FROM projects WHERE id = $1 OR name = $1 ORDER BY (id = $1) DESC LIMIT 1",[idOrName]);return row&&toProject(row)}async function requireProject(q,id){const p=await getProject(q,id);if(!p)throw noSuch("Project",id);return p}async function getBranch(q,id){const row=await one(q,"SELECT * FROM git_branches WHERE id = $1",[id]);return row&&toBranch(row)}async function requireBranch(q,id){const b=await getBranch(q,id);if(!b)throw noSuch("Git branch",id);return b}var insertProject=(q,name,description)=>one(q,"INSERT INTO projects (id, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (name) DO NOTHING RETURNING *",[randomUUID2(),name,description,now()]);var insertBranch=(q,projectId,name,description)=>one(q,`INSERT INTO git_branches (id, project_id, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT (project_id, name) DO NOTHING RETURNING *`,[randomUUID2(),projectId,name,description,now()]);var branchByName=(q,projectId,name)=>one(q,"SELECT * FROM git_branches WHERE project_id = $1 AND name = $2",[projectId,name]);var PROJECTS={table:"projects",named:projectName,taken:projectTaken};var BRANCHES={table:"git_branches",named:branchName,taken:branchTaken};async function rename(q,changes,{rows,was,patch}){const name=patch.name===void 0?was.name:rows.named(patch.name);const sql=`UPDATE ${rows.table} SET name = $2, description = $3, updated_at = $4 WHERE id = $1 RETURNING *`;try{const row=await one(q,sql,[was.id,name,patch.description??was.description,now()]);changes.add(was.projectId??was.id);return row}catch(err){if(isUnique(err))throw rows.taken(name);throw err}}function projects({db,tx}){return{createProject:input=>tx(async(q,changes)=>{const name=projectName(input.name);const row=await insertProject(q,name,input.description??"");if(!row)throw projectTaken(name);changes.add(row.id);return toProject(row)}),getOrCreateProject:input=>tx(async(q,changes)=>{const name=projectName(input.name);const row=await insertProject(q,name,input.description??"");if(row){changes.add(row.id);return{project:toProject(row),created:true}}const existing=await one(q,"SELECT * FROM projects WHERE name = $1",[name]);return{project:toProject(existing),created:false}}),getProject:idOrName=>getProject(db,idOrName),listProjects:async()=>(await all(db,"SELECT * FROM projects ORDER BY created_at, seq")).map(toProject),updateProject:(id,patch)=>tx(async(q,changes)=>{const was=await requireProject(q,id);return toProject(await rename(q,changes,{rows:PROJECTS,was,patch}))})}}function branches({db,tx}){return{createBranch:input=>tx(async(q,changes)=>{const project=await requireProject(q,input.projectId);const name=branchName(input.name);const row=await insertBranch(q,project.id,name,input.description??"");if(!row)throw branchTaken(name,project.name);changes.add(project.id);return toBranch(row)}),getOrCreateBranch:input=>tx(async(q,changes)=>{const project=await requireProject(q,input.projectId);const name=branchName(input.name);const row=await insertBranch(q,project.id,name,input.description??"");if(row){changes.add(project.id);return{branch:toBranch(row),created:true}}return{branch:toBranch(await branchByName(q,project.id,name)),created:false}}),getBranch:id=>getBranch(db,id),findBranch:async(projectId,name)=>{const row=await branchByName(db,projectId,name);return row&&toBranch(row)},listBranches:async projectId=>{const project=await requireProject(db,projectId);const sql="SELECT * FROM git_branches WHERE project_id = $1 ORDER BY created_at, seq";return(await all(db,sql,[project.id])).map(toBranch)},updateBranch:(id,patch)=>tx(async(q,changes)=>{const was=await requireBranch(q,id);return toBranch(await rename(q,changes,{rows:BRANCHES,was,patch}))}),deleteBranch:id=>tx(async(q,changes)=>{const branch=await requireBranch(q,id);const tasks=await all(q,"SELECT id FROM tasks WHERE git_branch_id = $1 FOR UPDATE",[id]);await q.query("DELETE FROM git_branches WHERE id = $1",[id]);changes.add(branch.projectId,tasks.map(t=>t.id))})}}function projectsAndBranches(c){return{...projects(c),...branches(c)}}var TAKE=`INSERT INTO write_requests (key, result, taken_at, fingerprint) VALUES ($1, NULL, $2, $3)
  ON CONFLICT (key) DO UPDATE SET taken_at = excluded.taken_at, fingerprint = excluded.fingerprint
  WHERE write_requests.result IS NULL
  RETURNING key`;function postgresRequests(c){return{async runRequest(key,fingerprint,run){const at=Date.now();await c.pool.query("DELETE FROM write_requests WHERE taken_at < $1",[at-REQUEST_TTL_MS]);for(;;){const ran=await c.request(async q=>{if(!(await q.query(TAKE,[key,at,fingerprint])).rowCount){const{rows}=await q.query("SELECT result, fingerprint FROM write_requests WHERE key = $1",[key]);const row=rows[0];if(!row)return{commit:false,value:void 0};const found=row.fingerprint===fingerprint?{state:"done",result:row.result}:{state:"other"};return{commit:false,value:found}}const answer=await run();if(answer===void 0)return{commit:false,value:{state:"ran"}};await q.query("UPDATE write_requests SET result = $2 WHERE key = $1",[key,answer]);return{commit:true,value:{state:"ran"}}});if(ran)return ran}}}}var same=list=>list;var iso=at=>at.toISOString();var toTask=r=>taskOfRow(r,same,iso);async function getTask(q,key,lock=false){const row=await one(q,`SELECT * FROM tasks WHERE project_id = $1 AND id = $2${lock?" FOR UPDATE":""}`,[key.projectId,key.id]);return row&&toTask(row)}async function holders(q,id){return(await all(q,"SELECT * FROM projects WHERE id IN (SELECT project_id FROM tasks WHERE id = $1) ORDER BY name",[id])).map(toProject)}async function findKey(q,ref){return typeof ref==="string"?keyAmong(ref,await holders(q,ref)):ref}async function findTask(q,ref,lock=false){const key=await findKey(q,ref);return key&&getTask(q,key,lock)}async function requireTask(q,ref,lock=false){const t=await findTask(q,ref,lock);if(!t)throw noSuch("Task",idOf(ref));return t}var keyOf=t=>({projectId:t.projectId,id:t.id});var INSERT_TASK=`INSERT INTO tasks (${NEW_TASK_COLUMNS.join(", ")})
  VALUES (${NEW_TASK_COLUMNS.map((_,i)=>`$${i+1}`).join(", ")}) ON CONFLICT (project_id, id) DO NOTHING RETURNING *`;async function createOne(q,changes,input){const project=await requireProject(q,input.projectId);let branchId=null;if(input.gitBranchId){const branch=await requireBranch(q,input.gitBranchId);if(branch.projectId!==project.id)throw invalid(`Git branch ${branch.id} belongs to another project than ${project.name}`);branchId=branch.id}const status=requireStatus(input.status??"todo");const priority=requirePriority(input.priority??DEFAULT_PRIORITY);const title=requireNonEmpty("title",input.title);const at=now();const insert=id=>{const values=newTaskRow(input,{id,projectId:project.id,branchId,title,status,priority},at);return one(q,INSERT_TASK,NEW_TASK_COLUMNS.map(col=>values[col]))};let row;const given=input.id?.trim();if(given){row=await insert(given);if(!row)throw new TaskDbError("ALREADY_EXISTS",`Task already exists in ${project.name}: ${given}`);await noteExplicitId(q,project.id,given)}else{while(!row)row=await insert(formatArtifactId("TASK",await advanceCounter(q,project.id,"TASK",1)))}changes.add(project.id,[row.id]);return toTask(row)}async function applyPatch(q,changes,ref,patch,expectedVersion){const current=await requireTask(q,ref,true);const{id}=current;if(expectedVersion!==void 0&&current.version!==expectedVersion)throw staleVersion(id,expectedVersion,current.version);if(patch.status!==void 0)checkTransition(current,requireStatus(patch.status));if(patch.priority!==void 0)requirePriority(patch.priority);if(patch.title!==void 0)patch={...patch,title:requireNonEmpty("title",patch.title)};const sets=[];const values=[id,current.projectId];const set=(col,value)=>{values.push(value);sets.push(`${col} = $${values.length}`)};for(const[col,value]of patchColumns(patch))set(col,value);const at=now();if(patch.status!==void 0&&patch.status!==current.status)set("completed_at",patch.status==="done"?at:null);set("updated_at",at);const row=await one(q,`UPDATE tasks SET ${sets.join(", ")}, version = version + 1 WHERE id = $1 AND project_id = $2 RETURNING *`,values);changes.add(current.projectId,[id]);return toTask(row)}var CLAIM=`UPDATE tasks SET claimed_by = $2, claim_expires_at = now() + make_interval(secs => $3), version = version + 1, updated_at = $5,
    assignees = CASE WHEN $6::text IS NOT NULL AND assignees = '[]'::jsonb THEN jsonb_build_array($6::text) ELSE assignees END
  WHERE project_id = $7 AND id = $1 AND (claimed_by IS NULL OR claimed_by = $2 OR claim_expires_at < now()) AND ($4::integer IS NULL OR version = $4)
  RETURNING *`;var RELEASE=`UPDATE tasks SET claimed_by = NULL, claim_expires_at = NULL, version = version + 1, updated_at = $3
  WHERE project_id = $4 AND id = $1 AND claimed_by = $2 RETURNING *`;function claims(c){return{claimTask:({taskId,claimant,leaseSeconds,version,assignee})=>c.tx(async(q,changes)=>{const who=requireNonEmpty("claimant",claimant);const key=await findKey(q,taskId);if(!key)throw noSuch("Task",idOf(taskId));const row=await one(q,CLAIM,[key.id,who,leaseSeconds,version??null,now(),assignee??null,key.projectId]);if(!row){const task=await getTask(q,key);if(!task)throw noSuch("Task",key.id);if(version!==void 0&&task.version!==version)throw staleVersion(key.id,version,task.version);throw claimedBy(key.id,task.claimedBy??"another claimant",task.claimExpiresAt??"its lease ends")}changes.add(row.project_id,[key.id]);return toTask(row)}),releaseTask:(ref,claimant)=>c.tx(async(q,changes)=>{const who=requireNonEmpty("claimant",claimant);const task=await requireTask(q,ref);const row=await one(q,RELEASE,[task.id,who,now(),task.projectId]);if(row){changes.add(row.project_id,[task.id]);return toTask(row)}if(task.claimedBy===null||task.claimExpiresAt!==null&&Date.parse(task.claimExpiresAt)<Date.now())return task;throw claimedBy(task.id,task.claimedBy,task.claimExpiresAt??"its lease ends")})}}function notes(c){return{addNote:(taskId,text,author="")=>c.tx(async(q,changes)=>{const task=await requireTask(q,taskId);const body=requireNonEmpty("note",text);const row=await one(q,"INSERT INTO task_notes (project_id, task_id, author, text, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *",[task.projectId,task.id,author.trim(),body,now()]);changes.add(task.projectId,[task.id]);return toNote(row)}),listNotes:async ref=>{const key=await findKey(c.db,ref);if(!key)return[];return(await all(c.db,"SELECT * FROM task_notes WHERE project_id = $1 AND task_id = $2 ORDER BY id",[key.projectId,key.id])).map(toNote)}}}function tasksAndDependencies(c){const{tx}=c;return{...claims(c),...notes(c),createTask:input=>tx((q,changes)=>createOne(q,changes,input)),createTasks:inputs=>tx(async(q,changes)=>{const created=[];for(const input of inputs)created.push(await createOne(q,changes,input));return created}),getTask:ref=>findTask(c.db,ref),taskProjects:id=>holders(c.db,id),updateTask:(ref,patch,expectedVersion)=>tx((q,changes)=>applyPatch(q,changes,ref,patch,expectedVersion)),setStatus:(ref,status,completionSummary)=>tx((q,changes)=>applyPatch(q,changes,ref,completionSummary===void 0?{status}:{status,completionSummary})),deleteTask:ref=>tx(async(q,changes)=>{const t=await requireTask(q,ref,true);await q.query("DELETE FROM tasks WHERE project_id = $1 AND id = $2",[t.projectId,t.id]);changes.add(t.projectId,[t.id]);const dependents=await all(q,`UPDATE tasks SET dependencies = dependencies - (CASE WHEN project_id = $3 THEN $1::text ELSE $4::text END),
             updated_at = $2, version = version + 1
           WHERE (project_id = $3 AND dependencies ? $1) OR (project_id <> $3 AND dependencies ? $4)
           RETURNING project_id, id`,[t.id,now(),t.projectId,otherProjectDependency(keyOf(t))]);for(const d of dependents)changes.add(d.project_id,[d.id])}),addDependency:(ref,dependencyId)=>tx(async(q,changes)=>{const t=await requireTask(q,ref,true);await requireTask(q,{projectId:t.projectId,id:dependencyId});if(t.id===dependencyId)throw invalid(`Task ${t.id} cannot depend on itself`);if(t.dependencies.includes(dependencyId))return t;return applyPatch(q,changes,keyOf(t),{dependencies:[...t.dependencies,dependencyId]})}),removeDependency:(ref,dependencyId)=>tx(async(q,changes)=>{const t=await requireTask(q,ref,true);return applyPatch(q,changes,keyOf(t),{dependencies:t.dependencies.filter(d=>d!==dependencyId)})})}}function filterTerms(filter){const where=[];const params=[];const p=value=>{params.push(value);return`$${params.length}`};if(filter.projectId)where.push(`project_id = ${p(filter.projectId)}`);if(filter.gitBranchId)where.push(BRANCH_TASKS_SQL(p(filter.gitBranchId),p(filter.gitBranchId)));if(filter.statuses?.length)where.push(`status = ANY(${p(filter.statuses)}::text[])`);if(filter.priorities?.length)where.push(`priority = ANY(${p(filter.priorities)}::text[])`);if(filter.assignees?.length)where.push(`assignees ?| ${p(filter.assignees)}::text[]`);if(filter.labels?.length)where.push(`labels ?| ${p(filter.labels)}::text[]`);if(filter.query){const like=p(`%${filter.query.replace(/[\\%_]/g,ch=>`\\${ch}`)}%`);const text=SEARCHED_COLUMNS.map(col=>`${col} ILIKE ${like}`);where.push(`(${text.join(" OR ")} OR labels::text ILIKE ${like} OR id = ${p(filter.query)})`)}return{where,params}}async function doneDependencies(db,rows){const deps=[...new Set(rows.flatMap(r=>r.dependencies))];const prefixes=dependencyPrefixes(deps);const projects2=new Set(prefixes.length===0?[]:(await all(db,"SELECT id FROM projects WHERE id = ANY($1::text[])",[prefixes])).map(r=>r.id));const isProject=id=>projects2.has(id);const keys=rows.flatMap(r=>r.dependencies.map(d=>dependencyKey(r.project_id,d,isProject)));const done=new Set((await all(db,"SELECT project_id, id FROM tasks WHERE status = 'done' AND id = ANY($1::text[])",[[...new Set(keys.map(k=>k.id))]])).map(r=>`${r.project_id}\0${r.id}`));return(projectId,dep)=>{const key=dependencyKey(projectId,dep,isProject);return done.has(`${key.projectId}\0${key.id}`)}}function taskQueries(c){const{db}=c;return{listTasks:async(filter={})=>{const{where,params}=filterTerms(filter);const clause=where.length?`WHERE ${where.join(" AND ")}`:"";const total=Number((await one(db,`SELECT COUNT(*) AS n FROM tasks ${clause}`,params))?.n??0);const n=params.length;const rows=await all(db,`SELECT * FROM tasks ${clause} ORDER BY ${orderOf(filter,"seq")} LIMIT $${n+1} OFFSET $${n+2}`,[...params,filter.limit??50,filter.offset??0]);return{tasks:rows.map(toTask),total}},nextTask:async(scope={})=>{const{where,params}=filterTerms({...scope,statuses:scope.statuses??["in_progress","todo"]});const rows=await all(db,`SELECT * FROM tasks WHERE ${where.join(" AND ")} ORDER BY ${PRIORITY_ORDER_SQL} DESC, ${STARTED_FIRST_SQL}, created_at, seq`,params);const done=await doneDependencies(db,rows);let waiting=0;for(const row of rows){if(row.dependencies.every(d=>done(row.project_id,d)))return{task:toTask(row),waitingOnDependencies:waiting};waiting++}return{task:null,waitingOnDependencies:waiting}},countTasks:async()=>Number((await one(db,"SELECT COUNT(*) AS n FROM tasks"))?.n??0)}}async function sequenceState(q,projectId){const row=await one(q,"SELECT seq, horizon FROM project_sequences WHERE project_id = $1",[projectId]);return{sequence:Number(row?.seq??0),horizon:Number(row?.horizon??0)}}var LISTING_SCOPE=`WITH b AS (SELECT * FROM git_branches WHERE id = $1),
    p AS (SELECT * FROM projects WHERE id = $2 OR name = $2 ORDER BY (id = $2) DESC LIMIT 1)
  SELECT (SELECT row_to_json(b) FROM b) AS branch, (SELECT row_to_json(p) FROM p) AS project,
    (SELECT seq FROM project_sequences
      WHERE project_id = COALESCE((SELECT project_id FROM b), (SELECT id FROM p))) AS sequence`;function sequenceQueries(c){const{db}=c;return{changeSequence:async()=>Number((await one(db,"SELECT value FROM store_meta WHERE key = 'change_seq'"))?.value??0),listingScope:async({gitBranchId,project})=>{const byProject=gitBranchId===void 0?project??null:null;const{rows}=await db.query(LISTING_SCOPE,[gitBranchId??null,byProject]);const row=rows[0];return{...(row?.branch||row?.project)&&{sequence:Number(row.sequence??0)},...row?.branch&&{branch:toBranch(row.branch)},...row?.project&&{project:toProject(row.project)}}},changesSince:async(filter,since)=>{const projectId=filter.gitBranchId?(await one(db,"SELECT project_id FROM git_branches WHERE id = $1",[filter.gitBranchId]))?.project_id:filter.projectId;if(projectId===void 0)return{full:true,why:unnumbered(filter)};const state=await sequenceState(db,projectId);const why=deltaRefusal(state,since);if(why)return{full:true,why};const{where,params}=filterTerms(filter);where.push(`change_seq > $${params.length+1}`);const[changed,matching,tombstones]=[await all(db,"SELECT id FROM tasks WHERE change_seq > $1 AND project_id = $2",[since,projectId]),await all(db,`SELECT * FROM tasks WHERE ${where.join(" AND ")} ORDER BY ${orderOf(filter,"seq")}`,[...params,since]),await all(db,"SELECT task_id FROM task_tombstones WHERE seq > $1 AND project_id = $2",[since,projectId])];return deltaOf(state,changed.map(r=>r.id),matching.map(toTask),tombstones.map(r=>r.task_id))}}}async function takeDependencyDoubts(q){const rows=await all(q,`WITH told AS (DELETE FROM dependency_doubts RETURNING *)
     SELECT p.name AS project, d.task_id, d.dependency, d.other_projects FROM told d
     JOIN projects p ON p.id = d.project_id
     JOIN tasks t ON t.project_id = d.project_id AND t.id = d.task_id AND t.dependencies ? d.dependency
     ORDER BY p.name, d.task_id, d.dependency`);return doubtsLine(rows)}var toRecord=r=>recordOfRow(r,list=>list);var UPSERT=`INSERT INTO work_records (${WORK_COLUMNS})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12::jsonb, $13)
  ${WORK_UPSERT_RULE}`;function workRecordQueries(c){return{addWorkRecord:async r=>{await c.db.query(UPSERT,[r.projectId,r.taskId,r.sessionId,r.agent,r.branch,r.machine,r.startedAt,r.endedAt,JSON.stringify(r.commits),JSON.stringify(r.uncommitted),r.statusTo,JSON.stringify(r.statusChanges),r.closingWords])},listWorkRecords:async key=>(await all(c.db,`SELECT ${WORK_COLUMNS} FROM work_records WHERE project_id = $1 AND task_id = $2 ORDER BY ended_at DESC, id DESC`,[key.projectId,key.id])).map(toRecord),forgetWorkRecords:async key=>(await c.db.query("DELETE FROM work_records WHERE project_id = $1 AND task_id = $2",[key.projectId,key.id])).rowCount??0,recentWorkRecords:async q=>(await all(c.db,`SELECT ${WORK_COLUMNS} FROM work_records WHERE project_id = $1 AND (branch = $2 OR task_id = ANY($3::text[]))
           ORDER BY ended_at DESC, id DESC LIMIT $4`,[q.projectId,q.branch,[...q.taskIds],q.limit])).map(toRecord)}}async function readAll(q){return{projects:(await all(q,"SELECT * FROM projects ORDER BY seq")).map(toProject),branches:(await all(q,"SELECT * FROM git_branches ORDER BY seq")).map(toBranch),tasks:(await all(q,"SELECT * FROM tasks ORDER BY seq")).map(toTask).map(exportedTask),idCounters:await all(q,'SELECT project_id AS "projectId", artifact_type AS "artifactType", last_assigned AS "lastAssigned" FROM id_counters ORDER BY seq'),reservations:await all(q,`SELECT id, project_id AS "projectId", artifact_type AS "artifactType", first_number AS "firstNumber", count,
       created_at AS "createdAt", expires_at AS "expiresAt" FROM id_reservations ORDER BY seq`),notes:await all(q,`SELECT project_id AS "projectId", task_id AS "taskId", author, text, created_at AS "createdAt"
       FROM task_notes ORDER BY id`),workRecords:(await all(q,"SELECT * FROM work_records ORDER BY id")).map(toRecord),repositories:[]}}var UPSERT2={projects:{table:"projects",columns:["id","name","description","created_at","updated_at"],values:p=>[p.id,p.name,p.description,p.createdAt,p.updatedAt]},branches:{table:"git_branches",columns:["id","project_id","name","description","created_at","updated_at"],values:b=>[b.id,b.projectId,b.name,b.description,b.createdAt,b.updatedAt]},tasks:{table:"tasks",columns:TASK_EXPORT_COLUMNS,values:t=>{const row=exportedTaskRow(t);return TASK_EXPORT_COLUMNS.map(col=>row[col])},bump:", version = tasks.version + 1",key:["project_id","id"]},reservations:{table:"id_reservations",columns:["id","project_id","artifact_type","first_number","count","created_at","expires_at"],values:r=>[r.id,r.projectId,r.artifactType,r.firstNumber,r.count,r.createdAt,r.expiresAt]},notes:{table:"task_notes",columns:["project_id","task_id","author","text","created_at"],values:n=>[n.projectId,n.taskId,n.author,n.text,n.createdAt],key:null},workRecords:{table:"work_records",columns:WORK_COLUMN_LIST,values:r=>{const row=workRecordRow(r);return WORK_COLUMN_LIST.map(col=>row[col])},key:WORK_KEY}};async function upsert(q,kind,row){const{table,columns,values,bump="",key=["id"]}=UPSERT2[kind];const sets=columns.filter(col=>!key?.includes(col)).map(col=>`${col} = excluded.${col}`);const conflict=key?` ON CONFLICT (${key.join(", ")}) DO UPDATE SET ${sets.join(", ")}${bump}`:"";await q.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((_,i)=>`$${i+1}`).join(", ")})${conflict}`,values(row))}function transfer(c){return{exportData:async()=>{const client=await c.pool.connect();try{await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");const rows=await readAll(client);await client.query("COMMIT");return{format:EXPORT_FORMAT,version:EXPORT_VERSION,exportedAt:now(),...rows}}finally{client.release()}},importData:(data,options={})=>c.tx(async(q,changes)=>{await q.query(`LOCK TABLE projects, git_branches, tasks, id_counters, id_reservations, task_notes, work_records
           IN SHARE ROW EXCLUSIVE MODE`);const p=planImport({...data,repositories:[]},await readAll(q),options);const{length}=data.repositories;if(length>0)p.report.notKept.push(`${length} ${length===1?"repository":"repositories"} and the project each is: a PostgreSQL store keeps none (each home's tasks.db keeps its own)`);if(!p.apply)return p.report;for(const[kind,row]of[...p.adds,...p.updates]){if(kind==="repositories")continue;await upsert(q,kind,row);const change=changeOf(kind,row);if(change)changes.add(change.projectId,change.taskIds)}for(const k of p.counters)await raiseCounter(q,k.projectId,k.artifactType,k.lastAssigned);return{...p.report,applied:true}})}}var isPostgresUrl=location=>/^postgres(ql)?:\/\//i.test(location);function unreachable(err,where){const why=err instanceof Error?err.message:String(err);return new TaskDbError("UNAVAILABLE",`The task store's database at ${where} could not be reached (${why}): the call did not complete; retry it (a write with the same request_id lands once)`)}function retryable(ops,where){return Object.fromEntries(Object.entries(ops).map(([name,op])=>[name,async(...args)=>{try{return await op(...args)}catch(err){throw isConnectionLoss(err)?unreachable(err,where):err}}]))}async function openPostgresStore(options){const c=await openPgConnection(options);const ops=retryable({...projectsAndBranches(c),...tasksAndDependencies(c),...taskQueries(c),...sequenceQueries(c),...idsAndReservations(c),...transfer(c),...postgresRequests(c),...workRecordQueries(c)},options.shown?.database??"the database URL");const unsettled=await takeDependencyDoubts(c.db);if(unsettled)options.log?.warn(unsettled);return{engine:"postgres",...ops,unsettled,subscribeChanges:c.subscribe,unpushed:c.unpushed,close:c.close}}export{CHANGE_CHANNEL,isPostgresUrl,openPostgresStore};
