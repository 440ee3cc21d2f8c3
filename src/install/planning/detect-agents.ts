// `install --agent all`: the coding agents on this machine, each found by its command on the PATH or a folder of its
// own (its configuration home), so a person who runs several wires them all at once.
import { existsSync } from 'node:fs';
import { AGENTS, type AgentAdapter } from '../../agents/index.js';
import { findOnPath } from '../../util/executable.js';

export function agentsPresent(env: NodeJS.ProcessEnv): AgentAdapter[] {
  return Object.values(AGENTS).filter(
    (a) => a.presence && (findOnPath(a.presence.command, env) || a.presence.dirs(env).some((d) => existsSync(d))),
  );
}
