// The layering of src/, top to bottom: a folder may import the folders below it, never one above it. ARCHITECTURE.md
// draws the same list; `npm test` runs these rules, so an upward import fails with the name of the rule it breaks.
const LAYERS = [
  ['cli', 'the command line: the top of the house'],
  ['monitor', 'the daemon'],
  ['dashboard', "the monitor's web page"],
  ['hooks|doctor|install|statusline', 'what the CLI, the monitor and Claude Code run'],
  ['config', 'settings: loaded once, handed down in narrow parts'],
  ['network', "the lazily loaded network stack's entry"],
  ['sources', 'task-source adapters'],
  ['resilience', 'breakers, retries, rate limits'],
  ['auth', 'credentials'],
  ['mcp', 'the MCP SDK client'],
  ['server', 'the MCP task server'],
  ['store', 'the built-in task store: its SQLite and PostgreSQL engines'],
  ['context', 'what a session is told'],
  ['agents', 'the coding agents: their events, tools, answers and configuration'],
  ['files', 'config files as taskhooks edits them: read with their layout, changed, backed up, their real place'],
  ['told', 'what a session was told, what it was meant to get, and whether it arrived'],
  ['cache', 'the shared SQLite cache'],
  ['tasks', 'the task shape and its rules'],
  ['git', 'git state'],
  ['sqlite', 'the one SQLite opener'],
  ['home', 'the state directory'],
  ['errors', 'the error vocabulary'],
  ['log', 'logging and secret scrubbing'],
  ['util', 'plain helpers'],
];

const folder = (names) => `^src/(${names})/`;

// Inside src/hooks, the same top-to-bottom order: what runs an event, the events, then what they use. The files at
// the folder's top (types, trace, live sessions, warnings) sit below all but the last part, input/, which is below
// them too; index.ts, the public surface, above them all.
const HOOK_PARTS = [
  ['hosts', 'what runs an event: the command process, the served hook, the MCP tool, the pipeline, the idle watch'],
  ['events', 'one file per hook event'],
  ['news', 'what changed since the session was told'],
  ['guards', 'shell reading and the PreToolUse guards'],
  ['fetch', "a hook's live fetch, loaded only for a stale snapshot"],
  ['ports', 'loopback-port safety: hooks and task tools that would reach a port another process holds'],
  ['input', 'what the agent sends a hook: its fields, read, parsed and keyed'],
];
// The shared files and ports/ import each other: both sit above input/ and below every other part.
const ABOVE_SHARED = HOOK_PARTS.slice(0, -2)
  .map(([n]) => n)
  .join('|');

const hookParts = HOOK_PARTS.slice(1).map(([name, what], i) => {
  const above = HOOK_PARTS.slice(0, i + 1).map(([n]) => n);
  return {
    name: `hooks-${name}`,
    comment: `src/hooks/${name} (${what}) may not import src/hooks/${above.join(', src/hooks/')}. Move the shared piece down, or pass it in.`,
    severity: 'error',
    from: { path: `^src/hooks/${name}/` },
    to: { path: `^src/hooks/(${above.join('|')})/` },
  };
});

// Which zod each layer loads. The network stack and the task server load lazily, never in a hook: full zod there,
// for its methods and messages. Everything else may sit on a cold process's path (a hook, the status line, every CLI
// command through the monitor's graph): zod/mini there, whose build is a fraction of the size.
const FULL_ZOD_LAYERS = 'network|sources|resilience|auth|mcp|server|store';

/** For each layer: nothing in it imports a layer above it. */
const upward = LAYERS.slice(1).map(([names, what], i) => {
  const above = LAYERS.slice(0, i + 1).map(([n]) => n);
  return {
    name: `layer-${names.split('|')[0]}`,
    comment: `src/${names.split('|').join(', src/')} (${what}) may not import a layer above it: ${above.join(', ').replaceAll('|', ', ')}. Move the shared piece down, or pass it in.`,
    severity: 'error',
    from: { path: folder(names) },
    to: { path: folder(above.join('|')) },
  };
});

module.exports = {
  forbidden: [
    ...upward,
    ...hookParts,
    {
      name: 'hooks-shared',
      comment: `The files at the top of src/hooks are shared by its parts: they import none of src/hooks/(${ABOVE_SHARED}), but index.ts, the public surface.`,
      severity: 'error',
      from: { path: '^src/hooks/([^/]+|ports/[^/]+)\\.ts$', pathNot: '^src/hooks/index\\.ts$' },
      to: { path: `^src/hooks/(${ABOVE_SHARED})/` },
    },
    {
      name: 'hooks-input-alone',
      comment: `src/hooks/input (what the agent sends) is below every other file of src/hooks: it imports none of them.`,
      severity: 'error',
      from: { path: '^src/hooks/input/' },
      to: { path: '^src/hooks/', pathNot: '^src/hooks/input/' },
    },
    {
      name: 'no-cycles',
      comment:
        'Files that import each other (directly or round about) cannot be understood or bundled apart: break the loop.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'entries-stay-thin',
      comment: 'Nothing in src/ imports an entry point (hooks/*.ts, install.ts): they are the top of the house.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(hooks/[^/]+\\.ts|install\\.ts)$' },
    },
    {
      name: 'zod-mini-off-the-network',
      comment: `Outside src/${FULL_ZOD_LAYERS.replaceAll('|', ', src/')}, code may sit on a hook's or a CLI command's cold path: import 'zod/mini', not 'zod'.`,
      severity: 'error',
      from: { path: '^(src|hooks)/', pathNot: folder(FULL_ZOD_LAYERS) },
      to: { path: 'node_modules/zod/((v4/)?index\\.|v4/classic/|v3/)' },
    },
    {
      name: 'full-zod-on-the-network',
      comment: `src/${FULL_ZOD_LAYERS.replaceAll('|', ', src/')} load lazily and use full zod: import 'zod', not 'zod/mini' (a type of the zod/mini that config hands a source definition may be imported as a type).`,
      severity: 'error',
      from: { path: folder(FULL_ZOD_LAYERS) },
      to: { path: 'node_modules/zod/(v4/)?mini/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-tests-in-src',
      comment: 'Shipped code does not import test code.',
      severity: 'error',
      from: { path: '^(src|hooks)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^(dist|node_modules)/' },
  },
};
