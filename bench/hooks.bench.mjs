// The built hooks against bare `node -e 0`, as Claude Code runs them (a process per call, JSON on
// stdin). Goals: PreToolUse ≤ 1.15×, SessionStart on a fresh cache ≤ 1.3×, SessionStart against a black-holed
// server: first run ≤ deadline + 100 ms, later runs (breaker open) ≤ 1.3×. UserPromptSubmit runs before every prompt
// and the prompt waits for it: with nothing new (nearly always) ≤ 1.05×; with one item to tell it opens the cache.
// PostToolUse runs after every tool call and is waited on: with nothing new ≤ 1.05×; a task change and one item to
// tell have no goal. The status line
// runs after every assistant message, a cold process like PreToolUse: ≤ 1.15×.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  benchSqlite,
  compareToBareNode,
  editInput as editOf,
  fmt,
  makeRepo,
  node,
  report,
  root,
  runOnce,
} from './lib.mjs';

const { openDatabase } = await benchSqlite();

const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-hooks-'));
const children = [];
// However this process ends (a failed run throws), it leaves no directory and no monitor behind.
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});
const repo = makeRepo(path.join(tmp, 'demo'));

const sessionStart = path.join(root, 'dist/hooks/session-start.js');
const preToolUse = path.join(root, 'dist/hooks/pre-tool-use.js');
const ssInput = JSON.stringify({ session_id: 'bench', cwd: repo, hook_event_name: 'SessionStart', source: 'startup' });
const editInput = editOf(repo);
const readInput = JSON.stringify({
  session_id: 'bench',
  cwd: repo,
  hook_event_name: 'PreToolUse',
  tool_name: 'Read',
  tool_input: { file_path: path.join(repo, 'a.ts') },
});
const postToolUse = path.join(root, 'dist/hooks/post-tool-use.js');
const postInput = (toolName, toolInput, toolResponse) =>
  JSON.stringify({
    session_id: 'bench',
    cwd: repo,
    hook_event_name: 'PostToolUse',
    tool_name: toolName,
    tool_input: toolInput,
    tool_response: toolResponse,
  });
// The same status each time, so every run patches the snapshot the same way.
const updateInput = postInput(
  'mcp__agenthub__manage_task',
  { action: 'update', task_id: 'T-1', status: 'in_progress' },
  {
    content: [
      {
        type: 'text',
        text: JSON.stringify({
          status: 'success',
          success: true,
          operation: 'update',
          data: { task: { id: 'T-1', title: 'Task number 0', status: 'in_progress', priority: 'high' } },
        }),
      },
    ],
  },
);
const unrelatedInput = postInput(
  'mcp__github__create_issue',
  { title: 'x' },
  { content: [{ type: 'text', text: '{"number":1}' }] },
);
const bashInput = (command) =>
  JSON.stringify({
    session_id: 'bench',
    cwd: repo,
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command },
  });
// The way Claude Code commits: a heredoc message inside a command substitution, so the shell parser does real work.
const commitInput = bashInput(
  `git add -A && git commit -m "$(cat <<'EOF'\nbench: a change\n\nWhy it was made, over a few lines.\nEOF\n)"`,
);
const lsInput = bashInput('ls -la src && git status');
const statusLine = path.join(root, 'dist/hooks/status-line.js');
// What Claude Code sends a status-line command, fields taskhooks does not read included.
const statusInput = JSON.stringify({
  hook_event_name: 'Status',
  session_id: 'bench',
  transcript_path: path.join(tmp, 'bench.jsonl'),
  cwd: repo,
  model: { id: 'claude-opus-4-1', display_name: 'Opus' },
  workspace: { current_dir: repo, project_dir: repo, added_dirs: [] },
  version: '2.1.153',
  cost: { total_cost_usd: 0.01, total_duration_ms: 45000, total_lines_added: 10, total_lines_removed: 2 },
  context_window: { context_window_size: 200000, used_percentage: 8 },
});

function home(name, config) {
  const dir = path.join(tmp, name);
  mkdirSync(dir);
  if (config) writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return { dir, env: { ...process.env, TASKHOOKS_HOME: dir, TASKHOOKS_NO_AUTOSTART: '1' } };
}

/** Five cached tasks for demo/main under `sourceKey`, fetched just now (written the way the cache module does). */
function seed(dir, sourceKey) {
  const db = openDatabase(path.join(dir, 'cache.db'));
  const tasks = Array.from({ length: 5 }, (_, i) => ({
    id: `T-${i}`,
    title: `Task number ${i}`,
    description: 'd'.repeat(300),
    status: i === 0 ? 'in_progress' : 'todo',
    priority: 'high',
    assignees: [],
    labels: [],
    dependencies: [],
  }));
  db.prepare(
    `INSERT OR REPLACE INTO task_snapshots (source_key, project, branch, fetched_at, source, tasks, next_task) VALUES (?, 'demo', 'main', ?, ?, ?, ?)`,
  ).run(sourceKey, Date.now(), sourceKey, JSON.stringify(tasks), JSON.stringify(tasks[1]));
  db.close();
}

