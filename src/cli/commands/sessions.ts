// `taskhooks sessions`: the agent sessions of this machine (of every agent taskhooks serves) that hooks have seen and that still live, with the
// worktree, branch and task of each, and whether what each hook event told it arrived (its transcript holds the
// injection's marker: delivered; the model answered without it: lost); the ones that ended without a SessionEnd are
// cleared on the way.
import { claimsElsewhere, liveSessions } from '../../cache/live-sessions.js';
import { listTold, type ToldEntry } from '../../told/table.js';
import { livenessOf } from '../../hooks/live-session.js';
import { AGENT_IDS, agentLabel } from '../../agents/index.js';
import { openCache } from '../../cache/cache.js';
import { stripControls } from '../../context/sanitize.js';
import { formatAge } from '../../util/age.js';
import { defineCommand } from '../args.js';
import type { Command } from '../command.js';
import { JSON_FLAG } from '../flags.js';
import { printJson, table } from '../output.js';

export const sessionsCommands: Command[] = [
  defineCommand({
    name: 'sessions',
    summary: 'List the live sessions of every agent taskhooks serves: worktree, branch, the task each holds',
    description:
      `Agents: ${AGENT_IDS.map(agentLabel).join(', ')}.\n` +
      "A session is registered by its SessionStart and ends with its SessionEnd, when its agent's process is gone,\n" +
      'or when no hook has seen it for hooks.sessionIdleMinutes (default 120); its claims end with it.',
    flags: { json: JSON_FLAG },
    examples: [{ command: 'taskhooks sessions' }, { command: 'taskhooks sessions --json' }],
    async run(ctx, { values }) {
      const { settings } = ctx;
      const cache = openCache({ home: settings.home, log: ctx.log() });
      try {
        const now = Date.now();
        const liveness = livenessOf(settings, now);
        const told = listTold(cache);
        const sessions = liveSessions(cache, liveness).map((s) => ({
          ...s,
          // What each holds, as the other sessions see it.
          claims: claimsElsewhere(cache, s.project, '', liveness)
            .filter((c) => c.session.sessionId === s.sessionId)
            .map((c) => c.taskId),
          told: told.filter((t) => t.sessionId === s.sessionId && t.delivery).map(deliveryOf),
        }));
        if (values.json) {
          printJson(ctx.out, { sessions });
          return 0;
        }
        if (sessions.length === 0) {
          ctx.out.stdout.write(
            'No live sessions (a session of any agent taskhooks serves appears here from its SessionStart).\n',
          );
          return 0;
        }
        const rows = sessions.map((s) => [
          stripControls(s.sessionId.slice(0, 8)),
          agentLabel(s.agent) ?? '-',
          stripControls(s.project),
          stripControls(s.branch || '(none)'),
          stripControls(s.claims.join(', ') || '-'),
          `${formatAge(now - s.startedAt)} ago`,
          `${formatAge(now - s.lastSeen)} ago`,
          s.told.map(toldWords).join(', ') || '—',
          stripControls(s.cwd),
        ]);
        ctx.out.stdout.write(
          table(
            ctx.out,
            ['session', 'agent', 'project', 'branch', 'holds', 'started', 'last seen', 'told', 'worktree'],
            rows,
          ),
        );
        return 0;
      } finally {
        cache.close();
      }
    },
  }),
];

/** What one event last told the session, and whether it arrived. */
function deliveryOf(t: ToldEntry): { event: string; state: string; retold: boolean; at: number } {
  return { event: t.event, state: t.delivery?.state ?? 'unknown', retold: t.delivery?.retold === true, at: t.at };
}

/** What an event tells a session, as a person would name it; an event not named here keeps its own name. */
const TOLD_WHAT: Readonly<Record<string, string>> = {
  SessionStart: 'tasks and git at start',
  SubagentStart: "a subagent's task",
  PreToolUse: 'the task before a tool call',
  PostToolUse: 'news after a tool call',
  PostToolBatch: 'news after tool calls',
};

/** Whether it arrived, in words: `unknown` is an agent whose transcript taskhooks does not read. */
const ARRIVED: Readonly<Record<string, string>> = {
  delivered: 'arrived',
  lost: 'lost',
  pending: 'sent, not yet seen',
  unknown: 'sent, arrival not checked',
};

/** The told column: "tasks and git at start (arrived)", "… (lost, told again)". */
function toldWords(t: { event: string; state: string; retold: boolean }): string {
  const arrived = `${ARRIVED[t.state] ?? t.state}${t.retold ? ', told again' : ''}`;
  return `${TOLD_WHAT[t.event] ?? t.event} (${arrived})`;
}
