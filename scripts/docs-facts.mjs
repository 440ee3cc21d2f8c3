// `npm run docs:facts`: writes the facts a person acts on into the pages, from what the built code does, between
// markers: which files `install` writes for each agent and scope (and which of them are outside the project), and how
// each Claude Code event is answered. `--check` writes nothing and fails when a page is out of date. Both run the
// built CLI's `install --dry-run --json` in a scratch home and project, so `npm run bundle` comes first.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(root, 'dist', 'cli.js');

/** Each agent with the scopes install takes for it, in the order the pages list them. */
const AGENT_SCOPES = [
  ['claude', ['local', 'project', 'user']],
  ['codex', ['project', 'user']],
  ['gemini', ['project', 'user']],
  ['qwen', ['project', 'user']],
  ['copilot', ['project']],
  ['opencode', ['project', 'user']],
];

/** A scratch home and git project under the repository's ignored cache, removed by `done`. */
function sandbox() {
  const base = path.join(root, 'node_modules', '.cache', 'taskhooks-docs-facts');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(path.join(base, 'run-'));
  const home = path.join(dir, 'home');
  const project = path.join(dir, 'project');
  mkdirSync(home);
  mkdirSync(project);
  execFileSync('git', ['init', '-q', project]);
  return { home, project, done: () => rmSync(dir, { recursive: true, force: true }) };
}

function dryRun(box, agent, scope) {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: box.home,
    TASKHOOKS_HOME: path.join(box.home, '.taskhooks'),
    XDG_CONFIG_HOME: path.join(box.home, '.config'),
    TMPDIR: box.home,
  };
  const args = [CLI, 'install', '--dir', box.project, '--agent', agent, '--scope', scope, '--dry-run', '--json'];
  return JSON.parse(execFileSync(process.execPath, args, { env, encoding: 'utf8' }));
}

/** A file's path as a person reads it: `<project>/…` or `~/…`. */
function shown(file, box) {
  if (file.startsWith(`${box.project}/`)) return `<project>/${file.slice(box.project.length + 1)}`;
  if (file.startsWith(`${box.home}/`)) return `~/${file.slice(box.home.length + 1)}`;
  return file;
}

/** What a change puts in its file, read from the lines its diff adds. */
function contents(change) {
  const added = (change.diff ?? []).filter((l) => l.startsWith('+')).join('\n');
  const what = [];
  if (/"hooks"\s*:|"version"\s*:\s*1/.test(added)) what.push('hooks');
  if (/"statusLine"/.test(added)) what.push('status line');
  if (/mcpServers|mcp_servers|"mcp"\s*:|"taskhooks"\s*:\s*\{\s*$/m.test(added) && !/"hooks"\s*:/.test(added))
    what.push('task tools');
  if (/"plugin"\s*:/.test(added)) what.push('plugin');
  if (/"env"\s*:/.test(added) && !/"hooks"\s*:/.test(added)) what.push("the hook token's value (`env`)");
  if (/enabledMcpjsonServers/.test(added)) what.push("approval of `.mcp.json`'s server");
  return what.length > 0 ? what.join(', ') : 'its entry';
}

function where(file, box) {
  if (file.startsWith(`${box.project}/`)) return 'the project';
  if (path.basename(file) === '.claude.json') return "your home, this project's entry only";
  return 'your home: **every folder**';
}

function installTableNow() {
  const rows = ['| agent | `--scope` | file | where | what |', '|---|---|---|---|---|'];
  for (const [agent, scopes] of AGENT_SCOPES) {
    for (const scope of scopes) {
      const box = sandbox();
      try {
        const run = dryRun(box, agent, scope);
        // Claude Code's task tools go into ~/.claude.json under its own lock, apart from the plan's file changes.
        if (run.localServer)
          rows.push(`| ${agent} | ${scope} | ${code('~/.claude.json')} | ${where('.claude.json', box)} | task tools |`);
        for (const change of run.changes) {
          rows.push(
            `| ${agent} | ${scope} | ${code(shown(change.file, box))} | ${where(change.file, box)} | ${contents(change)} |`,
          );
        }
      } finally {
        box.done();
      }
    }
  }
  return rows.join('\n');
}

/** How each Claude Code event is answered, read from the settings file install writes by default. */
function transportTableNow() {
  const box = sandbox();
  try {
    const change = dryRun(box, 'claude', 'local').changes.find((c) => c.file.endsWith('settings.local.json'));
    const text = (change?.diff ?? []).map((l) => l.slice(2)).join('\n');
    const settings = JSON.parse(text);
    const rows = ['| event | matcher | answered by |', '|---|---|---|'];
    for (const [event, groups] of Object.entries(settings.hooks ?? {})) {
      for (const group of groups) {
        for (const hook of group.hooks) {
          const by =
            hook.type === 'http'
              ? `the monitor, \`http\`${hook.if ? ` (only ${code(hook.if)})` : ''}`
              : /socket-post\.pl/.test(hook.command)
                ? `the monitor over its socket (perl), else \`node\`${hook.async ? ', async' : ' starting it'}`
                : hook.asyncRewake
                  ? '`taskhooks watch`, an idle wake (`asyncRewake`)'
                  : `a \`node\` command${hook.async ? ', async' : ''}`;
          rows.push(`| ${event} | ${group.matcher ? code(group.matcher) : 'all'} | ${by} |`);
        }
      }
    }
    return rows.join('\n');
  } finally {
    box.done();
  }
}

/** The README's example project `shop`: three tasks, two commits and an untracked file, on branch feature/checkout. */
function exampleProject(box) {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: box.home,
    TASKHOOKS_HOME: path.join(box.home, '.taskhooks'),
    TASKHOOKS_NO_AUTOSTART: '1',
    TMPDIR: box.home,
    GIT_AUTHOR_NAME: 'dana',
    GIT_AUTHOR_EMAIL: 'dana@example.invalid',
    GIT_COMMITTER_NAME: 'dana',
    GIT_COMMITTER_EMAIL: 'dana@example.invalid',
    // Fixed dates give the same commit ids on every run; only the ages move.
    GIT_AUTHOR_DATE: '2026-11-20T10:00:00Z',
    GIT_COMMITTER_DATE: '2026-11-20T10:00:00Z',
  };
  const shop = path.join(path.dirname(box.project), 'shop');
  mkdirSync(shop);
  const git = (...args) => execFileSync('git', ['-C', shop, ...args], { env });
  git('init', '-q', '-b', 'feature/checkout');
  for (const [file, subject] of [
    ['cart.js', 'Add cart page'],
    ['totals.js', 'Fix rounding in totals'],
  ]) {
    writeFileSync(path.join(shop, file), `// ${subject}\n`);
    git('add', file);
    git('commit', '-q', '-m', subject);
  }
  writeFileSync(path.join(shop, 'notes.txt'), 'untracked\n');
  const cli = (...args) => execFileSync(process.execPath, [CLI, ...args, '--dir', shop], { env, encoding: 'utf8' });
  cli('tasks', 'add', 'Fix login outage', '--priority', 'critical', '--description', EXAMPLE_OUTAGE);
  cli('tasks', 'add', 'Add coupon field to checkout', '--priority', 'high');
  cli('tasks', 'add', 'Update payment SDK');
  cli('tasks', 'start', 'TASK-001');
  cli('tasks', 'block', 'TASK-003');
  return cli;
}

