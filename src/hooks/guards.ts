// The PreToolUse guard policies (hooks.guards, all off by default). Each verdict names the rule that spoke, so
// Claude and the person can tell why a tool call was stopped.
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { sanitize } from '../context/sanitize.js';
import type { Task } from '../tasks/task.js';
import { pushTargets, type GitInvocation } from './bash.js';
import { matchesGlob } from './glob.js';
import type { WatchedCall } from './watched.js';

export interface GuardVerdict {
  decision: 'deny' | 'ask';
  reason: string;
}

type Guards = Config['hooks']['guards'];

function protectedPath(guards: Guards, file: string, root: string): GuardVerdict | undefined {
  const abs = path.resolve(root, file);
  const rel = path.relative(root, abs);
  const subject = (rel.startsWith('..') || path.isAbsolute(rel) ? abs.slice(1) : rel).split(path.sep).join('/');
  const rule = guards.protectedPaths.find((g) => matchesGlob(subject, g));
  if (rule === undefined) return undefined;
  return {
    decision: 'deny',
    reason: `${sanitize(subject, 200)} is protected by the rule "${sanitize(rule, 100)}" in hooks.guards.protectedPaths; ask the user to change it or the rule.`,
  };
}

const rulesList = (rules: string[]): string => rules.slice(0, 5).map((r) => `"${sanitize(r, 100)}"`).join(', ') + (rules.length > 5 ? ', …' : '');

function pushVerdict(rules: string[], push: GitInvocation, current: string | null): GuardVerdict | undefined {
  const held = (what: string): GuardVerdict => ({
    decision: 'ask',
    reason: `${what} may push to a protected branch (${rulesList(rules)} in hooks.guards.protectedBranches), so it needs the user's confirmation; spell the branch out to let the guard check it.`,
  });
  if (push.subcommand === null) return held('git with a subcommand that cannot be known before the command runs');
  const { branches, all, unknown } = pushTargets(push.args, current);
  for (const rule of rules) {
    const hit = all ? rule : branches.find((b) => matchesGlob(b, rule));
    if (hit === undefined) continue;
    // A command whose name is unknown (`$GIT push …`) may not be git at all.
    if (push.uncertain) return held('a command whose name cannot be known before it runs');
    return {
      decision: 'deny',
      reason: `git push to ${all ? 'all branches' : `branch ${sanitize(hit, 100)}`} is refused: "${sanitize(rule, 100)}" is in hooks.guards.protectedBranches; push to another branch and open a pull request.`,
    };
  }
  if (unknown) return held('git push to a branch that cannot be known before the command runs (a variable, a command substitution or a pattern)');
  return undefined;
}

function protectedBranch(guards: Guards, invocations: GitInvocation[], current: string | null): GuardVerdict | undefined {
  if (guards.protectedBranches.length === 0) return undefined;
  const verdicts = invocations
    .filter((g) => g.subcommand === 'push' || g.subcommand === null)
    .map((push) => pushVerdict(guards.protectedBranches, push, current))
    .filter((v): v is GuardVerdict => v !== undefined);
  return verdicts.find((v) => v.decision === 'deny') ?? verdicts[0];
}

function activeTask(guards: Guards, branch: string | null, inProgress: Task | undefined, next: Task | undefined): GuardVerdict | undefined {
  const mode = guards.requireActiveTask;
  if (mode === 'off' || inProgress) return undefined;
  const hint = next ? ` (next recommended: ${sanitize(next.id, 64)} "${sanitize(next.title, 120)}")` : '';
  return {
    decision: mode,
    reason: `No task is in progress on ${branch ? `branch ${sanitize(branch, 100)}` : 'this project'} and hooks.guards.requireActiveTask is "${mode}": set a task to in_progress before editing${hint}.`,
  };
}

/** The strongest verdict of the guards that apply (deny before ask), or undefined when none speaks. */
export function evaluateGuards(args: {
  guards: Guards;
  call: WatchedCall;
  root: string;
  branch: string | null;
  inProgress: Task | undefined;
  next: Task | undefined;
}): GuardVerdict | undefined {
  const { guards, call, root, branch } = args;
  const verdicts =
    call.kind === 'edit'
      ? [call.file ? protectedPath(guards, call.file, root) : undefined, activeTask(guards, branch, args.inProgress, args.next)]
      : [protectedBranch(guards, call.invocations, branch)];
  const spoken = verdicts.filter((v): v is GuardVerdict => v !== undefined);
  return spoken.find((v) => v.decision === 'deny') ?? spoken[0];
}
