// The PreToolUse guard policies (hooks.guards, all off by default). Each verdict names the rule that spoke, so
// Claude and the person can tell why a tool call was stopped. They are a seatbelt against mistakes, not a sandbox:
// what a Bash command writes (`sed -i`, `cat > file`) is not seen, only edits and git pushes.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { GuardSettings } from '../../config/settings.js';
import { sanitize } from '../../context/sanitize.js';
import type { Task } from '../../tasks/task.js';
import type { GitInvocation, Word } from './bash.js';
import type { Place } from './place.js';
import { headsAt, type Head, Walk, WalkBudgetError } from './branch-at.js';
import type { PushConfig, ReadPushConfig } from './push-config.js';
import { GlobBudgetError, globBudget, matchesGlob } from './glob.js';
import { agentsLocation, realLocation } from './real-location.js';
import type { WatchedCall } from './watched.js';

export { realLocation };

export interface GuardVerdict {
  decision: 'deny' | 'ask';
  reason: string;
}

export interface PushTargets {
  /** Branches written to by name (`refs/heads/` and `heads/` dropped; HEAD is the current branch). */
  branches: string[];
  /** --all, --branches or --mirror: every branch. */
  all: boolean;
  /** A word that decides where it pushes cannot be known (a variable, a substitution, a pattern). */
  unknown: boolean;
}

/** Options of git push that take the next word as their value. */
const PUSH_WITH_VALUE: ReadonlySet<string> = new Set([
  '--repo',
  '-o',
  '--push-option',
  '--receive-pack',
  '--exec',
  '--recurse-submodules',
]);

/** The settings where a push runs, asked for only when it does not spell out where it goes: null, unreadable. */
export type ConfigAt = () => PushConfig | null;

/**
 * Branches a `git push` writes to; `current` stands for HEAD and for a push without a refspec (undefined: only
 * running the line would tell). `retargeted`: the line configured where a push goes (./place.ts). `config`: the
 * settings an earlier call may have left (./push-config.ts), for a push without a refspec or a refspec without its
 * destination; without it, such a push goes where git's defaults send it.
 */