const EXAMPLE_OUTAGE =
  'Users on SSO cannot log in since the 2.3 deploy; roll back the session middleware or patch the cookie domain.';

/** What a session starting in the example project is told, as `taskhooks context` prints it, in a text block. */
function contextExampleNow() {
  const box = sandbox();
  try {
    // The injected text alone: after the line saying how long it is, before the reasons.
    const printed = exampleProject(box)('context', '--offline');
    const text = printed.slice(printed.indexOf('\n\n') + 2, printed.indexOf('\n\nWhy:'));
    return ['```text', text.replace(/ \[taskhooks#[a-z0-9]+\]/g, ''), '```'].join('\n');
  } finally {
    box.done();
  }
}

// Each block is made at its first call only: the test of each block and the check of the pages
// (test/foundation/docs-facts.test.ts) share one set of the built CLI's runs instead of making them twice.
const once = (make) => {
  let made;
  return () => (made ??= make());
};
export const installTable = once(installTableNow);
export const transportTable = once(transportTableNow);
export const contextExample = once(contextExampleNow);

/** Commit ages and the marker change from run to run; everything else must stay as generated. */
export const steady = (text) =>
  text.replace(/\d+ (s|second|seconds|minutes?|hours?|days?|months?|years?) ago/g, '… ago');

/** The pages and the generated block each holds. */
const BLOCKS = [
  { file: 'docs/install.md', name: 'install-files', make: installTable },
  { file: 'docs/install.md', name: 'hook-transports', make: transportTable },
  { file: 'README.md', name: 'session-context', make: contextExample },
];

/** A table cell's code span, its pipes escaped so the row keeps its columns. */
const code = (text) => `\`${text.replaceAll('|', '\\|')}\``;

const markers = (name) => [
  `<!-- ${name}:start (generated by \`npm run docs:facts\` from the built code: edit the code, not this block) -->`,
  `<!-- ${name}:end -->`,
];

export function pagesOutOfDate(write) {
  const stale = [];
  for (const { file, name, make } of BLOCKS) {
    const full = path.join(root, file);
    const page = readFileSync(full, 'utf8');
    const [start, end] = markers(name);
    const a = page.indexOf(start);
    const b = page.indexOf(end);
    if (a === -1 || b < a) {
      stale.push(`${file}: no ${name} markers; put these two lines where the block belongs:\n${start}\n${end}`);
      continue;
    }
    const updated = `${page.slice(0, a)}${start}\n${make()}\n${page.slice(b)}`;
    if (steady(updated) === steady(page)) continue;
    if (write) writeFileSync(full, updated);
    else stale.push(`${file}: the ${name} block is out of date; run \`npm run bundle && npm run docs:facts\``);
  }
  return stale;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stale = pagesOutOfDate(!check);
  for (const line of stale) console.error(line);
  if (check && stale.length > 0) process.exit(1);
  if (!check) console.log(stale.length === 0 ? 'docs: the generated facts are written' : '');
}
