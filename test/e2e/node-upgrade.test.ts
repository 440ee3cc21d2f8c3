// A Node upgrade, then a reboot, with the real Claude Code: taskhooks ran on a Node in nvm's versioned folder (first on
// PATH, as nvm puts it), the folder went (`nvm uninstall`, `brew upgrade node` do that) and the monitor with it. The
// next session of either route runs its hooks on the Node PATH finds now and gets its task, with no hook error.
// An earlier install, whose hooks named the gone Node, is what doctor reports and install repairs.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  claudeEnv,
  claudeWorld,
  hookAttachments,
  messagesStub,
  runClaude,
  startContexts,
  trustFolder,
} from '../helpers/claude.js';
import { CLI, runBuiltCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/hooks.js';
import { nodeBinary } from '../helpers/node-versions.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The project's settings file `taskhooks install` writes its hooks into. */
const settingsOf = (dir: string) => path.join(dir, '.claude', 'settings.local.json');

/**
 * A world whose Node is a copy in nvm's layout under its temp folder, first on PATH, with Node 24 behind it as the
 * version nvm moves to; `run` runs the built CLI on that versioned Node.
 */
function nvmWorld() {
  const w = claudeWorld({}, cleanups);
  const nvm = path.join(path.dirname(w.home), '.nvm');
  const bin = path.join(nvm, 'versions', 'node', 'v24.0.0', 'bin');
  mkdirSync(bin, { recursive: true });
  const node = path.join(bin, 'node');
  copyFileSync(process.execPath, node);
  const PATH = [bin, path.dirname(nodeBinary(24).node), process.env.PATH].join(path.delimiter);
  // After a reboot the first session's hook starts the monitor again.
  const env = (apiUrl = 'http://127.0.0.1:9') => {
    const e: NodeJS.ProcessEnv = { ...claudeEnv(w.home, w.taskhooksHome, apiUrl), PATH };
    delete e.TASKHOOKS_NO_AUTOSTART;
    return e;
  };
  /** The upgrade: the old version's folder gone, with the monitor that ran from it (a reboot). */
  const upgrade = async () => {
    await runBuiltCli(['monitor', 'stop'], { cwd: w.dir, env: env() });
    rmSync(nvm, { recursive: true, force: true });
  };
  /** The CLI on the versioned Node, each run expected to succeed. */
  const onVersioned = async (...runs: string[][]) => {
    for (const args of runs) {
      const r = await runOn(node, args, w.dir, env());
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  };
  /** The CLI on the Node PATH finds after the upgrade. */
  const onNew = (args: string[]) => runOn(nodeBinary(24).node, args, w.dir, env());
  return { ...w, node, env, upgrade, onVersioned, onNew };
}

/** The built CLI run on `node` (process.execPath is then that Node's path, as for a person who ran it). */
function runOn(node: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(node, [CLI, ...args], { cwd, env }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

const COMMAND_EVENTS = ['SessionStart', 'SessionEnd', 'Stop'];

/** A session of the world with the stand-in API: its hook records and what the first request told the model. */
async function session(w: ReturnType<typeof nvmWorld>, args: string[] = []) {
  const api = await messagesStub([]);
  cleanups.push(() => api.close());
  const result = await runClaude(w.dir, w.env(api.url), args);
  expect(result.code, result.stderr).toBe(0);
  // The events that run a command on either route: the others post to the monitor the first one starts.
  const failed = hookAttachments(w.home).filter(
    (r) =>
      r.type !== 'hook_success' &&
      r.type !== 'hook_additional_context' &&
      (COMMAND_EVENTS.includes(r.hookEvent ?? '') || /not found/.test(r.stderr ?? '')),
  );
  return {
    failed,
    context: startContexts(w.home).join('\n'),
    first: api.requests.find((body) => body.includes('"messages"')) ?? '',
  };
}

interface DoctorStep {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

async function hooksStep(w: ReturnType<typeof nvmWorld>): Promise<DoctorStep | undefined> {
  const r = await w.onNew(['doctor', '--json']);
  return (JSON.parse(r.stdout) as { steps: DoctorStep[] }).steps.find((s) => s.name === 'Claude Code hooks');
}

describe('a Node upgrade and a reboot', () => {
  it('leaves the settings route answering the next session with its task', async () => {
    const w = nvmWorld();
    await w.onVersioned(['monitor', 'start'], ['install'], ['tasks', 'add', 'Ship the cart']);
    trustFolder(w.home, w.dir);
    expect(readFileSync(settingsOf(w.dir), 'utf8')).not.toContain(w.node);
    await w.upgrade();

    const s = await session(w);

    expect(s.failed).toEqual([]);
    expect(s.context).toContain('Ship the cart');
    expect(s.first).toContain('Ship the cart');
  });

  it('leaves the plugin route answering the next session with its task', async () => {
    const w = nvmWorld();
    await w.onVersioned(['monitor', 'start'], ['tasks', 'add', 'Ship the cart']);
    trustFolder(w.home, w.dir);
    await w.upgrade();

    const s = await session(w, ['--plugin-dir', ROOT]);

    expect(s.failed).toEqual([]);
    expect(s.context).toContain('Ship the cart');
  });

  it("has doctor name an earlier install's gone Node, and install repair it", async () => {
    const w = nvmWorld();
    await w.onVersioned(['install'], ['tasks', 'add', 'Ship the cart']);
    trustFolder(w.home, w.dir);
    // The hooks as an earlier release wrote them: the versioned Node by its path.
    const file = settingsOf(w.dir);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replaceAll('\\"node\\" ', `${JSON.stringify(`"${w.node}"`).slice(1, -1)} `),
    );
    expect(readFileSync(file, 'utf8')).toContain(w.node);
    await w.upgrade();

    const gone = await hooksStep(w);
    expect(gone).toMatchObject({ ok: false });
    expect(gone?.detail).toContain(`${w.node}`);
    expect(gone?.detail).toContain('gone');
    expect(gone?.fix).toContain('taskhooks install');

    const repaired = await w.onNew(['install']);
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toContain(w.node);
    expect((await hooksStep(w))?.detail).not.toContain('gone');
    const s = await session(w);
    expect(s.failed).toEqual([]);
    expect(s.context).toContain('Ship the cart');
  });
});
