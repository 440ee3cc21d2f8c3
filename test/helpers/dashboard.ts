// A project with a running monitor whose dashboard a browser can open: the project's tasks are seeded with the built
// CLI, a session registers the project (as in real use), and `link` asks the CLI for a one-time link to the board.
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { exited, waitFor } from '../monitor/helpers.js';
import { demoProject, hookEnv, ROOT, runHook, sessionStartInput } from './hooks.js';

const CLI = path.join(ROOT, 'dist/cli.js');

export interface ListedTask {
  id: string;
  title: string;
  status: string;
  priority: string;
  dueDate?: string;
}

export interface DashboardProject {
  project: ReturnType<typeof demoProject>;
  env: NodeJS.ProcessEnv;
  /** The monitor's origin, http://127.0.0.1:<port>. */
  base: string;
  /** The built CLI in the project's folder: its stdout. */
  cli(...args: string[]): Promise<string>;
  /** Every task of the project as `taskhooks tasks list --json --all` prints it: the store's word. */
  listed(): Promise<ListedTask[]>;
  /** A fresh one-time link to the board. */
  link(): Promise<string>;
  stop(): Promise<void>;
}

/** `seed` runs the CLI before the monitor starts, so the board opens on those tasks. */
export async function startDashboardProject(
  seed: (cli: DashboardProject['cli']) => Promise<void>,
): Promise<DashboardProject> {
  const project = demoProject({ config: { monitor: { hookPort: 0 } } });
  const env = hookEnv(project.home);
  const cli = async (...args: string[]): Promise<string> =>
    (await promisify(execFile)(process.execPath, [CLI, ...args], { env, cwd: project.repo.dir })).stdout;
  await seed(cli);
  const monitor = spawn(process.execPath, [CLI, 'monitor', 'run'], { env, cwd: project.repo.dir, stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    monitor.kill('SIGTERM');
    await exited(monitor);
    project.cleanup();
  };
  try {
    await runHook('session-start', sessionStartInput(project.repo.dir, 'dash-1'), {
      home: project.home,
      cwd: project.repo.dir,
    });
    const port = await waitFor('the monitor to publish its port', () => {
      try {
        const info = JSON.parse(readFileSync(path.join(project.home, 'monitor.json'), 'utf8')) as {
          hookPort: number | null;
        };
        return info.hookPort ?? false;
      } catch {
        return false;
      }
    });
    return {
      project,
      env,
      base: `http://127.0.0.1:${port}`,
      cli,
      listed: async () => (JSON.parse(await cli('tasks', 'list', '--json', '--all')) as { tasks: ListedTask[] }).tasks,
      link: async () => (JSON.parse(await cli('dashboard', '--json', '--no-open')) as { url: string }).url,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