export function pushTargets(
  args: Word[],
  current: Head,
  retargeted?: Place['retargeted'],
  config?: ConfigAt,
): PushTargets {
  const positional: string[] = [];
  let all = false;
  let unknown = false;
  let options = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    // An unquoted variable may stand for several words, options included: nothing after it is in a known place.
    if (a === null || a === undefined) {
      unknown = true;
      continue;
    }
    if (options && a === '--') options = false;
    else if (options && a.startsWith('-') && a.length > 1) {
      if (a === '--all' || a === '--mirror' || a === '--branches') all = true;
      if (PUSH_WITH_VALUE.has(a)) i++;
    } else positional.push(a);
  }
  // After an unknown word the repository may be any of them (or none), so every known one may be a refspec; and a
  // push without a refspec may have one.
  const refspecs = unknown ? positional : positional.slice(1);
  if (refspecs.length === 0) {
    const moved = current === undefined || retargeted !== undefined;
    if (moved || unknown || all || config === undefined)
      return { branches: current && !unknown && !moved ? [current] : [], all, unknown: unknown || moved };
    const settings = config();
    if (settings === null) return { branches: [], all, unknown: true };
    return settings.configured(positional[0], current);
  }
  const branches: string[] = [];
  for (const spec of refspecs) {
    const [src, dst] = spec.replace(/^\+/, '').split(/:(.*)/s) as [string, string | undefined];
    // `:` pushes every branch both sides have.
    if (src === '' && dst === '') all = true;
    const target = dst === undefined || dst === '' ? src : dst;
    // A pattern refspec (`refs/heads/*:refs/heads/*`) writes to whatever matches it; a remote.*.push the line set
    // maps a refspec without a destination where it says.
    if (/[*?[]/.test(target) || (retargeted === 'refspecs' && dst === undefined)) unknown = true;
    if (/[*?[]/.test(target)) continue;
    const head = target === 'HEAD' || target === '@';
    if (head && current === undefined) unknown = true;
    const name = head ? (current ?? '') : target.replace(/^(refs\/)?heads\//, '');
    // A branch named without its destination goes where the settings map it (git maps HEAD no further).
    const mapped = dst === undefined && !head && !unknown && name ? mappedBy(config, positional[0], name) : [name];
    // Settings that cannot be read leave its own name among where it may go.
    if (mapped === undefined) unknown = true;
    branches.push(...(mapped ?? [name]).filter(Boolean));
  }
  return { branches, all, unknown };
}

/** Where the settings send `git push REMOTE BRANCH`: its own name without them, undefined when unreadable. */
function mappedBy(config: ConfigAt | undefined, remote: string | undefined, branch: string): string[] | undefined {
  if (config === undefined) return [branch];
  const settings = config();
  return settings === null ? undefined : settings.mapped(remote, branch);
}

/** The deepest existing directory or file at or above `p`. */
function existingAncestor(p: string): string {
  for (let dir = p; ; dir = path.dirname(dir)) {
    try {
      statSync(dir);
      return dir;
    } catch {
      if (path.dirname(dir) === dir) return dir;
    }
  }
}

/**
 * Whether the file system holding `p` (an existing path) ignores case, found by looking the nearest name with
 * letters up in the other case: the same file answering means it does. Found, not assumed per OS: macOS and Windows
 * volumes can be case-sensitive, Linux ones case-insensitive.
 */
export function caseInsensitiveAt(p: string): boolean {
  try {
    return lookedUpInOtherCase(p);
  } catch {
    // A path that vanished or cannot be read: compare as written.
    return false;
  }
}

function lookedUpInOtherCase(p: string): boolean {
  let dir = p;
  const dev = statSync(p).dev;
  for (;;) {
    const name = path.basename(dir);
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    const flipped = [...name].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
    const here = statSync(dir);
    // Past a mount point the answer would be another file system's.
    if (here.dev !== dev) return false;
    if (flipped !== name) {
      try {
        const other = statSync(path.join(parent, flipped));
        return other.ino === here.ino && other.dev === here.dev;
      } catch {
        return false;
      }
    }
    dir = parent;
  }
}

/** `abs` as the rules see it: relative to `root` when inside it, else the absolute path without its leading slash. */
function ruleSubject(abs: string, root: string): string {
  const rel = path.relative(root, abs);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? abs.slice(path.parse(abs).root.length) : rel)
    .split(path.sep)
    .join('/');
}

function protectedPath(
  guards: GuardSettings,
  file: string,
  at: { root: string; agentPid: () => number | undefined },
  caseInsensitive: (p: string) => boolean,
): GuardVerdict | undefined {
  if (guards.protectedPaths.length === 0) return undefined;
  const { root } = at;
  // Both where the path says (a link's own location) and where it leads, for the agent that writes it; the file may
  // not exist yet.
  const abs = path.resolve(root, file);
  const real = agentsLocation(abs, at.agentPid);
  if (real === undefined)
    return {
      decision: 'deny',
      reason: `${sanitize(abs, 200)} names a file through a process's own view (/proc/self, /proc/<pid>, /dev/fd), which hooks.guards.protectedPaths cannot resolve for this agent here; write to the file's real path instead.`,
    };
  const subjects = [...new Set([ruleSubject(abs, root), ruleSubject(real, realLocation(root))])];
  const ignoreCase = caseInsensitive(existingAncestor(real));
  const budget = globBudget();
  for (const subject of subjects) {
    let rule: string | undefined;
    try {
      rule = guards.protectedPaths.find((g) => matchesGlob(subject, g, { ignoreCase, budget }));
    } catch (err) {
      if (!(err instanceof GlobBudgetError)) throw err;
      return unmatchable(err, 'protectedPaths');
    }
    if (rule !== undefined) {
      return {
        decision: 'deny',
        reason: `${sanitize(subject, 200)} is protected by the rule "${sanitize(rule, 100)}" in hooks.guards.protectedPaths; ask the user to change it or the rule.`,
      };
    }
  }
  return undefined;
}

/** A call the rules could not be checked against in bounded time: refused, since no rule may be skipped. */
const unmatchable = (err: GlobBudgetError, list: string): GuardVerdict => ({
  decision: 'deny',
  reason: `this call could not be checked against hooks.guards.${list}: ${err.message} (the rule "${sanitize(err.glob, 60)}"); shorten or merge the rules to let the guard check it.`,
});

const rulesList = (rules: string[]): string =>
  rules
    .slice(0, 5)
    .map((r) => `"${sanitize(r, 100)}"`)
    .join(', ') + (rules.length > 5 ? ', …' : '');

/** What cannot be read, and how to let the guard read it, for a call the guard asks about rather than reads. */
function unreadPush(push: GitInvocation): { what: string; fix: string } | undefined {
  if (push.long)
    return {
      what: 'a command too long for the guard to read',
      fix: 'split it, or write long content with the edit tools, to let the guard check it',
    };
  if (push.via !== undefined)
    return {
      what: `${sanitize(push.via, 40)} code that names git (the guard reads only the command lines spelled out in its strings)`,
      fix: 'run the git command itself in the shell to let the guard check it',
    };
  if (push.subcommand === null)
    return {
      what: 'git with a subcommand that cannot be known before the command runs',
      fix: 'spell the branch out to let the guard check it',
    };
  if (push.unlisted)
    return {
      what: `git ${sanitize(push.subcommand, 60)}, which is not a command git ships (an alias or an extension),`,
      fix: 'run the git command it stands for to let the guard check it',
    };
  return undefined;
}

/** A push the guard cannot read to its branch: held for the user's confirmation, `what` and `fix` saying why. */
const heldPush = (
  rules: string[],
  what: string,
  fix = 'spell the branch out to let the guard check it',
): GuardVerdict => ({
  decision: 'ask',
  reason: `${what} may push to a protected branch (${rulesList(rules)} in hooks.guards.protectedBranches), so it needs the user's confirmation; ${fix}.`,
});

function pushVerdict(rules: string[], push: GitInvocation, current: Head, config: ConfigAt): GuardVerdict | undefined {
  const held = (what: string, fix?: string): GuardVerdict => heldPush(rules, what, fix);
  const unread = unreadPush(push);
  if (unread) return held(unread.what, unread.fix);
  const { branches, all, unknown } = pushTargets(push.args, current, push.at?.retargeted, config);
  const budget = globBudget();
  for (const rule of rules) {
    let hit: string | undefined;
    try {
      hit = all ? rule : branches.find((b) => matchesGlob(b, rule, { budget }));
    } catch (err) {
      if (!(err instanceof GlobBudgetError)) throw err;
      return unmatchable(err, 'protectedBranches');
    }
    if (hit === undefined) continue;
    // A command whose name is unknown (`$GIT push …`) may not be git at all.
    if (push.uncertain) return held('a command whose name cannot be known before it runs');
    return {
      decision: 'deny',
      reason: `git push to ${all ? 'all branches' : `branch ${sanitize(hit, 100)}`} is refused: "${sanitize(rule, 100)}" is in hooks.guards.protectedBranches; push to another branch and open a pull request.`,
    };
  }
  if (unknown)
    return held(
      'git push to a branch that cannot be known before the command runs (a variable, a command substitution, a pattern, or a `cd`, checkout or push setting that the guard cannot follow)',
    );
  return undefined;
}

function protectedBranch(
  guards: GuardSettings,
  invocations: GitInvocation[],
  at: { current: string | null; cwd: string },
  readConfig: ReadPushConfig,
): GuardVerdict | undefined {
  const rules = guards.protectedBranches;
  if (rules.length === 0) return undefined;
  // HEAD where each push runs: the line may have moved it (a `cd`, -C, a checkout before it). One walk for the whole
  // line, so that what it found of a folder or a branch is looked up once.
  const walk = new Walk(readConfig);
  const verdicts: GuardVerdict[] = [];
  for (const push of invocations.filter((g) => g.subcommand === 'push' || g.subcommand === null || g.unlisted)) {
    try {
      const heads = headsAt(push.at, at.current, at.cwd, walk);
      const config = (): PushConfig | null => walk.pushConfig(push.at, at.cwd);
      for (const head of heads) {
        const v = pushVerdict(rules, push, head, config);
        if (v) verdicts.push(v);
      }
    } catch (err) {
      if (!(err instanceof WalkBudgetError)) throw err;
      // A refusal found before the walk ran out still stands; the pushes after it cannot be told.
      verdicts.push(
        heldPush(rules, `a command that ${err.message}`, 'split it into shorter commands to let the guard check it'),
      );
      break;
    }
  }
  return verdicts.find((v) => v.decision === 'deny') ?? verdicts[0];
}

function activeTask(
  guards: GuardSettings,
  branch: string | null,
  args: { inProgress: Task | undefined; next: Task | undefined; tasksUnknown?: boolean },
): GuardVerdict | undefined {
  const { inProgress, next } = args;
  const mode = guards.requireActiveTask;
  // A source that answers in prose may well have a task in progress: holding every edit on what cannot be read
  // would make the guard a wall, not a seatbelt.
  if (mode === 'off' || inProgress || args.tasksUnknown === true) return undefined;
  const hint = next ? ` (next recommended: ${sanitize(next.id, 64)} "${sanitize(next.title, 120)}")` : '';
  return {
    decision: mode,
    reason: `No task is in progress on ${branch ? `branch ${sanitize(branch, 100)}` : 'this project'} and hooks.guards.requireActiveTask is "${mode}": set a task to in_progress before editing${hint}.`,
  };
}

/** The strongest verdict of the guards that apply (deny before ask), or undefined when none speaks. */
export function evaluateGuards(args: {
  guards: GuardSettings;
  call: WatchedCall;
  root: string;
  branch: string | null;
  inProgress: Task | undefined;
  next: Task | undefined;
  /** The snapshot holds the server's words, not tasks: whether a task is in progress cannot be known. */
  tasksUnknown?: boolean;
  /** The session's working directory, where a command's relative paths start; the root unless given. */
  cwd?: string | undefined;
  /** The agent's process, whose view `/proc/self/…` names; a path through it is refused when unknown. */
  agentPid?: (() => number | undefined) | undefined;
  /** Whether the file system at an existing path ignores case; found on the file system unless given. */
  caseInsensitive?: (p: string) => boolean;
}): GuardVerdict | undefined {
  const { guards, call, root, branch } = args;
  const agentPid = args.agentPid ?? (() => undefined);
  const verdicts =
    call.kind === 'edit'
      ? [
          ...[call.file, ...(call.others ?? [])].map((file) =>
            file
              ? protectedPath(guards, file, { root, agentPid }, args.caseInsensitive ?? caseInsensitiveAt)
              : undefined,
          ),
          activeTask(guards, branch, args),
        ]
      : [protectedBranch(guards, call.invocations, { current: branch, cwd: args.cwd ?? root }, call.readConfig)];
  const spoken = verdicts.filter((v): v is GuardVerdict => v !== undefined);
  return spoken.find((v) => v.decision === 'deny') ?? spoken[0];
}