/** A loopback URL nothing listens on: the monitor's refreshes fail and leave the seeded snapshot as it is. */
async function closedUrl() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${s.address().port}/mcp`;
  await new Promise((r) => s.close(r));
  return url;
}

// Fresh cache: one run creates the cache (and git state), then the snapshot is seeded.
const offline = await closedUrl();
const fresh = home('fresh', { source: { servers: [offline] }, monitor: { hookPort: 0 } });
runOnce(node, [sessionStart], { input: ssInput, env: fresh.env });
seed(fresh.dir, offline);
runOnce(node, [preToolUse], { input: editInput, env: fresh.env }); // the session's reminder is given once
report(
  'SessionStart, fresh cache, no monitor / bare node',
  compareToBareNode({ cmd: node, args: [sessionStart], input: ssInput, env: fresh.env }),
  1.3,
);
// The usual state of affairs: a monitor runs, so SessionStart never loads the code that would start one.
const monitor = spawn(node, [path.join(root, 'dist/cli.js'), 'monitor', 'run'], { env: fresh.env, stdio: 'ignore' });
children.push(monitor);
for (let i = 0; i < 100 && !existsSync(path.join(fresh.dir, 'monitor.json')); i++)
  await new Promise((r) => setTimeout(r, 100));
report(
  'SessionStart, fresh cache, monitor up / bare node',
  compareToBareNode({ cmd: node, args: [sessionStart], input: ssInput, env: fresh.env }),
  1.3,
);
monitor.kill('SIGTERM');
report(
  'PreToolUse Edit (cache read, guards) / bare node',
  compareToBareNode({ cmd: node, args: [preToolUse], input: editInput, env: fresh.env }),
  1.15,
);
// The same call outside a session: no event lease, no sighting, so no write. The gap to the row above is the write.
report(
  'PreToolUse Edit, no session_id (no cache write) / bare node',
  compareToBareNode({
    cmd: node,
    args: [preToolUse],
    input: JSON.stringify({ ...JSON.parse(editInput), session_id: undefined }),
    env: fresh.env,
  }),
);
report(
  'PreToolUse Read (not watched) / bare node',
  compareToBareNode({ cmd: node, args: [preToolUse], input: readInput, env: fresh.env }),
  1.15,
);
report(
  'Status line (cache read, fitted to 120) / bare node',
  compareToBareNode({ cmd: node, args: [statusLine], input: statusInput, env: { ...fresh.env, COLUMNS: '120' } }),
  1.15,
);
report(
  'PostToolUse, unrelated MCP tool / bare node',
  compareToBareNode({ cmd: node, args: [postToolUse], input: unrelatedInput, env: fresh.env }),
);
report(
  'PostToolUse, manage_task update / bare node',
  compareToBareNode({ cmd: node, args: [postToolUse], input: updateInput, env: fresh.env }),
);
report(
  'PreToolUse Bash git commit (cache read) / bare node',
  compareToBareNode({ cmd: node, args: [preToolUse], input: commitInput, env: fresh.env }),
  1.15,
);
// With a push guard on, every commit or push is read by the shell parser.
const guarded = home('guarded', {
  source: { servers: [offline] },
  monitor: { hookPort: 0 },
  hooks: { guards: { protectedBranches: ['release/*'] } },
});
runOnce(node, [sessionStart], { input: ssInput, env: guarded.env });
seed(guarded.dir, offline);
runOnce(node, [preToolUse], { input: commitInput, env: guarded.env });
report(
  'PreToolUse Bash git commit, push guard (parse) / bare node',
  compareToBareNode({ cmd: node, args: [preToolUse], input: commitInput, env: guarded.env }),
  1.15,
);
report(
  'PreToolUse Bash ls (pre-filtered) / bare node',
  compareToBareNode({ cmd: node, args: [preToolUse], input: lsInput, env: fresh.env }),
  1.15,
);

// UserPromptSubmit: the session's first prompt records its baseline; later ones with nothing new stop at the gate.
const userPromptSubmit = path.join(root, 'dist/hooks/user-prompt-submit.js');
const promptInput = JSON.stringify({
  session_id: 'bench',
  cwd: repo,
  hook_event_name: 'UserPromptSubmit',
  prompt: 'go on',
});
const generationFile = path.join(fresh.dir, 'news-generation');
let bumps = 0;
writeFileSync(generationFile, `bench-${++bumps}`);
runOnce(node, [userPromptSubmit], { input: promptInput, env: fresh.env });
report(
  'UserPromptSubmit, nothing new / bare node',
  compareToBareNode({ cmd: node, args: [userPromptSubmit], input: promptInput, env: fresh.env }),
  1.05,
);
// One item each run: the session is set back to having heard of four of the five high tasks, and the gate bumped.
const knewFour = JSON.stringify({
  urgent: ['T-0', 'T-1', 'T-2', 'T-3'],
  unreachable: false,
  own: { id: 'T-0', title: 'Task number 0', status: 'in_progress', assignees: [] },
});
const forgetOne = () => {
  const db = openDatabase(path.join(fresh.dir, 'cache.db'));
  db.prepare(
    "UPDATE session_injections SET value = ? WHERE session_id = 'bench' AND key = 'user-prompt-submit:baseline'",
  ).run(knewFour);
  db.close();
  writeFileSync(generationFile, `bench-${++bumps}`);
};
forgetOne();
const told = runOnce(node, [userPromptSubmit], { input: promptInput, env: fresh.env }).stdout;
if (!told.includes('New high task'))
  throw new Error(
    `UserPromptSubmit told nothing with one item due: ${told || '(empty)'} ${readFileSync(generationFile, 'utf8')}`,
  );
report(
  'UserPromptSubmit, one item to tell / bare node',
  compareToBareNode({ cmd: node, args: [userPromptSubmit], input: promptInput, env: fresh.env, before: forgetOne }),
);

// PostToolUse runs after every tool call and the next model request waits for it: with nothing new it stops at the
// same two-file gate (≤ 1.05×); with one item it opens the cache and tells it beside the tool's result.
const readResult = postInput('Read', { file_path: path.join(repo, 'a.ts') }, 'file text');
runOnce(node, [postToolUse], { input: readResult, env: fresh.env }); // looks once: the session is told up to now
report(
  'PostToolUse after a Read, nothing new / bare node',
  compareToBareNode({ cmd: node, args: [postToolUse], input: readResult, env: fresh.env }),
  1.05,
);
forgetOne();
const toldMidTurn = runOnce(node, [postToolUse], { input: readResult, env: fresh.env }).stdout;
if (!toldMidTurn.includes('New high task'))
  throw new Error(`PostToolUse told nothing with one item due: ${toldMidTurn || '(empty)'}`);
report(
  'PostToolUse after a Read, one item to tell / bare node',
  compareToBareNode({ cmd: node, args: [postToolUse], input: readResult, env: fresh.env, before: forgetOne }),
);

// The other agents run the same entries with `--agent=<id>` on their own input, translated at the entry, and so
// does OpenCode's plugin where no monitor answers (its fallback): each agent's figure, on the same cache, its own
// session (the reminder told once before the timed runs).
const agentRuns = {
  claude: { args: [], session: 'bench' },
  codex: { args: ['--agent=codex'], session: 'bench-codex' },
  gemini: { args: ['--agent=gemini'], session: 'bench-gemini' },
  qwen: { args: ['--agent=qwen'], session: 'bench-qwen' },
  copilot: { args: ['--agent=copilot'], session: 'bench-copilot' },
  opencode: { args: ['--agent=opencode'], session: 'bench-opencode' },
};
/** Claude Code's input shape, which the others but Copilot CLI share. */
const snakeInput = (session, event, f) =>
  JSON.stringify({
    session_id: session,
    cwd: repo,
    hook_event_name: event,
    ...(f.source ? { source: f.source } : {}),
    ...(f.prompt ? { prompt: f.prompt } : {}),
    ...(f.tool ? { tool_name: f.tool, tool_input: f.toolInput } : {}),
    ...(f.response ? { tool_response: f.response } : {}),
  });
/** Copilot CLI's: camelCase, the event on the command line (`--event=`), not in the input. */
const camelInput = (session, _event, f) =>
  JSON.stringify({
    sessionId: session,
    timestamp: 0,
    cwd: repo,
    ...(f.source ? { source: 'new' } : {}),
    ...(f.prompt ? { prompt: f.prompt } : {}),
    ...(f.tool ? { toolName: f.tool, toolArgs: f.toolInput } : {}),
    ...(f.response ? { toolResult: { resultType: 'success', textResultForLlm: f.response } } : {}),
  });
const agentInputs = {
  claude: {
    start: 'SessionStart',
    prompt: 'UserPromptSubmit',
    before: 'PreToolUse',
    after: 'PostToolUse',
    edit: ['Edit', { file_path: path.join(repo, 'a.ts'), old_string: 'a', new_string: 'b' }],
  },
  codex: {
    start: 'SessionStart',
    prompt: 'UserPromptSubmit',
    before: 'PreToolUse',
    after: 'PostToolUse',
    edit: ['apply_patch', { command: '*** Begin Patch\n*** Update File: a.ts\n@@\n-a\n+b\n*** End Patch\n' }],
  },
  gemini: {
    start: 'SessionStart',
    prompt: 'BeforeAgent',
    before: 'BeforeTool',
    after: 'AfterTool',
    edit: ['write_file', { file_path: 'a.ts', content: 'b' }],
  },
  qwen: {
    start: 'SessionStart',
    prompt: 'UserPromptSubmit',
    before: 'PreToolUse',
    after: 'PostToolUse',
    edit: ['edit', { file_path: 'a.ts', old_string: 'a', new_string: 'b' }],
  },
  copilot: {
    start: 'sessionStart',
    prompt: 'userPromptSubmitted',
    before: 'preToolUse',
    after: 'postToolUse',
    edit: ['apply_patch', '*** Begin Patch\n*** Update File: a.ts\n@@\n-a\n+b\n*** End Patch\n'],
    encode: camelInput,
    eventArg: true,
  },
  opencode: {
    start: 'experimental.chat.system.transform',
    prompt: 'chat.message',
    before: 'tool.execute.before',
    after: 'tool.execute.after',
    edit: ['write', { filePath: 'a.ts', content: 'b' }],
  },
};
for (const [agent, { args, session }] of Object.entries(agentRuns)) {
  const e = agentInputs[agent];
  const encode = e.encode ?? snakeInput;
  const run = (entry, event) => [entry, ...args, ...(e.eventArg ? [`--event=${event}`] : [])];
  const [tool, toolInput] = e.edit;
  const start = encode(session, e.start, { source: 'startup' });
  const prompt = encode(session, e.prompt, { prompt: 'go on' });
  const edit = encode(session, e.before, { tool, toolInput });
  runOnce(node, run(sessionStart, e.start), { input: start, env: fresh.env });
  runOnce(node, run(userPromptSubmit, e.prompt), { input: prompt, env: fresh.env });
  runOnce(node, run(preToolUse, e.before), { input: edit, env: fresh.env });
  report(
    `${agent}: SessionStart / bare node`,
    compareToBareNode({ cmd: node, args: run(sessionStart, e.start), input: start, env: fresh.env }),
    1.3,
  );
  report(
    `${agent}: prompt, nothing new / bare node`,
    compareToBareNode({ cmd: node, args: run(userPromptSubmit, e.prompt), input: prompt, env: fresh.env }),
    1.05,
  );
  report(
    `${agent}: before an edit / bare node`,
    compareToBareNode({ cmd: node, args: run(preToolUse, e.before), input: edit, env: fresh.env }),
    1.15,
  );
  // Gemini CLI's, Qwen Code's and OpenCode's reminder is told after the edit, beside the news: both entries run there.
  const after = encode(session, e.after, { tool, toolInput, response: 'ok' });
  report(
    `${agent}: after an edit, nothing new / bare node`,
    compareToBareNode({ cmd: node, args: run(postToolUse, e.after), input: after, env: fresh.env }),
    1.05,
  );
}

// Black-holed server: the kernel accepts connections (backlog) even while this process blocks in spawnSync,
// and nothing ever answers them.
const hole = net.createServer(() => undefined);
await new Promise((r) => hole.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${hole.address().port}/mcp`;
const deadlineMs = 1500;
const dark = home('dark', { source: { servers: [url] }, hooks: { sessionStartDeadlineMs: deadlineMs } });
const first = runOnce(node, [sessionStart], { input: ssInput, env: dark.env });
const verdict = first.ms <= deadlineMs + 100 ? 'within' : 'OVER';
console.log(
  `${'SessionStart, black-holed server, first run'.padEnd(48)} ${fmt(first.ms)}  (${verdict} deadline ${deadlineMs} ms + 100 ms)`,
);
// Until the breaker opens every run spends its deadline; after that no attempt is made.
let opened = false;
for (let i = 0; i < 8 && !opened; i++)
  opened = runOnce(node, [sessionStart], { input: ssInput, env: dark.env }).ms < deadlineMs / 2;
if (!opened) console.log('breaker did not open after 8 runs: the client side records no failures yet');
report(
  'SessionStart, black-holed, breaker open / bare node',
  compareToBareNode({ cmd: node, args: [sessionStart], input: ssInput, env: dark.env }, { runs: 20 }),
  1.3,
);
hole.close();
