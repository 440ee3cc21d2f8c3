// Linear, on loopback: every query and mutation is validated against Linear's published schema with graphql-js and
// executed by resolvers over an in-memory set of issues. A document that does not validate is answered with
// Linear's validation error and recorded in `invalid`, so a test that sends one fails.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { startStandinServer, type SeenRequest, type StandinAnswer, type StandinServer } from './standin-http.js';

/** Linear's schema, kept in the repository: test/fixtures/README.md says where it comes from and its version. */
export const LINEAR_SCHEMA_FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'linear-schema.graphql',
);

let schema: GraphQLSchema | undefined;
const linearSchema = (): GraphQLSchema => {
  schema ??= buildSchema(fs.readFileSync(LINEAR_SCHEMA_FILE, 'utf8'));
  return schema;
};

export interface StandinState {
  id: string;
  name: string;
  type: 'triage' | 'backlog' | 'unstarted' | 'started' | 'completed' | 'canceled';
  position: number;
}

export interface StandinTeam {
  id: string;
  key: string;
  name: string;
  states: StandinState[];
}

export interface StandinIssue {
  id: string;
  identifier: string;
  title: string;
  description: string | null;
  priority: number;
  stateId: string;
  teamId: string;
  assigneeId: string | null;
  project: string | null;
  labels: string[];
  comments: string[];
  /** Issue.dueDate, a TimelessDate: the day, `YYYY-MM-DD`, or null. */
  dueDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface LinearStandin extends StandinServer {
  /** The GraphQL endpoint (the URL LINEAR_API_URL would name). */
  graphqlUrl: string;
  apiKey: string;
  viewer: { id: string; name: string; displayName: string; email: string };
  teams: StandinTeam[];
  issues: StandinIssue[];
  /** Documents that did not validate against Linear's schema, with the errors. */
  invalid: { query: string; errors: string[] }[];
  /** What the rate-limit headers say; `remaining` counts down with each request. */
  rate: { remaining: number; resetAt: number };
  /** Operation names executed, in order. */
  operations: string[];
  addIssue(fields: Partial<StandinIssue> & { title: string }): StandinIssue;
  /** Forgets every issue, request and fault: the next issue of each team is number 1 again. */
  reset(): void;
}

const STATES = (prefix: string): StandinState[] => [
  { id: `${prefix}-triage`, name: 'Triage', type: 'triage', position: 0 },
  { id: `${prefix}-backlog`, name: 'Backlog', type: 'backlog', position: 1 },
  { id: `${prefix}-todo`, name: 'Todo', type: 'unstarted', position: 2 },
  { id: `${prefix}-review`, name: 'In Review', type: 'started', position: 4 },
  { id: `${prefix}-progress`, name: 'In Progress', type: 'started', position: 3 },
  { id: `${prefix}-done`, name: 'Done', type: 'completed', position: 5 },
  { id: `${prefix}-canceled`, name: 'Canceled', type: 'canceled', position: 6 },
];

const gqlError = (message: string, code: string, userPresentableMessage?: string): GraphQLError =>
  new GraphQLError(message, { extensions: { code, ...(userPresentableMessage ? { userPresentableMessage } : {}) } });

type Comparator = Record<string, unknown>;

/** Linear's StringComparator, for the operators the adapter uses; any other one fails loudly. */
function compares(value: string, c: Comparator): boolean {
  return Object.entries(c).every(([op, arg]) => {
    switch (op) {
      case 'eq':
        return value === arg;
      case 'eqIgnoreCase':
        return value.toLowerCase() === String(arg).toLowerCase();
      case 'in':
        return (arg as string[]).includes(value);
      case 'nin':
        return !(arg as string[]).includes(value);
      default:
        throw new Error(`stand-in: comparator ${op} not implemented`);
    }
  });
}

/**
 * A TimelessDate as Linear keeps and answers it: the day, `YYYY-MM-DD`, or null, which clears it. Linear also takes a
 * year alone and ISO 8601 durations; the source sends neither, so the stand-in refuses them.
 */
function timelessDate(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))) return value;
  throw gqlError(`Argument Validation Error: ${JSON.stringify(value)} is not a TimelessDate`, 'INVALID_INPUT');
}

