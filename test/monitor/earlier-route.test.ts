import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { registerProject } from '../../src/cache/registered-projects.js';
import { takeNotices } from '../../src/home/notices.js';
import { desiredHooks } from '../../src/install/writing/settings.js';
import { noticeEarlierRoutes } from '../../src/monitor/serve/earlier-route.js';
import { silentLogger } from '../helpers/cache.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A project whose local settings hold the hooks `install --transport <transport>` writes. */
function project(root: string, transport: 'mcp' | 'command'): string {
  mkdirSync(path.join(root, '.claude'), { recursive: true });
  const hooks = desiredHooks({ node: 'node', root: '/pkg', transport });
  writeFileSync(path.join(root, '.claude', 'settings.local.json'), JSON.stringify({ hooks }));
  return root;
}

it('names the projects on the earlier mcp_tool route once per version, and changes none of their files', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-earlier-route-'));
  dirs.push(tmp);
  const home = path.join(tmp, 'home');
  const cache = openCache({ home });
  try {
    const earlier = project(path.join(tmp, 'earlier'), 'mcp');
    const other = project(path.join(tmp, 'other'), 'command');
    registerProject(cache, { root: earlier, name: 'earlier', sourceKey: 'k', registeredBy: 'install' });
    registerProject(cache, { root: other, name: 'other', sourceKey: 'k', registeredBy: 'install' });

    const settings = path.join(earlier, '.claude', 'settings.local.json');
    const before = readFileSync(settings, 'utf8');
    noticeEarlierRoutes({ home, cache, log: silentLogger(), env: { ...process.env, HOME: tmp } });
    expect(readFileSync(settings, 'utf8')).toBe(before);
    const told = takeNotices(home, 'session');
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(
      `a project calls taskhooks mcp for every tool call, the route of an earlier version (${earlier})`,
    );
    expect(told[0]).toContain('`taskhooks install` in each');
    expect(takeNotices(home, 'cli')).toEqual(told);

    noticeEarlierRoutes({ home, cache, log: silentLogger(), env: { ...process.env, HOME: tmp } });
    expect(takeNotices(home, 'session')).toEqual([]);
  } finally {
    cache.close();
  }
});
