// One meaning per name, held against ARCHITECTURE.md's glossary. Every "session" and "cache" word in an identifier or
// file name of src/, hooks/ and install.ts is bare (the glossary's first meaning), follows a plain word (a verb or a
// preposition: `openCache`, `holdForSession`), or follows a qualifier the glossary names (`toolSession`,
// `configCacheError`); a name typed as a qualified thing the glossary keeps apart from the bare word (`ToolSession`)
// carries its qualifier; and every name the glossary cites exists. `npx vitest run test/foundation/glossary.test.ts`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { root } from './helpers.js';

/** The words whose meaning the glossary fixes. */
const HEADS: Record<string, 'session' | 'cache'> = {
  session: 'session',
  sessions: 'session',
  cache: 'cache',
  caches: 'cache',
  cached: 'cache',
  caching: 'cache',
};

/**
 * Words that may stand right before a head word without qualifying it: verbs, prepositions and adjectives of the
 * act, never a thing. A new one belongs here only when it says what is done to the bare meaning, not which one.
 */
const PLAIN = new Set([
  'create',
  'end',
  'for',
  'lost',
  'of',
  'open',
  'preview',
  'prune',
  'read',
  'register',
  'run',
  'safe',
  'touch',
  'with',
  'worth',
  'write',
]);

interface Glossary {
  /** For each head, the qualifiers its rows name (`live` for "live session"). */
  qualifiers: Record<'session' | 'cache', Set<string>>;
  /** Qualified terms whose "never" column excludes the bare word, as "tool session": a name must keep the qualifier. */
  apart: Set<string>;
  /** The backticked names the table cites. */
  cited: string[];
  /** Other parties' names, which keep their own words. */
  foreign: Set<string>;
}

/** Reads the glossary table and the paragraph of other parties' names after it. */
function readGlossary(markdown: string): Glossary {
  const start = markdown.indexOf('**Glossary: one meaning per word.**');
  if (start < 0) throw new Error('ARCHITECTURE.md has no "Glossary: one meaning per word." table');
  const lines = markdown.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const end = lines.findIndex((l, i) => i > first && !l.startsWith('|'));
  const rows = lines.slice(first + 2, end).map((l) => l.split('|').map((c) => c.trim()));
  const glossary: Glossary = {
    qualifiers: { session: new Set(), cache: new Set() },
    apart: new Set(),
    cited: [],
    foreign: new Set(),
  };
  for (const [, word = '', means = '', never = ''] of rows) {
    const [qualifier, head] = word.split(' ');
    const family = head === undefined ? undefined : HEADS[head];
    if (qualifier && family) {
      glossary.qualifiers[family].add(qualifier.toLowerCase());
      if (/\ba session\b|`cache\.db`/.test(never)) glossary.apart.add(`${qualifier.toLowerCase()} ${family}`);
    }
    glossary.cited.push(...[...means.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ''));
  }
  const paragraph =
    lines
      .slice(end)
      .join('\n')
      .split('\n\n')
      .find((p) => p.includes("Other parties' names")) ?? '';
  for (const m of paragraph.matchAll(/`([^`]+)`/g)) glossary.foreign.add((m[1] ?? '').split('.').pop() ?? '');
  return glossary;
}

/** The words of a name: `openToolSession` → open tool session, `CLAUDE_CODE_SESSION_ID` and `list-cache` alike. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** The head words of `name` with the word before each (undefined at the start). */
function headsOf(name: string): { family: 'session' | 'cache'; qualifier: string | undefined }[] {
  const words = wordsOf(name);
  return words.flatMap((w, i) => {
    const family = HEADS[w];
    return family ? [{ family, qualifier: words[i - 1] }] : [];
  });
}

/** Why `name` breaks the glossary, or undefined. */
function nameProblem(name: string, g: Glossary): string | undefined {
  if (g.foreign.has(name)) return undefined;
  const hidden = wordsOf(name).find((w) => !HEADS[w] && /session|cach/.test(w));
  if (hidden) return `"${hidden}" hides a session or cache word: split it so its qualifier shows`;
  for (const { family, qualifier } of headsOf(name)) {
    if (qualifier === undefined || PLAIN.has(qualifier) || g.qualifiers[family].has(qualifier)) continue;
    return `"${qualifier} ${family}" is not in the glossary: name the meaning it has there, or add a row for it`;
  }
  return undefined;
}

/** Why a declaration named `name` and typed `typeNames` breaks the glossary: a qualified thing under a bare word. */
function typedProblem(name: string, typeNames: string[], g: Glossary): string | undefined {
  const own = headsOf(name);
  for (const typeName of typeNames) {
    for (const { family, qualifier } of headsOf(typeName)) {
      const term = `${qualifier} ${family}`;
      if (!g.apart.has(term)) continue;
      if (own.some((h) => h.family === family && h.qualifier !== qualifier))
        return `a ${typeName} is a ${term}: name it so (a bare ${family} is the glossary's first meaning)`;
    }
  }
  return undefined;
}

const DECLARATION_KINDS = new Set([
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.PropertySignature,
  ts.SyntaxKind.PropertyDeclaration,
]);

