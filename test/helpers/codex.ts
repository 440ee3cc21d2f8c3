// The real OpenAI Codex CLI (test/peers.json) in a test, offline: a temp CODEX_HOME whose model provider is a loopback
// stand-in of the Responses API (`wire_api = "responses"`), run as `codex exec … </dev/null`. The stand-in streams what
// the API documents for a streamed response: `response.created`, then each output item as
// `response.output_item.added` and `.done`, then `response.completed`, every event with its `type` and
// `sequence_number`. A function call (Codex's shell, `exec_command`) is a `function_call` item with JSON `arguments`;
// Codex's `apply_patch` is a custom tool, a `custom_tool_call` item whose `input` is the patch. MCP servers' tools
// reach the model through Codex's `tool_search` (executed by Codex itself): a `tool_search_call` item with its
// `arguments`, answered in the next request by a `tool_search_output` item listing the tools found; a call of one is
// a `function_call` whose `namespace` is `mcp__<server>`.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'smol-toml';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { peer } from './peers.js';

export const CODEX = peer('@openai/codex').entry;
/** A model Codex knows, so it offers its apply_patch tool (a model it does not know gets none). */
export const CODEX_MODEL = 'gpt-5.5';

/** One tool call the stand-in asks for: Codex's shell, a patch, a search of the tools it was not shown, an MCP tool. */
export type CodexStep =
  | { shell: string }
  | { patch: string }
  | { toolSearch: string }
  | { mcp: { server: string; tool: string; args: Record<string, unknown> } };

export interface ResponsesStub {
  url: string;
  /** Every request body, as sent. */
  requests: string[];
  close(): Promise<void>;
}

type Item = Record<string, unknown>;

function itemFor(step: CodexStep | undefined, n: number, finalText = 'done'): Item {
  if (step && 'shell' in step)
    return {
      type: 'function_call',
      id: `fc_${n}`,
      call_id: `call_${n}`,
      name: 'exec_command',
      arguments: JSON.stringify({ cmd: step.shell }),
      status: 'completed',
    };
  if (step && 'mcp' in step)
    return {
      type: 'function_call',
      id: `fc_${n}`,
      call_id: `call_${n}`,
      namespace: `mcp__${step.mcp.server}`,
      name: step.mcp.tool,
      arguments: JSON.stringify(step.mcp.args),
      status: 'completed',
    };
  if (step && 'toolSearch' in step)
    return {
      type: 'tool_search_call',
      id: `ts_${n}`,
      call_id: `call_${n}`,
      execution: 'client',
      status: 'completed',
      arguments: { query: step.toolSearch, limit: 20 },
    };
  if (step)
    return {
      type: 'custom_tool_call',
      id: `ctc_${n}`,
      call_id: `call_${n}`,
      name: 'apply_patch',
      input: step.patch,
      status: 'completed',
    };
  return {
    type: 'message',
    id: `msg_${n}`,
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text: finalText, annotations: [] }],
  };
}

/**
 * Request k (k tool outputs in its input so far) asks for `steps[k]`; once they are done, the turn ends with
 * `finalText` (the session's closing words).
 */
export async function responsesStub(steps: CodexStep[], o: { finalText?: string } = {}): Promise<ResponsesStub> {
  let n = 0;
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/v1/responses')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not stood in"}}');
        return;
      }
      n++;
      requests.push(body);
      const input = JSON.stringify((JSON.parse(body) as { input?: unknown }).input ?? []);
      const done =
        input.split(/"type":"(?:function_call_output|custom_tool_call_output|tool_search_output)"/).length - 1;
      const item = itemFor(steps[done], n, o.finalText);
      const id = `resp_${n}`;
      const response = (status: string, output: Item[]) => ({
        id,
        object: 'response',
        created_at: Math.floor(Date.now() / 1000),
        status,
        model: CODEX_MODEL,
        output,
        usage:
          status === 'completed'
            ? {
                input_tokens: 1,
                input_tokens_details: { cached_tokens: 0 },
                output_tokens: 1,
                output_tokens_details: { reasoning_tokens: 0 },
                total_tokens: 2,
              }
            : null,
      });
      let seq = 0;
      const ev = (type: string, data: Record<string, unknown>) =>
        res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      ev('response.created', { response: response('in_progress', []) });
      ev('response.output_item.added', { output_index: 0, item });
      ev('response.output_item.done', { output_index: 0, item });
      ev('response.completed', { response: response('completed', [item]) });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * A CODEX_HOME whose model is the stand-in at `apiUrl`, and which trusts `projects` (their .codex/ is read); the MCP
 * servers install wrote in its config.toml stay.
 */
export function codexHome(dir: string, apiUrl: string, projects: string[] = []): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'config.toml');
  const servers = existsSync(file) ? (parse(readFileSync(file, 'utf8')).mcp_servers as Record<string, never>) : {};
  const trusted = projects.map((p) => `\n[projects.${JSON.stringify(p)}]\ntrust_level = "trusted"\n`).join('');
  writeFileSync(
    file,
    `model = "${CODEX_MODEL}"\nmodel_provider = "standin"\n\n[model_providers.standin]\nname = "stand-in"\n` +
      `base_url = ${JSON.stringify(apiUrl)}\nwire_api = "responses"\n${trusted}\n` +
      (servers ? stringify({ mcp_servers: servers }) : ''),
  );
  return dir;
}

/**
 * One `codex exec` turn in `cwd`: hooks run without their review (a test has no one to trust them), tool calls
 * without approval or sandbox (no bubblewrap here), stdin closed.
 */
export function runCodex(
  cwd: string,
  env: NodeJS.ProcessEnv,
  prompt = 'hi',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      CODEX,
      [
        'exec',
        '--dangerously-bypass-hook-trust',
        '--dangerously-bypass-approvals-and-sandbox',
        '--skip-git-repo-check',
        prompt,
      ],
      { cwd, env, timeout: 120_000, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}
