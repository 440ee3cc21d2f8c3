// The real Claude Code CLI with the hooks taskhooks installs, the model stood in on loopback: a change made between
// two prompts of one session reaches the model through UserPromptSubmit, the plugin loaded beside the installed
// hooks injects SessionStart's context once, and a `-p` session's context is known to have arrived.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClaudeHookEvent } from '../../src/hooks/events/events.js';
import { desiredHooks } from '../../src/install/writing/settings.js';
import {
  claudeEnv,
  type ClaudeWorld,
  claudeWorld,
  hookRecord,
  installWithMonitor,
  messagesStub,
  runClaude,
  startContexts,
} from '../helpers/claude.js';
import { ROOMY_DEADLINES, ROOT, withHomeCache } from '../helpers/hooks.js';
import { waitFor } from '../monitor/helpers.js';
import { listTold } from '../../src/told/table.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The e2e world of these tests: embedded source, roomy deadlines. */
const world = (): ClaudeWorld => claudeWorld({ hooks: ROOMY_DEADLINES }, cleanups);

/** The project's settings run these of the hooks taskhooks installs, as commands, and no others. */
function installOnly(dir: string, events: ClaudeHookEvent[]): void {
  const all = desiredHooks({ node: process.execPath, root: ROOT, transport: 'command' });
  mkdirSync(path.join(dir, '.claude'));
  writeFileSync(
    path.join(dir, '.claude', 'settings.json'),
    JSON.stringify({ hooks: Object.fromEntries(events.map((e) => [e, [all[e]]])) }),
  );
}

describe('Claude Code hears what changed mid-session', () => {
  it('a task finished with the CLI between two prompts of one session reaches the model with the second prompt', async () => {
    const w = world();
    const { id } = JSON.parse((await w.cli(['tasks', 'add', 'Fix the checkout total', '--json'])).stdout) as {
      id: string;
    };
    await w.cli(['tasks', 'start', id]);
    installOnly(w.dir, ['SessionStart', 'UserPromptSubmit']);
    const api = await messagesStub([]);
    cleanups.push(() => api.close());
    const env = claudeEnv(w.home, w.taskhooksHome, api.url);
    const session = randomUUID();

    const first = await runClaude(w.dir, env, ['--session-id', session]);
    expect(first.code).toBe(0);
    const firstRequests = api.requests.length;
    expect(firstRequests).toBeGreaterThan(0);
    expect(api.requests.join('\n')).not.toContain('changed since you were last told');

    await w.cli(['tasks', 'done', id]);
    const second = await runClaude(w.dir, env, ['--resume', session]);
    expect(second.code).toBe(0);
    const later = api.requests.slice(firstRequests).join('\n');
    // The request body is JSON: the context sits in it as a JSON string.
    expect(later).toContain(
      JSON.stringify(
        `Your task ${id} (Fix the checkout total) is no longer open: it was finished or closed elsewhere.`,
      ).slice(1, -1),
    );
  });
});

describe('Claude Code hears a change mid-turn', () => {
  it('a critical task added while a tool call runs reaches the next model request of the same turn, and is not told again', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Fix the checkout total', '--json']);
    installOnly(w.dir, ['SessionStart', 'UserPromptSubmit', 'PostToolUse', 'PostToolBatch']);
    // One prompt; the model asks for a Bash call that runs a few seconds, then ends the turn.
    // The tool call says when it runs, and lasts until the task is added (at most a minute): however slow the machine,
    // the change lands while it runs.
    const started = path.join(w.home, 'tool-started');
    const added = path.join(w.home, 'task-added');
    const command = `touch '${started}'; for i in $(seq 300); do [ -e '${added}' ] && break; sleep 0.2; done`;
    const api = await messagesStub([{ tool: 'Bash', input: { command, description: 'wait for the build' } }]);
    cleanups.push(() => api.close());
    const env = claudeEnv(w.home, w.taskhooksHome, api.url);
    const session = randomUUID();
    const turn = runClaude(w.dir, env, ['--session-id', session, '--allowedTools', 'Bash']);
    // Once the tool call runs (it says so with a file), a teammate adds a critical task meanwhile.
    while (!existsSync(started)) await new Promise((r) => setTimeout(r, 50));
    const { id } = JSON.parse(
      (await w.cli(['tasks', 'add', 'Checkout is down', '--priority', 'critical', '--json'])).stdout,
    ) as { id: string };
    writeFileSync(added, id);
    const result = await turn;
    expect(result.code).toBe(0);

    const news = JSON.stringify(`New critical task on branch main: ${id} (Checkout is down).`).slice(1, -1);
    // The request after the tool result, in the same turn, carries it.
    const afterTool = api.requests.filter((body) => body.includes('"tool_result"'));
    expect(afterTool.length).toBeGreaterThan(0);
    expect(afterTool[0]).toContain(news);
    expect(api.requests.filter((body) => !body.includes('"tool_result"')).join('\n')).not.toContain(news);
    const { contexts } = hookRecord(w.home, 'PostToolUse');
    const batch = hookRecord(w.home, 'PostToolBatch').contexts;
    // Told once, by whichever of the two looked first.
    expect([...contexts, ...batch].filter((c) => c.includes('Checkout is down'))).toHaveLength(1);

    // The next prompt of the session does not repeat it: only the conversation's history holds it, once.
    const before = api.requests.length;
    const second = await runClaude(w.dir, env, ['--resume', session]);
    expect(second.code).toBe(0);
    const last = api.requests.slice(before).at(-1) ?? '';
    expect(last.split(news)).toHaveLength(2);
    expect(hookRecord(w.home, 'UserPromptSubmit').contexts.join('\n')).not.toContain('Checkout is down');
  });
});

