// When the monitor had to serve somewhere other than where installed files point (a port held by another process,
// or no record yet), it points those files at where it serves now, with the new tokens, before any session reads them.
import type { Cache } from '../../cache/cache.js';
import { listProjects } from '../../cache/registered-projects.js';
import type { Settings } from '../../config/settings.js';
import { currentEndpoint, type PortMove } from '../../home/endpoint.js';
import { postNotice } from '../../home/notices.js';
import type { Logger } from '../../log/logger.js';

/** A part's part in the endpoint: the moves it made and the ports it found held. */
interface PartMoves {
  moves?: PortMove[];
  held?: number[];
}

/** The sentence of a held port a person reads: what held it and what that means. */
function heldLine(held: readonly number[], moves: readonly PortMove[]): string | undefined {
  if (held.length === 0) return undefined;
  const to = moves.map((m) => m.to).join(' and ');
  return `another process holds 127.0.0.1:${held.join(' and ')}, where taskhooks answered; the monitor now answers on ${to}, with new tokens (the old ones may have reached that process)`;
}

export async function followEndpoint(o: {
  settings: Settings;
  env: NodeJS.ProcessEnv;
  cache: Cache;
  log: Logger;
  parts: ReadonlyArray<PartMoves | undefined>;
}): Promise<void> {
  const moves = o.parts.flatMap((p) => p?.moves ?? []);
  if (moves.length === 0) return;
  const { home } = o.settings;
  const held = o.parts.flatMap((p) => p?.held ?? []);
  o.log.warn({ moves, held }, 'the endpoint moved: pointing installed files at it');
  let failed: string[];
  try {
    const endpoint = currentEndpoint(home, o.settings.monitor);
    const projects = listProjects(o.cache).map((p) => p.root);
    // Install's file writers (simple-git, a TOML library among them) stay out of a monitor whose port never moved.
    const { rewriteEndpointFiles } = await import('../../install/endpoint/endpoint-files.js');
    const outcome = await rewriteEndpointFiles({ projects, endpoint, home, env: o.env, log: o.log });
    o.log.info({ rewritten: outcome.rewritten }, 'installed files point at the endpoint');
    failed = outcome.failed;
  } catch (err) {
    o.log.error({ err }, 'could not point installed files at the moved endpoint');
    failed = ['the registered projects (the cache could not be read)'];
  }
  const parts = [
    heldLine(held, moves),
    failed.length > 0
      ? `could not rewrite ${failed.join(', ')}: run \`taskhooks install\` there, then restart its sessions`
      : undefined,
  ].filter((l): l is string => l !== undefined);
  if (parts.length > 0) postNotice(home, parts.join('; '));
}
