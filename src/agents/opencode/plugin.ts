// taskhooks' plugin for OpenCode, which loads it into its own process from opencode.json's `plugin` list, the node
// that runs taskhooks as its option. Each OpenCode hook of the bindings (./config.ts) asks taskhooks' entries
// (./call.ts) and puts their answer where OpenCode's model reads it. OpenCode waits for a plugin without a
// limit and fails the turn on what it throws: every hook body is wrapped, and the one error thrown on purpose is a
// guard's refusal, which OpenCode gives the model as the tool's result.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveHome } from '../../home/dir.js';
import { callEntry, type CallTarget } from './call.js';
import { opencodeConfig } from './config.js';
import { type IdleWaker, idleWaker, type PromptClient } from './wake.js';

/** OpenCode 1.18's title request (no tools, a model call of its own) opens with its title agent's prompt. */
const TITLE_PROMPT = 'You are a title generator';

interface PluginInput {
  client: PromptClient & { app?: { log?(o: { body: Record<string, unknown> }): Promise<unknown> } };
  directory: string;
}

interface Part {
  type: string;
  text?: string;
  synthetic?: boolean;
}

/** The package folder: this file is dist/opencode-plugin.js. */
const packageRoot = (): string => path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let partCounter = 0;
/** A part id as OpenCode makes them (`prt_`, 12 hex digits of time, 14 random), so it sorts after the prompt's own. */
function partId(): string {
  partCounter = (partCounter + 1) % 0x1000;
  const stamp = ((BigInt(Date.now()) * 0x1000n + BigInt(partCounter)) & 0xffffffffffffn).toString(16).padStart(12, '0');
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const random = [...randomBytes(14)].map((b) => alphabet[b % alphabet.length]).join('');
  return `prt_${stamp}${random}`;
}

const bindingOf = (event: string) => opencodeConfig.bindings.find((b) => b.event === event);

type Answer = { context?: string; deny?: string };
type Guard = <A extends unknown[]>(name: string, body: (...args: A) => Promise<void>) => (...args: A) => Promise<void>;

/** What the plugin's hooks share: the asking, the wrapping, each session's start, the idle wake. */
interface PluginState {
  ask(event: string, fields: Record<string, unknown>): Promise<Answer>;
  guarded: Guard;
  sessionStart(sessionId: string): Promise<string | undefined>;
  forget(sessionId: string): void;
  waker: IdleWaker;
}

/** The answers of every entry the binding of `event` runs for this call, its contexts joined. */
async function askEntries(target: CallTarget, event: string, fields: Record<string, unknown>): Promise<Answer> {
  const binding = bindingOf(event);
  const tool = fields.tool_name;
  if (!binding) return {};
  if (binding.matcher && !(typeof tool === 'string' && new RegExp(`^(${binding.matcher})$`).test(tool))) return {};
  const input = { cwd: target.cwd, hook_event_name: event, ...fields };
  const answers = await Promise.all(binding.hooks.map((name) => callEntry(target, name, input)));
  const context = answers.flatMap((a) => (a.context ? [a.context] : [])).join('\n\n');
  const deny = answers.find((a) => a.deny)?.deny;
  return { ...(context ? { context } : {}), ...(deny ? { deny } : {}) };
}

/** A hook body that never throws into OpenCode: what fails is logged, and the session goes on without it. */
const guard =
  (log: (message: string) => void): Guard =>
  (name, body) =>
  async (...args) => {
    try {
      await body(...args);
    } catch (err) {
      log(`${name}: ${err instanceof Error ? err.message : String(err)}; nothing said`);
    }
  };

function pluginState(ctx: PluginInput, options: { node?: unknown } | undefined): PluginState {
  const log = (message: string): void => {
    void Promise.resolve()
      .then(() => ctx.client.app?.log?.({ body: { service: 'taskhooks', level: 'warn', message } }))
      .catch(() => undefined);
  };
  const target: CallTarget = {
    node: typeof options?.node === 'string' ? options.node : 'node',
    root: packageRoot(),
    home: resolveHome(process.env),
    agentPid: process.pid,
    cwd: ctx.directory,
    log,
  };
  const ask = (event: string, fields: Record<string, unknown>) => askEntries(target, event, fields);
  /** SessionStart's context per session: asked once, then given to every request of it (OpenCode rebuilds them). */
  const started = new Map<string, Promise<string | undefined>>();
  const sessionStart = (sessionId: string): Promise<string | undefined> => {
    let context = started.get(sessionId);
    if (!context) {
      context = ask('experimental.chat.system.transform', { session_id: sessionId, source: 'startup' }).then(
        (a) => a.context,
        () => undefined,
      );
      started.set(sessionId, context);
    }
    return context;
  };
  return {
    ask,
    guarded: guard(log),
    sessionStart,
    forget: (sessionId) => started.delete(sessionId),
    waker: idleWaker({ ...target, client: ctx.client }),
  };
}

