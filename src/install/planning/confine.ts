// Where install's writes really land: following a repository's symlinks blindly would rewrite files outside the
// project. Every target is resolved (../../files/real-path.ts) and one that leaves its root is refused before anything is
// read or written.
import { isWithin } from '../../util/dir.js';
import { UserError } from '../../errors/user.js';
import { AGENTS } from '../../agents/index.js';
import { resolveTarget } from '../../files/real-path.js';
import type { Plan } from './plan.js';

const inside = (file: string, root: string): boolean => file !== root && isWithin(file, root);

/**
 * Each file's real target, keyed by the file; throws a one-line UserError naming the first that resolves outside its
 * `root` (the project, or the user's home for user-scope settings).
 */
function confineTargets(files: ReadonlyArray<{ file: string; root: string }>): Map<string, string> {
  const targets = new Map<string, string>();
  for (const { file, root } of files) {
    const real = resolveTarget(file);
    const realRoot = resolveTarget(root);
    if (!inside(real, realRoot))
      throw new UserError(
        `${file} leads to ${real}, outside ${realRoot}: taskhooks writes only inside it; replace the link with a real file or folder and run again — nothing was changed`,
      );
    targets.set(file, real);
  }
  return targets;
}

/** The real target of one `file` install writes, which must stay inside `root`; the same one-line refusal else. */
export function confinedTarget(file: string, root: string): string {
  return confineTargets([{ file, root }]).get(file) ?? file;
}

/**
 * Checks, before anything is read or written, that every file install or uninstall may write stays inside the project
 * `dir` (a user-scope file: inside the home it belongs to, the user's or the agent's own), and returns a marker that
 * puts each change's real target on a plan.
 */
export function confineToProject(dir: string, env: NodeJS.ProcessEnv, files: readonly string[]): (plan: Plan) => void {
  const userRoots = new Map(
    Object.values(AGENTS).flatMap((a) => [
      ...(a.scopes.includes('user') ? [[a.configFile('user', dir, env), a.userRoot(env)] as const] : []),
      ...(a.mcp && (a.mcp.userLevel || a.scopes.includes('user'))
        ? [[a.mcp.file('user', dir, env), a.userRoot(env)] as const]
        : []),
      ...(a.mcp ? [[a.mcp.userFile(env), a.userRoot(env)] as const] : []),
    ]),
  );
  const targets = confineTargets(files.map((file) => ({ file, root: userRoots.get(file) ?? dir })));
  return (plan) => {
    for (const c of plan.changes) {
      const target = targets.get(c.file);
      if (target !== undefined && target !== c.file) c.target = target;
    }
  };
}