export async function startLinearStandin(opts: { apiKey?: string; teams?: string[] } = {}): Promise<LinearStandin> {
  // Built here, not on the first request: reading the 1.2 MB schema takes seconds on a busy machine.
  linearSchema();
  const apiKey = opts.apiKey ?? 'lin_api_standin0000000000000000000000000000';
  const viewer = { id: 'user-viewer', name: 'Sam Viewer', displayName: 'sam', email: 'sam@example.com' };
  const other = { id: 'user-other', name: 'Ola Other', displayName: 'ola', email: 'ola@example.com' };
  const teams: StandinTeam[] = (opts.teams ?? ['ENG']).map((key) => ({
    id: `team-${key.toLowerCase()}`,
    key,
    name: `${key} team`,
    states: STATES(key.toLowerCase()),
  }));
  const issues: StandinIssue[] = [];
  const invalid: LinearStandin['invalid'] = [];
  const operations: string[] = [];
  const rate = { remaining: 1500, resetAt: Date.now() + 3_600_000 };
  const documents = new Map<string, DocumentNode>();
  let clock = Date.parse('2026-11-01T00:00:00Z');
  const stamp = (): string => new Date((clock += 1000)).toISOString();
  const counters = new Map<string, number>();

  const addIssue = (fields: Partial<StandinIssue> & { title: string }): StandinIssue => {
    const team = teams.find((t) => t.id === fields.teamId) ?? (teams[0] as StandinTeam);
    const n = (counters.get(team.key) ?? 0) + 1;
    counters.set(team.key, n);
    const at = stamp();
    const issue: StandinIssue = {
      id: `issue-${team.key.toLowerCase()}-${n}`,
      identifier: `${team.key}-${n}`,
      description: null,
      priority: 0,
      stateId: `${team.key.toLowerCase()}-todo`,
      assigneeId: viewer.id,
      project: null,
      labels: [],
      comments: [],
      dueDate: null,
      createdAt: at,
      updatedAt: at,
      ...fields,
      teamId: team.id,
    };
    issues.push(issue);
    return issue;
  };

  const userOf = (id: string | null) => [viewer, other].find((u) => u.id === id) ?? null;
  const teamOf = (issue: StandinIssue): StandinTeam => teams.find((t) => t.id === issue.teamId) as StandinTeam;
  const stateOf = (issue: StandinIssue): StandinState =>
    teamOf(issue).states.find((s) => s.id === issue.stateId) as StandinState;

  const presentTeam = (team: StandinTeam) => ({
    id: team.id,
    key: team.key,
    name: team.name,
    states: () => ({ nodes: team.states }),
  });
  const present = (issue: StandinIssue) => ({
    id: issue.id,
    identifier: issue.identifier,
    title: issue.title,
    description: issue.description,
    priority: issue.priority,
    branchName: `sam/${issue.identifier.toLowerCase()}-${issue.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    url: `https://linear.app/standin/issue/${issue.identifier}`,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    dueDate: issue.dueDate,
    state: stateOf(issue),
    assignee: userOf(issue.assigneeId),
    team: presentTeam(teamOf(issue)),
    labels: () => ({ nodes: issue.labels.map((name) => ({ name })) }),
    comments: () => ({ nodes: issue.comments.map((body, i) => ({ id: `comment-${i + 1}`, body })) }),
  });

  const matches = (issue: StandinIssue, filter: Record<string, Comparator> | undefined): boolean => {
    for (const [key, sub] of Object.entries(filter ?? {})) {
      if (key === 'state' && !compares(stateOf(issue).type, sub.type as Comparator)) return false;
      else if (key === 'team' && !compares(teamOf(issue).key, sub.key as Comparator)) return false;
      else if (key === 'project' && !(issue.project && compares(issue.project, sub.name as Comparator))) return false;
      else if (!['state', 'team', 'project'].includes(key)) throw new Error(`stand-in: filter ${key} not implemented`);
    }
    return true;
  };

  const connection = (all: StandinIssue[], args: { first?: number; after?: string; filter?: never }) => {
    const list = all.filter((i) => matches(i, args.filter));
    const start = args.after ? Number(Buffer.from(args.after, 'base64url').toString()) : 0;
    const first = Math.min(args.first ?? 50, 250);
    const page = list.slice(start, start + first);
    const end = start + page.length;
    return {
      nodes: page.map(present),
      pageInfo: {
        hasNextPage: end < list.length,
        hasPreviousPage: start > 0,
        startCursor: Buffer.from(String(start)).toString('base64url'),
        endCursor: page.length ? Buffer.from(String(end)).toString('base64url') : null,
      },
    };
  };

  const find = (id: string): StandinIssue => {
    const issue = issues.find((i) => i.id === id || i.identifier.toLowerCase() === id.toLowerCase());
    if (!issue) throw gqlError('Entity not found: Issue', 'INVALID_INPUT', 'Could not find referenced Issue.');
    return issue;
  };

  const apply = (issue: StandinIssue, input: Record<string, unknown>): void => {
    for (const [key, value] of Object.entries(input)) {
      if (key === 'stateId') {
        if (!teamOf(issue).states.some((s) => s.id === value)) throw gqlError('Invalid state', 'INVALID_INPUT');
        issue.stateId = value as string;
      } else if (key === 'assigneeId') issue.assigneeId = value as string | null;
      else if (key === 'title' || key === 'description') issue[key] = value as string;
      else if (key === 'priority') issue.priority = value as number;
      else if (key === 'dueDate') issue.dueDate = timelessDate(value);
      else throw new Error(`stand-in: update of ${key} not implemented`);
    }
    issue.updatedAt = stamp();
  };

  const root = {
    viewer: () => ({
      ...viewer,
      assignedIssues: (args: never) =>
        connection(
          issues.filter((i) => i.assigneeId === viewer.id),
          args,
        ),
    }),
    issue: ({ id }: { id: string }) => present(find(id)),
    teams: () => ({ nodes: teams.map(presentTeam) }),
    issueUpdate: ({ id, input }: { id: string; input: Record<string, unknown> }) => {
      const issue = find(id);
      apply(issue, input);
      return { success: true, lastSyncId: 1, issue: present(issue) };
    },
    issueCreate: ({ input }: { input: Record<string, unknown> }) => {
      const { teamId, title, ...rest } = input as { teamId: string; title: string };
      if (!teams.some((t) => t.id === teamId)) throw gqlError('Entity not found: Team', 'INVALID_INPUT');
      const issue = addIssue({ title, teamId, assigneeId: null });
      apply(issue, rest);
      return { success: true, lastSyncId: 1, issue: present(issue) };
    },
    commentCreate: ({ input }: { input: { issueId: string; body: string } }) => {
      const issue = find(input.issueId);
      issue.comments.push(input.body);
      return { success: true, lastSyncId: 1, comment: { id: `comment-${issue.comments.length}`, body: input.body } };
    },
  };

  const rateHeaders = (): Record<string, string> => ({
    'x-ratelimit-requests-limit': '1500',
    'x-ratelimit-requests-remaining': String(Math.max(0, rate.remaining)),
    'x-ratelimit-requests-reset': String(rate.resetAt),
  });

  const handle = (req: SeenRequest): StandinAnswer => {
    if (Date.now() >= rate.resetAt) Object.assign(rate, { remaining: 1500, resetAt: Date.now() + 3_600_000 });
    rate.remaining -= 1;
    const headers = rateHeaders();
    if (req.authorization !== apiKey) {
      return {
        status: 400,
        headers,
        body: {
          errors: [
            {
              message: 'Authentication required, not authenticated',
              extensions: {
                code: 'AUTHENTICATION_ERROR',
                userPresentableMessage: 'You need to authenticate to access this operation.',
              },
            },
          ],
        },
      };
    }
    if (rate.remaining < 0) {
      return {
        status: 400,
        headers,
        body: { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATELIMITED' } }] },
      };
    }
    const { query, variables } = req.body as { query: string; variables?: Record<string, unknown> };
    let document = documents.get(query);
    if (!document) {
      try {
        document = parse(query);
      } catch (err) {
        invalid.push({ query, errors: [String(err)] });
        return {
          status: 400,
          headers,
          body: { errors: [{ message: String(err), extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] },
        };
      }
      const errors = validate(linearSchema(), document);
      if (errors.length) {
        invalid.push({ query, errors: errors.map((e) => e.message) });
        return {
          status: 400,
          headers,
          body: {
            errors: errors.map((e) => ({ message: e.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })),
          },
        };
      }
      documents.set(query, document);
    }
    const op = document.definitions[0];
    operations.push(op?.kind === 'OperationDefinition' ? (op.name?.value ?? '(anonymous)') : '(none)');
    const result = execute({ schema: linearSchema(), document, rootValue: root, variableValues: variables ?? {} });
    if (result instanceof Promise) throw new Error('stand-in resolvers are synchronous');
    return { status: 200, headers, body: JSON.parse(JSON.stringify(result)) };
  };

  const server = await startStandinServer(handle);
  return Object.assign(server, {
    graphqlUrl: `${server.url}/graphql`,
    apiKey,
    viewer,
    teams,
    issues,
    invalid,
    rate,
    operations,
    addIssue,
    reset() {
      issues.length = 0;
      counters.clear();
      server.requests.length = 0;
      operations.length = 0;
      invalid.length = 0;
      server.tamper = undefined;
      Object.assign(rate, { remaining: 1500, resetAt: Date.now() + 3_600_000 });
    },
  });
}
