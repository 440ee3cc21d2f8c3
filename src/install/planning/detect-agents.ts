// `install --agent all`: the coding agents on this machine, each found by its command on the PATH or a folder of its
// own (its configuration home), so a person who runs several wires them all at once.
import { existsSync } from 'node:fs';
import { AGENTS, type AgentAdapter } from '../../agents/index.js';
import { findOnPath } from '../../util/executable.js';
import { homeDir } from '../../agents/config-home.js';
import { readerNow, shownPath } from '../../util/shown.js';

const present = (a: AgentAdapter, env: NodeJS.ProcessEnv): boolean =>
  a.presence !== undefined &&
  (findOnPath(a.presence.command, env) !== undefined || a.presence.dirs(env).some((d) => existsSync(d)));

export function agentsPresent(env: NodeJS.ProcessEnv): AgentAdapter[] {
  return Object.values(AGENTS).filter((a) => present(a, env));
}

/**
 * Which agents `--agent all` looked for and where (each one's command on the PATH, its folders), and which it found:
 * a person with one agent learns that the others were looked for, and where to put one for it to be found.
 */
export function agentsLookedFor(env: NodeJS.ProcessEnv): string {
  const looked = Object.values(AGENTS).filter((a) => a.presence);
  const reader = { ...readerNow(), env, homedir: homeDir(env) };
  const where = looked.map(
    (a) =>
      `${a.label} (\`${a.presence?.command}\` on the PATH, or ${a.presence
        ?.dirs(env)
        .map((d) => shownPath(d, reader))
        .join(' or ')})`,
  );
  const here = new Set(agentsPresent(env));
  const found = looked.filter((a) => here.has(a)).map((a) => a.label);
  const missing = looked.filter((a) => !here.has(a)).map((a) => a.label);
  const outcome = found.length ? `found ${found.join(', ')}` : 'found none';
  return `--agent all looked for ${where.join('; ')}: ${outcome}${missing.length && found.length ? `; not ${missing.join(', ')}` : ''}`;
}