describe('subagents', () => {
  it("a SubagentStart hook can speak to the subagent: its additionalContext reaches the subagent's request", async () => {
    const w = world();
    // A plain hook of our own: this checks what Claude Code lets a SubagentStart hook do, and what its input carries.
    const seen = path.join(w.home, 'subagent-input.json');
    const script = path.join(w.home, 'subagent-start.mjs');
    writeFileSync(
      script,
      `import { readFileSync, writeFileSync } from 'node:fs';\n` +
        `writeFileSync(${JSON.stringify(seen)}, readFileSync(0, 'utf8'));\n` +
        `process.stdout.write(JSON.stringify({ hookSpecificOutput: { hookEventName: 'SubagentStart', additionalContext: 'MARKER-4711: parent works on TASK-1 on branch main' } }));\n`,
    );
    mkdirSync(path.join(w.dir, '.claude'));
    const command = `"${process.execPath}" "${script}"`;
    writeFileSync(
      path.join(w.dir, '.claude', 'settings.json'),
      JSON.stringify({
        hooks: { SubagentStart: [{ matcher: '', hooks: [{ type: 'command', command, timeout: 10 }] }] },
      }),
    );
    const api = await messagesStub([
      {
        tool: 'Agent',
        input: { description: 'Look around', prompt: 'List the files.', subagent_type: 'general-purpose' },
      },
    ]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), ['--allowedTools', 'Agent']);

    expect(result.code).toBe(0);
    const input = JSON.parse(readFileSync(seen, 'utf8')) as Record<string, unknown>;
    expect(input).toMatchObject({ hook_event_name: 'SubagentStart', agent_type: 'general-purpose' });
    expect(typeof input.agent_id).toBe('string');
    expect(api.requests.some((body) => body.includes('MARKER-4711: parent works on TASK-1 on branch main'))).toBe(true);
  });
});

describe("taskhooks tells a subagent its parent's task", () => {
  it("the SubagentStart hook taskhooks install wrote puts the task and branch in the subagent's request", async () => {
    const w = world();
    const { id } = JSON.parse((await w.cli(['tasks', 'add', 'Fix the checkout total', '--json'])).stdout) as {
      id: string;
    };
    await w.cli(['tasks', 'start', id]);
    await installWithMonitor(w);
    const api = await messagesStub([
      {
        tool: 'Agent',
        input: { description: 'Look around', prompt: 'List the files.', subagent_type: 'general-purpose' },
      },
    ]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), ['--allowedTools', 'Agent']);

    expect(result.code).toBe(0);
    const line = `[taskhooks] Your parent session works on ${id} "Fix the checkout total" on branch main`;
    expect(api.requests.some((body) => body.includes(JSON.stringify(line).slice(1, -1)))).toBe(true);
  });
});

describe('registered twice, heard once', () => {
  it('the plugin loaded with --plugin-dir beside the hooks taskhooks install wrote injects the start context once', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await installWithMonitor(w);
    const api = await messagesStub([]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), ['--plugin-dir', ROOT]);

    expect(result.code).toBe(0);
    // The plugin tells a session's start at its first prompt: counted with SessionStart's. Claude Code may join the
    // outputs of several handlers into one record: count the context itself.
    const contexts = startContexts(w.home);
    expect(contexts.join('\n').split('Next recommended task: TASK-001 "Add coupon codes"')).toHaveLength(2);
  });
});

describe('a `claude -p` session is told, and known to be', () => {
  it('records its SessionStart context delivered, and logs no loss: the first hooks run before the transcript is written', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Fix the cart']);
    await installWithMonitor(w);
    const api = await messagesStub([]);
    cleanups.push(() => api.close());
    const run = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url));
    expect(run.code, run.stderr).toBe(0);
    // The model got the context.
    expect(api.requests.join('\n')).toContain('Next recommended task: TASK-001');
    // SessionEnd, run in the background after the session, reads the transcript Claude Code wrote by then.
    const told = await waitFor('SessionEnd to record the delivery', () => {
      const entry = withHomeCache(w.taskhooksHome, (c) => listTold(c)).find((t) => t.event === 'SessionStart');
      return entry?.delivery?.state !== 'pending' && entry;
    });
    expect(told.delivery?.state).toBe('delivered');
    const logs = ['hooks.log', 'monitor.log']
      .map((f) => path.join(w.taskhooksHome, 'logs', f))
      .filter(existsSync)
      .map((f) => readFileSync(f, 'utf8'))
      .join('');
    expect(logs).not.toContain('did not reach');
  });
});
