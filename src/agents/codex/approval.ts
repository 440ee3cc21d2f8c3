// Codex runs a hook only once the user trusted its current hash; it says so itself through `codex app-server`
// (`hooks/list`), which is asked rather than its config.toml read, so the answer is Codex's own (a hook changed since
// it was trusted is "modified").
import { spawn } from 'node:child_process';
import { type Approval, type ApprovalPlace, doctorTells, type WiringJudge } from '../agent.js';
import { findOnPath } from '../../util/executable.js';
import { withAbsolutePath } from '../../util/child-process.js';
import { isJsonObject } from '../../util/object.js';

/** How long Codex may take to start its app server and list the hooks. */
const CODEX_ASK_MS = 15_000;

/** Codex's own word on taskhooks' hooks for `projectRoot`: trusted, or which need review. */
export async function codexApproval(
  projectRoot: string,
  env: NodeJS.ProcessEnv,
  judge: Pick<WiringJudge, 'isTaskhooksHandler' | 'isOwnHookCommand'>,
): Promise<Approval> {
  const codex = findOnPath('codex', env);
  if (!codex) return { unknown: 'cannot tell: `codex` is not on the PATH to ask' };
  const listed = await listCodexHooks(codex, projectRoot, env);
  if (typeof listed === 'string') return { unknown: `cannot tell: ${listed}` };
  const ours = listed.filter((h) => judge.isTaskhooksHandler({ type: 'command', command: h.command }));
  const foreign = ours.find((h) => !judge.isOwnHookCommand(h.command));
  if (foreign)
    return { approved: false, detail: `Codex runs ${foreign.command}, which is not taskhooks' own hook command` };
  if (ours.length === 0) return { approved: false, detail: "Codex lists none of taskhooks' hooks for this folder" };
  const waiting = ours.filter((h) => h.trustStatus !== 'trusted');
  if (waiting.length === 0) return { approved: true, detail: `Codex trusts all ${ours.length} of taskhooks' hooks` };
  const states = [...new Set(waiting.map((h) => h.trustStatus))].join(', ');
  return {
    approved: false,
    detail: `${waiting.length} of ${ours.length} of taskhooks' hooks need review in Codex (${states})`,
  };
}

interface CodexHook {
  command: string;
  trustStatus: string;
}

/** `hooks/list` over the app server's JSON lines on stdio; a string says why there is no answer. */
function listCodexHooks(codex: string, cwd: string, env: NodeJS.ProcessEnv): Promise<CodexHook[] | string> {
  return new Promise((resolve) => {
    const child = spawn(codex, ['app-server'], { cwd, env: withAbsolutePath(env), stdio: ['pipe', 'pipe', 'ignore'] });
    let buffer = '';
    const done = (answer: CodexHook[] | string): void => {
      clearTimeout(timer);
      child.kill();
      resolve(answer);
    };
    const timer = setTimeout(
      () => done(`codex app-server did not list its hooks within ${CODEX_ASK_MS / 1000} s`),
      CODEX_ASK_MS,
    );
    child.on('error', (err) => done(`cannot run ${codex} (${err.message})`));
    child.on('exit', (code) => done(`codex app-server exited (${code}) before listing its hooks`));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        const hooks = hooksOf(line);
        if (hooks) return done(hooks);
      }
    });
    const send = (message: object): boolean => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'taskhooks', version: '1' } } });
    send({ method: 'initialized' });
    send({ id: 2, method: 'hooks/list', params: { cwds: [cwd] } });
  });
}

/** The hooks of the `hooks/list` answer on this line, or undefined when the line is anything else. */
function hooksOf(line: string): CodexHook[] | undefined {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isJsonObject(message) || message.id !== 2 || !isJsonObject(message.result)) return undefined;
  const data = Array.isArray(message.result.data) ? message.result.data : [];
  return data.flatMap((entry: unknown) =>
    isJsonObject(entry) && Array.isArray(entry.hooks)
      ? entry.hooks.flatMap((h: unknown) =>
          isJsonObject(h) && typeof h.command === 'string'
            ? [{ command: h.command, trustStatus: String(h.trustStatus ?? 'unknown') }]
            : [],
        )
      : [],
  );
}

export function codexApprovalLine(at: ApprovalPlace, forDoctor: boolean): string {
  return (
    `approve the hooks in Codex: start \`codex\` in ${at.dir}${at.scope === 'project' ? ', trust the folder,' : ''} ` +
    'and choose "Trust all and continue" when it says "Hooks need review" (or review them with /hooks); ' +
    `until then Codex skips them${doctorTells(forDoctor, '. `taskhooks doctor` tells whether they are trusted')}`
  );
}
