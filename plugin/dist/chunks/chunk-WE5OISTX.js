import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{NEW_TASK_COLUMNS,TaskDbError,advanceCounter,checkTransition,claimedBy,foldOriginKey,formatArtifactId,idOf,invalid,keepDependencyProjects,keyAmong,newTaskRow,noSuch,noteExplicitId,now,otherProjectDependency,patchColumns,requireBranch,requireNonEmpty,requirePriority,requireProject,requireStatus,staleVersion,toNote,toProject,toTask}from"./chunk-A3HUYMDV.js";import{DEFAULT_PRIORITY}from"./chunk-D2PC7TKX.js";var TASK_COLUMNS_1=`title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        details TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        priority TEXT NOT NULL,
        assignees TEXT NOT NULL DEFAULT '[]',
        labels TEXT NOT NULL DEFAULT '[]',
        dependencies TEXT NOT NULL DEFAULT '[]',
        estimated_effort TEXT,
        due_date TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        completed_at TEXT,
        completion_summary TEXT`;var TASK_DB_MIGRATIONS=[db=>{db.exec(`
      CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE git_branches (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (project_id, name)
      );
      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        git_branch_id TEXT REFERENCES git_branches(id) ON DELETE SET NULL,
        ${TASK_COLUMNS_1}
      );
      CREATE INDEX tasks_by_project_status ON tasks(project_id, status);
      CREATE INDEX tasks_by_branch_status ON tasks(git_branch_id, status);
      CREATE TABLE id_counters (
        project_id TEXT NOT NULL,
        artifact_type TEXT NOT NULL,
        last_assigned INTEGER NOT NULL,
        PRIMARY KEY (project_id, artifact_type)
      );
      CREATE TABLE id_reservations (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        artifact_type TEXT NOT NULL,
        first_number INTEGER NOT NULL,
        count INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
    `)},db=>{db.exec(`
      CREATE TABLE store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO store_meta (key, value) VALUES ('generation', 0);
    `)},db=>{db.exec(`
      ALTER TABLE tasks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE tasks ADD COLUMN claimed_by TEXT;
      ALTER TABLE tasks ADD COLUMN claim_expires_at TEXT;
      CREATE TABLE task_notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        author TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX task_notes_by_task ON task_notes(task_id, id);
    `)},db=>{db.exec(`
      ALTER TABLE tasks ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX tasks_by_change ON tasks(project_id, change_seq);
      CREATE TABLE task_tombstones (
        task_id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        deleted_at TEXT NOT NULL
      );
      CREATE INDEX task_tombstones_by_seq ON task_tombstones(project_id, seq);
      INSERT INTO store_meta (key, value) VALUES ('change_seq', 0), ('change_horizon', 0);
      `)},db=>{db.exec(`
      CREATE TABLE write_requests (
        key TEXT PRIMARY KEY,
        result TEXT,
        taken_at INTEGER NOT NULL
      );
      CREATE INDEX write_requests_by_age ON write_requests(taken_at);
    `)},db=>{db.exec(`
      CREATE TABLE task_tombstones_by_project (
        task_id TEXT NOT NULL,
        project_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        deleted_at TEXT NOT NULL,
        PRIMARY KEY (task_id, project_id)
      );
      INSERT INTO task_tombstones_by_project SELECT task_id, project_id, seq, deleted_at FROM task_tombstones;
      DROP TABLE task_tombstones;
      ALTER TABLE task_tombstones_by_project RENAME TO task_tombstones;
      CREATE INDEX task_tombstones_by_seq ON task_tombstones(project_id, seq);
    `)},db=>{db.exec(`
      DELETE FROM write_requests;
      ALTER TABLE write_requests ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
      ALTER TABLE write_requests ADD COLUMN owner_pid INTEGER NOT NULL DEFAULT 0;
    `)},db=>{db.exec(`
      CREATE TABLE project_sequences (
        project_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        horizon INTEGER NOT NULL
      );
      INSERT INTO project_sequences (project_id, seq, horizon)
        SELECT id, (SELECT value FROM store_meta WHERE key = 'change_seq'),
          (SELECT value FROM store_meta WHERE key = 'change_horizon') FROM projects;
      DELETE FROM store_meta WHERE key = 'change_horizon';
    `)},db=>{db.exec(`
      CREATE TABLE tasks_by_project (
        id TEXT NOT NULL,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        git_branch_id TEXT REFERENCES git_branches(id) ON DELETE SET NULL,
        ${TASK_COLUMNS_1},
        version INTEGER NOT NULL DEFAULT 1,
        claimed_by TEXT,
        claim_expires_at TEXT,
        change_seq INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (project_id, id)
      );
      INSERT INTO tasks_by_project (id, project_id, git_branch_id, title, description, details, status, priority,
        assignees, labels, dependencies, estimated_effort, due_date, created_at, updated_at, completed_at,
        completion_summary, version, claimed_by, claim_expires_at, change_seq)
      SELECT id, project_id, git_branch_id, title, description, details, status, priority, assignees, labels,
        dependencies, estimated_effort, due_date, created_at, updated_at, completed_at, completion_summary, version,
        claimed_by, claim_expires_at, change_seq FROM tasks ORDER BY rowid;
      CREATE TABLE task_notes_by_project (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        project_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        FOREIGN KEY (project_id, task_id) REFERENCES tasks_by_project(project_id, id) ON DELETE CASCADE
      );
      INSERT INTO task_notes_by_project (id, project_id, task_id, author, text, created_at)
        SELECT n.id, t.project_id, n.task_id, n.author, n.text, n.created_at
        FROM task_notes n JOIN tasks t ON t.id = n.task_id ORDER BY n.id;
      DROP TABLE task_notes;
      DROP TABLE tasks;
      ALTER TABLE tasks_by_project RENAME TO tasks;
      ALTER TABLE task_notes_by_project RENAME TO task_notes;
      CREATE INDEX tasks_by_project_status ON tasks(project_id, status);
      CREATE INDEX tasks_by_branch_status ON tasks(git_branch_id, status);
      CREATE INDEX tasks_by_change ON tasks(project_id, change_seq);
      CREATE INDEX task_notes_by_task ON task_notes(project_id, task_id, id);
    `)},keepDependencyProjects,db=>{db.exec(`
      CREATE TABLE project_repositories (
        repository TEXT PRIMARY KEY,
        project TEXT NOT NULL
      );
      CREATE INDEX project_repositories_by_project ON project_repositories(project);
    `)},db=>{db.exec(`
      CREATE TABLE work_records (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        project_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        agent TEXT NOT NULL DEFAULT '',
        branch TEXT NOT NULL DEFAULT '',
        machine TEXT NOT NULL DEFAULT '',
        started_at TEXT NOT NULL,
        ended_at TEXT NOT NULL,
        commits TEXT NOT NULL DEFAULT '[]',
        uncommitted TEXT NOT NULL DEFAULT '[]',
        status_to TEXT,
        status_changes TEXT NOT NULL DEFAULT '[]',
        closing_words TEXT,
        UNIQUE (project_id, task_id, session_id, started_at),
        FOREIGN KEY (project_id, task_id) REFERENCES tasks(project_id, id) ON DELETE CASCADE
      );
      CREATE INDEX work_records_by_task ON work_records(project_id, task_id, ended_at);
      CREATE INDEX work_records_by_branch ON work_records(project_id, branch, ended_at);
    `)},db=>{db.exec(`
      ALTER TABLE project_repositories ADD COLUMN first_commit TEXT;
      ALTER TABLE project_repositories ADD COLUMN seen_in TEXT;
      CREATE INDEX project_repositories_by_first_commit ON project_repositories(first_commit);
    `);const fold=db.prepare("UPDATE OR IGNORE project_repositories SET repository = ? WHERE repository = ?");const keys=db.prepare("SELECT repository FROM project_repositories").all();for(const{repository}of keys){const folded=foldOriginKey(repository);if(folded!==repository)fold.run(folded,repository)}}];var INSERT_TASK=`INSERT INTO tasks (${NEW_TASK_COLUMNS.join(", ")})
  VALUES (${NEW_TASK_COLUMNS.map(col=>`@${col}`).join(", ")})`;function getTask(c,key){const row=c.statement("SELECT * FROM tasks WHERE project_id = ? AND id = ?").get(key.projectId,key.id);return row&&toTask(row)}function holders(c,id){return c.statement("SELECT * FROM projects WHERE id IN (SELECT project_id FROM tasks WHERE id = ?) ORDER BY name").all(id).map(toProject)}function findKey(c,ref){return typeof ref==="string"?keyAmong(ref,holders(c,ref)):ref}function findTask(c,ref){const key=findKey(c,ref);return key&&getTask(c,key)}function requireTask(c,ref){const task=findTask(c,ref);if(!task)throw noSuch("Task",idOf(ref));return task}var keyOf=t=>({projectId:t.projectId,id:t.id});function createOne(c,input){const project=requireProject(c,input.projectId);let branchId=null;if(input.gitBranchId){const branch=requireBranch(c,input.gitBranchId);if(branch.projectId!==project.id)throw invalid(`Git branch ${branch.id} belongs to another project than ${project.name}`);branchId=branch.id}const status=requireStatus(input.status??"todo");const priority=requirePriority(input.priority??DEFAULT_PRIORITY);let id=input.id?.trim();if(id){if(getTask(c,{projectId:project.id,id}))throw new TaskDbError("ALREADY_EXISTS",`Task already exists in ${project.name}: ${id}`);noteExplicitId(c,project.id,id)}else{do id=formatArtifactId("TASK",advanceCounter(c,project.id,"TASK",1));while(getTask(c,{projectId:project.id,id}))}const title=requireNonEmpty("title",input.title);const row=newTaskRow(input,{id,projectId:project.id,branchId,title,status,priority},now());c.changed(project.id,[id]);c.statement(INSERT_TASK).run(row);return requireTask(c,{projectId:project.id,id})}function applyPatch(c,ref,patch,expectedVersion){const current=requireTask(c,ref);const{id}=current;if(expectedVersion!==void 0&&current.version!==expectedVersion)throw staleVersion(id,expectedVersion,current.version);c.changed(current.projectId,[id]);if(patch.status!==void 0)checkTransition(current,requireStatus(patch.status));if(patch.priority!==void 0)requirePriority(patch.priority);if(patch.title!==void 0)patch={...patch,title:requireNonEmpty("title",patch.title)};const sets=[];const values={id,project_id:current.projectId};for(const[col,value]of patchColumns(patch)){sets.push(`${col} = @${col}`);values[col]=value}const at=now();if(patch.status!==void 0&&patch.status!==current.status){sets.push("completed_at = @completed_at");values.completed_at=patch.status==="done"?at:null}sets.push("updated_at = @updated_at","version = version + 1");values.updated_at=at;c.statement(`UPDATE tasks SET ${sets.join(", ")} WHERE project_id = @project_id AND id = @id`).run(values);return requireTask(c,keyOf(current))}var CLAIM=`UPDATE tasks SET claimed_by = @claimant, claim_expires_at = @expires, version = version + 1, updated_at = @now,
    assignees = CASE WHEN @assignee IS NOT NULL AND assignees = '[]' THEN json_array(@assignee) ELSE assignees END
  WHERE project_id = @project_id AND id = @id AND (claimed_by IS NULL OR claimed_by = @claimant OR claim_expires_at < @now) AND (@version IS NULL OR version = @version)
  RETURNING *`;var RELEASE=`UPDATE tasks SET claimed_by = NULL, claim_expires_at = NULL, version = version + 1, updated_at = @now
  WHERE project_id = @project_id AND id = @id AND claimed_by = @claimant RETURNING *`;function claimRefusal(task,id,version){if(!task)return noSuch("Task",id);if(version!==void 0&&task.version!==version)return staleVersion(id,version,task.version);return claimedBy(id,task.claimedBy??"another claimant",task.claimExpiresAt??"its lease ends")}var LEASE_BOUNDS={min:1,max:24*60*60,fallback:900};function claims(c){return{claimTask:({taskId,claimant,leaseSeconds,version,assignee})=>c.write(()=>{const who=requireNonEmpty("claimant",claimant);const key=findKey(c,taskId);if(!key)throw noSuch("Task",idOf(taskId));const at=new Date;const row=c.statement(CLAIM).get({id:key.id,project_id:key.projectId,claimant:who,now:at.toISOString(),expires:new Date(at.getTime()+leaseSeconds*1e3).toISOString(),version:version??null,assignee:assignee??null});if(!row)throw claimRefusal(getTask(c,key),key.id,version);c.changed(row.project_id,[key.id]);return toTask(row)}),releaseTask:(ref,claimant)=>c.write(()=>{const who=requireNonEmpty("claimant",claimant);const task=requireTask(c,ref);const row=c.statement(RELEASE).get({id:task.id,project_id:task.projectId,claimant:who,now:now()});if(row){c.changed(row.project_id,[task.id]);return toTask(row)}if(task.claimedBy===null||task.claimExpiresAt!==null&&task.claimExpiresAt<now())return task;throw claimedBy(task.id,task.claimedBy,task.claimExpiresAt??"its lease ends")})}}function notes(c){return{addNote:(taskId,text,author="")=>c.write(()=>{const task=requireTask(c,taskId);const body=requireNonEmpty("note",text);const row=c.statement("INSERT INTO task_notes (project_id, task_id, author, text, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *").get(task.projectId,task.id,author.trim(),body,now());c.changed(task.projectId,[task.id]);return toNote(row)}),listNotes:ref=>{const key=findKey(c,ref);if(!key)return[];return c.statement("SELECT * FROM task_notes WHERE project_id = ? AND task_id = ? ORDER BY id").all(key.projectId,key.id).map(toNote)}}}function deleteOne(c,ref){const{id,projectId}=requireTask(c,ref);c.changed(projectId,[id]);c.statement("DELETE FROM tasks WHERE project_id = ? AND id = ?").run(projectId,id);const named=otherProjectDependency({projectId,id});const dependents=c.statement(`SELECT project_id, id, dependencies FROM tasks WHERE EXISTS (SELECT 1 FROM json_each(tasks.dependencies)
        WHERE (tasks.project_id = ? AND value = ?) OR (tasks.project_id <> ? AND value = ?))`).all(projectId,id,projectId,named);for(const d of dependents){c.changed(d.project_id,[d.id]);const gone=d.project_id===projectId?id:named;const deps=JSON.parse(d.dependencies).filter(x=>x!==gone);c.statement("UPDATE tasks SET dependencies = ?, updated_at = ?, version = version + 1 WHERE project_id = ? AND id = ?").run(JSON.stringify(deps),now(),d.project_id,d.id)}}function dependencies(c){return{addDependency:(ref,dependencyId)=>c.write(()=>{const t=requireTask(c,ref);requireTask(c,{projectId:t.projectId,id:dependencyId});if(t.id===dependencyId)throw invalid(`Task ${t.id} cannot depend on itself`);if(t.dependencies.includes(dependencyId))return t;return applyPatch(c,keyOf(t),{dependencies:[...t.dependencies,dependencyId]})}),removeDependency:(ref,dependencyId)=>c.write(()=>{const t=requireTask(c,ref);return applyPatch(c,keyOf(t),{dependencies:t.dependencies.filter(d=>d!==dependencyId)})})}}function tasksAndDependencies(c){return{...claims(c),...notes(c),...dependencies(c),createTask:input=>c.write(()=>createOne(c,input)),createTasks:inputs=>c.write(()=>inputs.map(input=>createOne(c,input))),getTask:ref=>findTask(c,ref),taskProjects:id=>holders(c,id),updateTask:(id,patch,expectedVersion)=>c.write(()=>applyPatch(c,id,patch,expectedVersion)),setStatus:(id,status,completionSummary)=>c.write(()=>applyPatch(c,id,completionSummary===void 0?{status}:{status,completionSummary})),deleteTask:id=>c.write(()=>deleteOne(c,id)),countTasks:()=>c.statement("SELECT COUNT(*) AS n FROM tasks").get().n}}export{TASK_DB_MIGRATIONS,LEASE_BOUNDS,tasksAndDependencies};
