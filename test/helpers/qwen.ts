// The real Qwen Code (test/peers.json) in a test, offline: a temp HOME whose ~/.qwen/settings.json picks the OpenAI
// auth and a fixed model, and a loopback stand-in of the Chat Completions API (./chat-completions.ts) at
// OPENAI_BASE_URL, run as `qwen --yolo -p PROMPT </dev/null`. It declares Node 22 and runs on 20.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { peer } from './peers.js';

export const QWEN = peer('@qwen-code/qwen-code').entry;
export const QWEN_MODEL = 'qwen3-coder-plus';

/** ~/.qwen of a temp HOME: the OpenAI auth and the fixed model, kept beside what install wrote there. */
export function qwenHome(home: string): void {
  const dir = path.join(home, '.qwen');
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
    JSON.stringify({ ...settings, security: { auth: { selectedType: 'openai' } }, model: { name: QWEN_MODEL } }),
  );
}

/** One headless `qwen --yolo -p` turn in `cwd` against the stand-in at `apiUrl`. */
export function runQwen(
  cwd: string,
  env: NodeJS.ProcessEnv,
  apiUrl: string,
  prompt = 'hi',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [QWEN, '--yolo', '-p', prompt],
      {
        cwd,
        env: { ...env, OPENAI_BASE_URL: apiUrl, OPENAI_API_KEY: 'fake', OPENAI_MODEL: QWEN_MODEL },
        timeout: 120_000,
        killSignal: 'SIGKILL',
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}
