// Adding the first task of a project on an agenthub server that has no get-or-create: when another session creates
// the project or branch between this one's listing and its create, the refusal is met by listing again.
import { afterEach, expect, it } from 'vitest';
import { openCache, type Cache } from '../../src/cache/cache.js';
import type { ToolSession } from '../../src/resilience/tool-session.js';
import { agenthubSource } from '../../src/sources/agenthub/source.js';
import { silentLogger } from '../helpers/cache.js';
import { tempHome } from '../helpers/hooks.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A server that refuses a duplicate create, and whose listings show what a racing session created meanwhile. */
function racingServer(): { toolSession: ToolSession; calls: string[] } {
  const calls: string[] = [];
  const projects: Array<{ id: string; name: string }> = [];
  const branches: Array<{ id: string; name: string }> = [];
  const ok = (data: unknown) => ({ success: true, data });
  const toolSession: ToolSession = {
    call: async (tool, args) => {
      calls.push(`${tool} ${String(args.action)}`);
      if (tool === 'manage_project' && args.action === 'list') {
        const seen = [...projects];
        projects.splice(0, projects.length, { id: 'p-1', name: 'app' });
        return ok({ projects: seen });
      }
      if (tool === 'manage_project')
        return { success: false, error: { code: 'ALREADY_EXISTS', message: 'Project already exists: app' } };
      if (tool === 'manage_git_branch' && args.action === 'list') {
        const seen = [...branches];
        branches.splice(0, branches.length, { id: 'b-1', name: 'main' });
        return ok({ git_branchs: seen });
      }
      if (tool === 'manage_git_branch')
        return { success: false, error: { code: 'ALREADY_EXISTS', message: 'Git branch already exists in app: main' } };
      return ok({
        task: { id: 'TASK-001', title: String(args.title), status: 'todo', git_branch_id: args.git_branch_id },
      });
    },
    callAnswer: async () => ({ texts: [] }),
    listTools: async () => ['manage_task', 'manage_git_branch', 'manage_project'],
    server: () => 'racing',
    transport: () => undefined,
    close: async () => undefined,
  };
  return { toolSession, calls };
}

it('a create refused with "already exists" lists again and adds the task to the project and branch another session made', async () => {
  const home = tempHome();
  const cache: Cache = openCache({ home: home.home, log: silentLogger() });
  cleanups.push(
    () => cache.close(),
    () => home.cleanup(),
  );
  const { toolSession, calls } = racingServer();
  const src = agenthubSource(toolSession, { cache, defaultDeadlineMs: 5000, unknownProjectNote: (p) => p });
  const task = await src.create({ projectRoot: home.home, project: 'app', branch: 'main' }, { title: 'First' });
  expect(task).toMatchObject({ id: 'TASK-001', branch: 'main' });
  expect(calls).toEqual([
    'manage_project list',
    'manage_project create',
    'manage_project list',
    'manage_git_branch list',
    'manage_git_branch create',
    'manage_git_branch list',
    'manage_task create',
  ]);
});
