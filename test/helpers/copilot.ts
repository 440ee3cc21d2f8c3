// The real GitHub Copilot CLI (test/peers.json) in a test, offline and signed out: its own provider settings point it at
// a loopback stand-in of the Chat Completions API (./chat-completions.ts), run as `copilot -p PROMPT
// --allow-all-tools </dev/null`, with the repository's hooks loaded in `-p` mode by their opt-in. Its native binary
// unpacks itself into a cache of ~235 MB on first start: one per test run, in the run's temp root.
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { peer } from './peers.js';

export const COPILOT = peer('@github/copilot').entry;
/** A model whose tools it knows: its edits are `apply_patch`, as for GPT models. */
export const COPILOT_MODEL = 'gpt-4o';

/** One headless `copilot -p` turn in `cwd` against the stand-in at `apiUrl`. */
export function runCopilot(
  cwd: string,
  env: NodeJS.ProcessEnv,
  apiUrl: string,
  prompt = 'hi',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [COPILOT, '-p', prompt, '--allow-all-tools'],
      {
        cwd,
        env: {
          ...env,
          COPILOT_CACHE_HOME: path.join(os.tmpdir(), 'copilot-cache'),
          COPILOT_AUTO_UPDATE: 'false',
          COPILOT_OFFLINE: 'true',
          COPILOT_PROVIDER_BASE_URL: apiUrl,
          COPILOT_PROVIDER_TYPE: 'openai',
          COPILOT_PROVIDER_WIRE_API: 'completions',
          COPILOT_MODEL,
          GITHUB_COPILOT_PROMPT_MODE_REPO_HOOKS: 'true',
        },
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
