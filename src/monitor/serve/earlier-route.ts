// Projects installed by an earlier version post no hook to the monitor: their tool-call hooks call `taskhooks mcp`
// through `mcp_tool` hooks, a server each session waits for before its first request. A monitor of a new version
// names them once, with the command that moves them; it changes no project's files itself.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listProjects } from '../../cache/registered-projects.js';
import type { Cache } from '../../cache/cache.js';
import { toolHooksViaMcp } from '../../doctor/via-mcp.js';
import { settingsFile } from '../../install/paths.js';
import { homeFiles } from '../../home/files.js';
import { postNotice } from '../../home/notices.js';
import type { Logger } from '../../log/logger.js';
import { packageVersion } from '../../util/package.js';

/** Tells the next session and CLI command, once per version, which registered projects are on the earlier route. */
export function noticeEarlierRoutes(o: { home: string; cache: Cache; log: Logger; env: NodeJS.ProcessEnv }): void {
  const { home, cache, log, env } = o;
  const checked = path.join(homeFiles(home).notices, `routes-checked-${packageVersion()}`);
  if (existsSync(checked)) return;
  try {
    const earlier = listProjects(cache)
      .filter((p) => p.registeredBy === 'install')
      .filter(
        (p) => toolHooksViaMcp([settingsFile('project', p.root, env), settingsFile('local', p.root, env)]).length > 0,
      )
      .map((p) => p.root);
    if (earlier.length > 0)
      postNotice(
        home,
        `${earlier.length === 1 ? 'a project calls' : `${earlier.length} projects call`} taskhooks mcp for every tool call, the route of an earlier version (${earlier.join(', ')}): \`taskhooks install\` in each has the monitor answer instead, with no server between a session's start and its first request (keep \`--transport mcp\` if you chose it)`,
      );
    mkdirSync(path.dirname(checked), { recursive: true, mode: 0o700 });
    writeFileSync(checked, '', { mode: 0o600 });
  } catch (err) {
    log.warn({ err }, 'could not look for projects on the earlier tool-call route; doctor names them one by one');
  }
}
