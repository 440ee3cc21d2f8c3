// The issue trackers reached over their own APIs (Linear's GraphQL, Jira Cloud's REST), each against its loopback
// stand-in: seeded, made to fail, or answering one item off its schema.
import type { Fault } from '../../helpers/fault-server.js';
import { refusedUrl } from '../../helpers/fault-server.js';
import { startJiraStandin, type JiraStandin } from '../../helpers/jira-standin.js';
import { startLinearStandin, type LinearStandin } from '../../helpers/linear-standin.js';
import type { StandinFault, StandinServer } from '../../helpers/standin-http.js';
import { tempHome } from './context.js';
import type { Failure, Harness, Opened, SeedTask } from './types.js';

const scope = (root: string) => ({ projectRoot: root, project: 'demo', branch: 'main' });

/** The fault-server's faults as the stand-ins serve them. */
export function standinFault(f: Fault): StandinFault {
  if (f.kind === 'status')
    return { kind: 'status', status: f.status, ...(f.retryAfter ? { headers: { 'retry-after': f.retryAfter } } : {}) };
  return f.kind === 'malformed' ? { kind: 'malformed' } : { kind: 'reset' };
}

interface Stand<S extends StandinServer> {
  start(): Promise<S>;
  seed(stand: S, tasks: SeedTask[], extra: number): string[];
  config(stand: S, url: string, token: string): Record<string, unknown>;
  /** Two issues, "Broken" and "Still shown", and the stand-in made to answer "Broken" off its schema. */
  spoil(stand: S): void;
}

function trackerHarness<S extends StandinServer>(
  name: 'linear' | 'jira',
  stand: Stand<S>,
  url: (s: S) => string,
): Harness {
  async function opened(tasks: SeedTask[], extra: number, failure?: Failure | { kind: 'bad-item' }): Promise<Opened> {
    const home = tempHome(`th-conf-${name}-`);
    const server = await stand.start();
    const ids = stand.seed(server, tasks, extra);
    if (failure?.kind === 'bad-item') stand.spoil(server);
    else if (failure && failure.kind !== 'refused' && failure.kind !== 'bad-token')
      server.always(standinFault(failure));
    const where = failure?.kind === 'refused' ? `${await refusedUrl()}` : url(server);
    const config = stand.config(server, where, failure?.kind === 'bad-token' ? 'wrong-token-0000' : '');
    const source = home.open(config, home.dir, { env: {} });
    return {
      source,
      scope: scope(home.dir),
      ids,
      close: async () => {
        await source.close();
        await server.close();
        home.close();
      },
    };
  }
  return {
    name,
    // Short enough that a Retry-After of seconds is refused at once, not waited out.
    timeoutMs: 5_000,
    open: (tasks, extra = 0) => opened(tasks, extra),
    failing: (failure) => opened([], 0, failure),
    badItem: () => opened([], 0, { kind: 'bad-item' }),
  };
}

const LINEAR_STATES = { todo: 'eng-todo', in_progress: 'eng-progress', done: 'eng-done' } as const;
const LINEAR_PRIORITY = { high: 2, medium: 3, low: 4 } as const;

export const linear = trackerHarness<LinearStandin>(
  'linear',
  {
    start: () => startLinearStandin(),
    seed: (s, tasks, extra) => {
      const ids = tasks.map(
        (t) =>
          s.addIssue({
            title: t.title,
            description: t.description ?? null,
            stateId: LINEAR_STATES[t.status],
            priority: LINEAR_PRIORITY[t.priority],
          }).identifier,
      );
      for (let i = 0; i < extra; i++) s.addIssue({ title: `Bulk issue ${i}`, priority: 4 });
      return ids;
    },
    config: (s, url, token) => ({ source: { adapter: 'linear', linear: { url, apiKey: token || s.apiKey } } }),
    spoil: (s) => {
      s.addIssue({ title: 'Broken' });
      s.addIssue({ title: 'Still shown' });
      s.tamper = (body) => {
        const nodes = (body as { data?: { viewer?: { assignedIssues?: { nodes: Record<string, unknown>[] } } } }).data
          ?.viewer?.assignedIssues?.nodes;
        for (const n of nodes ?? []) if (n.title === 'Broken') n.priority = 'whenever';
        return body;
      };
    },
  },
  (s) => s.graphqlUrl,
);

const JIRA_STATUS = { todo: '10000', in_progress: '10001', done: '10003' } as const;
const JIRA_PRIORITY = { high: 'High', medium: 'Medium', low: 'Low' } as const;

export const jira = trackerHarness<JiraStandin>(
  'jira',
  {
    start: () => startJiraStandin(),
    seed: (s, tasks, extra) => {
      const ids = tasks.map(
        (t) =>
          s.addIssue({
            summary: t.title,
            description: t.description ?? null,
            statusId: JIRA_STATUS[t.status],
            priority: JIRA_PRIORITY[t.priority],
          }).key,
      );
      for (let i = 0; i < extra; i++) s.addIssue({ summary: `Bulk issue ${i}`, priority: 'Low' });
      return ids;
    },
    config: (s, url, token) => ({
      source: { adapter: 'jira', jira: { url, email: s.email, token: token || s.token, project: 'ABC' } },
    }),
    spoil: (s) => {
      s.addIssue({ summary: 'Broken' });
      s.addIssue({ summary: 'Still shown' });
      s.tamper = (body) => {
        for (const i of (body as { issues?: { fields: Record<string, unknown> }[] }).issues ?? [])
          if (i.fields.summary === 'Broken') i.fields.status = 'Open';
        return body;
      };
    },
  },
  (s) => s.site,
);
