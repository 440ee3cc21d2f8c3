// Every help text, and docs/cli.md's command table, written from the commands' own specs: a flag is described once.
import { AGENT_HOOKS } from '../agents/hooks.js';
import { shownHome } from '../home/dir.js';
import { inHomeFolder, type Reader, readerNow, shellWord } from '../util/shown.js';
import type { ArgSpec, Command, FlagSpec } from './command.js';
import { paint, type Out } from './output.js';

/** A group of commands that share their first word (`tasks list`, `tasks add`), with what they are for. */
export interface Group {
  name: string;
  summary: string;
}

const labels = Object.values(AGENT_HOOKS).map((a) => a.label);
const TAGLINE = `pending tasks and git state in every session of ${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;

const HOME_PATH = /\$TASKHOOKS_HOME((?:\/[\w.-]+)*)/g;
const TILDE_PATH = /(?<![\w/])~\/([\w.-]+(?:\/[\w.-]+)*)/g;
/** Examples written for a POSIX shell alone (a variable set before the command, a pipe from echo). */
const POSIX_ONLY = /^[A-Z_]+=|^echo '/;
const parts = (tail: string): string[] => tail.split('/').filter(Boolean);

/**
 * Help written once, shown in the reader's words: the state directory's paths as theirs (`$TASKHOOKS_HOME/logs` is
 * `~/.taskhooks/logs`, or `C:\Users\…\.taskhooks\logs`), and on Windows a `~/` path as the real one, quoted as a
 * word of `command` text.
 */
export function inReaderWords(text: string, reader: Reader = readerNow(), command = false): string {
  const homed = text.replace(HOME_PATH, (_, tail: string) => shownHome(parts(tail), reader));
  if (reader.platform !== 'win32') return homed;
  return homed.replace(TILDE_PATH, (_, tail: string) => {
    const real = inHomeFolder(parts(tail), reader);
    return command ? shellWord(real, reader.platform) : real;
  });
}

/** What a listing needs of a command: its words and its one line. */
type Listed = Pick<Command, 'name' | 'summary'>;

export const groupOf = (c: Listed): string | undefined => (c.name.includes(' ') ? c.name.split(' ')[0] : undefined);

/** The groups the commands form, each with its summary (a group nobody described gets a plain one). */
export function groupsOf(commands: readonly Listed[], described: readonly Group[]): Group[] {
  const names = [...new Set(commands.map(groupOf).filter((g): g is string => g !== undefined))];
  return names.map((name) => described.find((g) => g.name === name) ?? { name, summary: `the ${name} commands` });
}

function argText(a: ArgSpec): string {
  const name = a.variadic ? `${a.name}…` : a.name;
  return a.optional ? `[${name}]` : name;
}

function flagText(name: string, f: FlagSpec): string {
  const value = f.type === 'string' ? ` ${f.placeholder ?? 'VALUE'}` : '';
  return `--${name}${value}`;
}

const visibleFlags = (c: Command): Array<[string, FlagSpec]> => Object.entries(c.flags).filter(([, f]) => !f.hidden);

/** The command and its arguments, as a docs/cli.md row or an example names it. */
export function synopsis(c: Command): string {
  return ['taskhooks', c.name, ...(c.args ?? []).map(argText)].join(' ');
}

export function usageLine(c: Command): string {
  const flags = visibleFlags(c).map(([name, f]) => `[${flagText(name, f)}]${f.multiple ? '…' : ''}`);
  return [synopsis(c), ...flags].join(' ');
}

/** Two columns, the first padded to its widest cell. */
function columns(rows: Array<[string, string]>, indent = '  '): string[] {
  const width = Math.max(0, ...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `${indent}${a.padEnd(width)}  ${b}`.trimEnd());
}

export function commandHelp(out: Out, c: Command, reader: Reader = readerNow()): string {
  const words = (text: string) => inReaderWords(text, reader);
  const lines = [`${paint(out, 'bold', `taskhooks ${c.name}`)}: ${words(c.summary)}`, '', `Usage: ${usageLine(c)}`];
  if (c.description) lines.push('', words(c.description));
  if (c.args?.length) lines.push('', 'Arguments:', ...columns(c.args.map((a) => [argText(a), words(a.description)])));
  const flags = visibleFlags(c).map(([name, f]): [string, string] => [
    flagText(name, f),
    words(f.multiple ? `${f.description} (repeat for more)` : f.description),
  ]);
  lines.push('', 'Flags:', ...columns([...flags, ['-h, --help', 'show this help']]));
  const examples = (c.examples ?? []).filter((e) => reader.platform !== 'win32' || !POSIX_ONLY.test(e.command));
  if (examples.length) {
    lines.push('', 'Examples:');
    for (const e of examples)
      lines.push(
        `  ${inReaderWords(e.command, reader, true)}`,
        ...(e.description ? [`      ${paint(out, 'dim', words(e.description))}`] : []),
      );
  }
  return `${lines.join('\n')}\n`;
}

export function groupHelp(out: Out, group: Group, commands: readonly Listed[], reader = readerNow()): string {
  const members = commands.filter((c) => groupOf(c) === group.name);
  return [
    `${paint(out, 'bold', `taskhooks ${group.name}`)}: ${inReaderWords(group.summary, reader)}`,
    '',
    `Usage: taskhooks ${group.name} <command> [flags]`,
    '',
    'Commands:',
    ...columns(members.map((c) => [c.name.slice(group.name.length + 1), inReaderWords(c.summary, reader)])),
    '',
    `\`taskhooks ${group.name} <command> --help\` shows a command's flags and examples.`,
    '',
  ].join('\n');
}

export function topHelp(
  out: Out,
  version: string,
  commands: readonly Listed[],
  groups: readonly Group[],
  reader = readerNow(),
): string {
  const top = commands.filter((c) => groupOf(c) === undefined);
  const listed = (cs: readonly Listed[]) => columns(cs.map((c) => [c.name, inReaderWords(c.summary, reader)]));
  const lines = [
    `${paint(out, 'bold', 'taskhooks')} ${version} — ${TAGLINE}`,
    '',
    'Usage: taskhooks <command> [flags]',
    '',
    'Commands:',
    ...listed(top),
  ];
  for (const g of groupsOf(commands, groups)) {
    lines.push('', `${paint(out, 'bold', g.name)}: ${inReaderWords(g.summary, reader)}`);
    lines.push(...listed(commands.filter((c) => groupOf(c) === g.name)));
  }
  lines.push(
    '',
    '`taskhooks <command> --help` shows what a command does, each of its flags and examples; `taskhooks <group> --help` a group.',
    'Every listing command takes --json. --version prints the version.',
    `Docs: README.md and docs/ (docs/windows.md on Windows); logs in ${shownHome(['logs'], reader)}.`,
    '',
  );
  return lines.join('\n');
}

/** Where docs/cli.md's command table sits; `npm run docs:commands` rewrites what is between them. */
export const TABLE_START =
  "<!-- commands:start (generated by `npm run docs:commands` from each command's help: edit the commands, not this table) -->";
export const TABLE_END = '<!-- commands:end -->';

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** One row per command: its synopsis and summary; the flags are in its --help. */
export function commandRow(c: Command): string {
  return `| \`${cell(synopsis(c))}\` | ${cell(c.summary)} |`;
}

export function commandTable(commands: readonly Command[]): string {
  return ['| Command | What it does |', '| --- | --- |', ...commands.map(commandRow)].join('\n');
}
