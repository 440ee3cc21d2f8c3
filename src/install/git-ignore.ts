import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Whether git would ignore `file` (which may not exist yet); undefined outside a repository or without git. */
export function isGitIgnored(file: string): boolean | undefined {
  let cwd = path.dirname(file);
  while (!existsSync(cwd) && path.dirname(cwd) !== cwd) cwd = path.dirname(cwd);
  const r = spawnSync('git', ['check-ignore', '-q', path.relative(cwd, file)], { cwd, stdio: 'ignore', timeout: 5000 });
  if (r.status === 0) return true;
  if (r.status === 1) return false;
  return undefined;
}