/** `file:line name: why` for every name of `text` (the file `file`, relative to the root) that breaks the glossary. */
function violations(file: string, text: string, g: Glossary): string[] {
  const found: string[] = [];
  for (const segment of file.split('/')) {
    const problem = nameProblem(segment.replace(/\.(ts|js|mjs|json)$/, ''), g);
    if (problem) found.push(`${file} (file name "${segment}"): ${problem}`);
  }
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const at = (node: ts.Node): string =>
    `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const seen = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      const problem = nameProblem(node.text, g);
      const where = `${at(node)} ${node.text}`;
      if (problem && !seen.has(where)) {
        seen.add(where);
        found.push(`${where}: ${problem}`);
      }
    }
    if (DECLARATION_KINDS.has(node.kind)) {
      const declaration = node as ts.VariableDeclaration | ts.ParameterDeclaration | ts.PropertySignature;
      if (declaration.type && ts.isIdentifier(declaration.name)) {
        const typeNames: string[] = [];
        const collect = (t: ts.Node): void => {
          if (ts.isIdentifier(t)) typeNames.push(t.text);
          ts.forEachChild(t, collect);
        };
        collect(declaration.type);
        const problem = typedProblem(declaration.name.text, typeNames, g);
        if (problem) found.push(`${at(declaration.name)} ${declaration.name.text}: ${problem}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every TypeScript file of src/ and hooks/, and the installer's alias, relative to the root. */
function sources(): string[] {
  const files = [
    ...ts.sys.readDirectory(path.join(root, 'src'), ['.ts']),
    ...ts.sys.readDirectory(path.join(root, 'hooks'), ['.ts']),
    path.join(root, 'install.ts'),
  ];
  return files.map((f) => path.relative(root, f).split(path.sep).join('/'));
}

const glossary = readGlossary(readFileSync(path.join(root, 'ARCHITECTURE.md'), 'utf8'));

describe('glossary: one meaning per name', () => {
  it('reads its qualifiers and the other parties’ names from ARCHITECTURE.md', () => {
    expect([...glossary.qualifiers.session]).toEqual(expect.arrayContaining(['live', 'tool']));
    expect([...glossary.qualifiers.cache]).toEqual(expect.arrayContaining(['config', 'code', 'listing', 'page']));
    expect([...glossary.apart]).toEqual(expect.arrayContaining(['tool session', 'config cache']));
    expect(glossary.apart.has('live session')).toBe(false);
    expect([...glossary.foreign]).toEqual(expect.arrayContaining(['onsessioninitialized', 'CLAUDE_CODE_SESSION_ID']));
  });

  it('every name in src/, hooks/ and install.ts says session and cache as the glossary does', () => {
    const found = sources().flatMap((f) => violations(f, readFileSync(path.join(root, f), 'utf8'), glossary));
    const how = "rename, or give the meaning a row in ARCHITECTURE.md's glossary";
    expect(found, `${how}:\n${found.join('\n')}`).toEqual([]);
  });

  it('every name the glossary cites exists: a file under src/ or dist/, or a word of the sources', () => {
    const text = sources()
      .map((f) => readFileSync(path.join(root, f), 'utf8'))
      .join('\n');
    const missing = glossary.cited.filter((name) => {
      if (name.startsWith('src/'))
        return !ts.sys.fileExists(path.join(root, name)) && !ts.sys.directoryExists(path.join(root, name));
      const last = name.split('.').pop() ?? name;
      return /^[A-Za-z_$][\w$]*$/.test(last) && !new RegExp(`\\b${last.replace(/\$/g, '\\$')}\\b`).test(text);
    });
    expect(missing, 'the glossary cites names the code no longer has').toEqual([]);
  });

  it('fails, naming file and line, on a planted name with a meaning the glossary does not give', () => {
    const planted = [
      "import type { ToolSession } from '../resilience/tool-session.js';",
      'export function mcpSession(): void {}',
      'export function run(session: ToolSession): void {}',
      'const taskCache = new Map<string, string>();',
      'export const onsessionstart = taskCache;',
      'export function openCache(liveSession: string, toolSession: ToolSession): string { return liveSession; }',
      'void toolSession;',
    ].join('\n');
    const unknown = (term: string): string =>
      `"${term}" is not in the glossary: name the meaning it has there, or add a row for it`;
    const file = 'src/server/list-cache.ts';
    expect(violations(file, planted, glossary)).toEqual([
      `${file} (file name "list-cache.ts"): ${unknown('list cache')}`,
      `${file}:2 mcpSession: ${unknown('mcp session')}`,
      `${file}:3 session: a ToolSession is a tool session: name it so (a bare session is the glossary's first meaning)`,
      `${file}:4 taskCache: ${unknown('task cache')}`,
      `${file}:5 onsessionstart: "onsessionstart" hides a session or cache word: split it so its qualifier shows`,
      `${file}:5 taskCache: ${unknown('task cache')}`,
    ]);
  });

  it('passes the names the glossary gives: bare, after a plain word, after a qualifier, and other parties’', () => {
    for (const name of [
      'session',
      'sessionId',
      'holdForSession',
      'openCache',
      'LiveSession',
      'toolSession',
      'pageCacheKiB',
      'configCacheError',
      'cachedData',
      'CLAUDE_CODE_SESSION_ID',
      'onsessioninitialized',
    ])
      expect(nameProblem(name, glossary), name).toBeUndefined();
    expect(typedProblem('session', ['LiveSession'], glossary)).toBeUndefined();
    expect(typedProblem('toolSession', ['ToolSession'], glossary)).toBeUndefined();
  });
});