/** SessionStart and the prompt: context in the system prompt, and a text part beside the prompt. */
function promptHooks({ ask, guarded, sessionStart, waker }: PluginState): Record<string, unknown> {
  return {
    'experimental.chat.system.transform': guarded(
      'SessionStart',
      async (input: { sessionID?: string }, output: { system: string[] }) => {
        if (!input.sessionID || output.system[0]?.startsWith(TITLE_PROMPT)) return;
        const context = await sessionStart(input.sessionID);
        if (context) output.system.push(context);
      },
    ),
    'chat.message': guarded(
      'UserPromptSubmit',
      async (input: { sessionID: string }, output: { message: { id: string }; parts: Part[] }) => {
        waker.busy(input.sessionID);
        // The session's start is told before its first prompt's news, whose baseline it sets.
        await sessionStart(input.sessionID);
        const prompt = output.parts.flatMap((p) => (p.type === 'text' && !p.synthetic && p.text ? [p.text] : []));
        const { context } = await ask('chat.message', {
          session_id: input.sessionID,
          prompt_id: output.message.id,
          prompt: prompt.join('\n'),
        });
        if (context)
          output.parts.push({
            id: partId(),
            sessionID: input.sessionID,
            messageID: output.message.id,
            type: 'text',
            text: context,
            synthetic: true,
          } as Part);
      },
    ),
  };
}

/** A tool call as OpenCode's hooks name it: its id makes the event one for every run that answers it. */
interface ToolCall {
  tool: string;
  sessionID: string;
  callID?: string;
}

/** Around a tool call: the guards before it (a refusal is thrown), the news and the reminder after it. */
function toolHooks({ ask, guarded }: PluginState): Record<string, unknown> {
  return {
    'tool.execute.before': async (input: ToolCall, output: { args: unknown }) => {
      let deny: string | undefined;
      await guarded('PreToolUse', async () => {
        ({ deny } = await ask('tool.execute.before', {
          session_id: input.sessionID,
          tool_use_id: input.callID,
          tool_name: input.tool,
          tool_input: output.args,
        }));
      })();
      // The one throw on purpose: OpenCode refuses the call and gives the model this message as its result.
      if (deny) throw new Error(deny);
    },
    'tool.execute.after': guarded(
      'PostToolUse',
      async (input: ToolCall & { args: unknown }, output: { output?: unknown }) => {
        const { context } = await ask('tool.execute.after', {
          session_id: input.sessionID,
          tool_use_id: input.callID,
          tool_name: input.tool,
          tool_input: input.args,
          tool_response: output.output,
        });
        if (context && typeof output.output === 'string') output.output += `\n\n${context}`;
      },
    ),
  };
}

/** The session's life: idle (its watch starts), deleted (SessionEnd). */
function eventHook({ ask, guarded, waker, forget }: PluginState): Record<string, unknown> {
  return {
    event: guarded('event', async ({ event }: { event: { type: string; properties?: Record<string, unknown> } }) => {
      const props = event.properties ?? {};
      if (event.type === 'session.idle' && typeof props.sessionID === 'string') waker.idle(props.sessionID);
      if (event.type !== 'session.deleted') return;
      const info = props.info as { id?: unknown } | undefined;
      if (typeof info?.id !== 'string') return;
      waker.busy(info.id);
      forget(info.id);
      await ask('session.deleted', { session_id: info.id, reason: 'other' });
    }),
  };
}

/** The plugin OpenCode calls once per instance: `options.node` is the node install wrote. */
export default async function taskhooksPlugin(
  ctx: PluginInput,
  options?: { node?: unknown },
): Promise<Record<string, unknown>> {
  const state = pluginState(ctx, options);
  return { ...promptHooks(state), ...toolHooks(state), ...eventHook(state) };
}
