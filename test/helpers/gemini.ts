// The real Google Gemini CLI (test/peers.json) in a test, offline: a temp HOME whose ~/.gemini/settings.json picks
// API-key auth and a fixed model, whose trustedFolders.json trusts the project, and a loopback stand-in of the Gemini
// API at GOOGLE_GEMINI_BASE_URL, run as `gemini --yolo -p PROMPT </dev/null`. The stand-in answers
// `POST /v1beta/models/<model>:streamGenerateContent?alt=sse` as the API documents it: server-sent events, each
// `data:` a GenerateContentResponse (`candidates[].content` with role `model` and its `parts`, `finishReason`,
// `usageMetadata`, `modelVersion`); a tool call is a `functionCall` part (`name`, `args`), answered by the CLI with
// a `functionResponse` part in the next request.
import { type CliTurn, runNodeCli } from './agent-world.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { peer } from './peers.js';

export const GEMINI = peer('@google/gemini-cli').entry;
export const GEMINI_MODEL = 'gemini-2.5-flash';

/** One tool call the stand-in model asks for, in Gemini CLI's tool names. */
export interface GeminiStep {
  tool: string;
  args: Record<string, unknown>;
}

export interface GeminiStub {
  url: string;
  /** Every generateContent request body, as sent. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Request k (k function responses in its contents so far) asks for `steps[k]`; once they are done, the turn ends with
 * `finalText` ("done" unless given).
 */
export async function generateStub(steps: GeminiStep[], finalText = 'done'): Promise<GeminiStub> {
  const requests: string[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      const stream = req.url?.startsWith(`/v1beta/models/${GEMINI_MODEL}:streamGenerateContent`);
      if (req.method !== 'POST' || !stream) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"error":{"code":404,"message":"not stood in"}}');
        return;
      }
      n++;
      requests.push(body);
      const done =
        JSON.stringify((JSON.parse(body) as { contents?: unknown }).contents ?? []).split('"functionResponse"').length -
        1;
      const step = steps[done];
      const part = step ? { functionCall: { name: step.tool, args: step.args } } : { text: finalText };
      const chunk = {
        candidates: [{ content: { role: 'model', parts: [part] }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
        modelVersion: GEMINI_MODEL,
        responseId: `resp-${n}`,
      };
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** ~/.gemini of a temp HOME: API-key auth, the fixed model, and `trusted` folders trusted. */
export function geminiHome(home: string, trusted: string[]): void {
  const dir = path.join(home, '.gemini');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'settings.json');
  let settings: Record<string, unknown> = {};
  try {
    settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // none yet
  }
  writeFileSync(
    file,
    JSON.stringify({
      ...settings,
      security: { auth: { selectedType: 'gemini-api-key' } },
      model: { name: GEMINI_MODEL },
    }),
  );
  writeFileSync(
    path.join(dir, 'trustedFolders.json'),
    JSON.stringify(Object.fromEntries(trusted.map((t) => [t, 'TRUST_FOLDER']))),
  );
}

/** One headless `gemini --yolo -p` turn in `cwd` against the stand-in at `apiUrl`. */
export function runGemini(cwd: string, env: NodeJS.ProcessEnv, apiUrl: string, prompt = 'hi'): Promise<CliTurn> {
  return runNodeCli(GEMINI, ['--yolo', '-p', prompt], {
    cwd,
    env: { ...env, GEMINI_API_KEY: 'fake', GOOGLE_GEMINI_BASE_URL: apiUrl },
  });
}
