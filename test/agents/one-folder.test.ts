// Each agent's files are named in its own folder only: whoever changes where an agent keeps its hooks, servers or
// trust reads src/agents/<id>/ and nothing else. Code is read without its comments (a comment may say which file a
// step touches); a string or a path piece that names an agent's file elsewhere in src/ fails here, with its place.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_IDS, type AgentId } from '../../src/agents/agent.js';

const SRC = path.resolve(import.meta.dirname, '../../src');

/** A folder of an agent's in a path (`.codex/`, `'.codex'`), not a property (`AGENTS.codex`). */
const folder = (name: string): RegExp => new RegExp(`(?<![\\w)\\]])\\.${name}\\b`);

/**
 * What names an agent's own files: their names and the folders they sit in. Claude Code's folder also holds
 * taskhooks' own project config (.claude/taskhooks.json), which is no file of Claude Code's.
 */
const NAMES: Record<AgentId, readonly RegExp[]> = {
  claude: [/\.claude\.json/, /settings\.local\.json/, /\.claude['"`]?,?\s*['"`]?\/?settings/],
  codex: [folder('codex'), /config\.toml/],
  gemini: [folder('gemini')],
  qwen: [folder('qwen')],
  copilot: [folder('copilot'), /mcp-config\.json/, /\.github['"`]?,?\s*['"`]?\/?hooks/],
  opencode: [/opencode\.jsonc?\b/, /opencode-plugin\.js/],
};

/** Two agents keep a file of one name (Gemini CLI's form of trusted folders is Qwen Code's too): the shared reader's. */
const SHARED: readonly RegExp[] = [/trustedFolders\.json/];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|mts|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** The code without its comments: strings and template literals kept whole, so `file://` is not a comment. */
function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Every place outside `allowed` where code names what `patterns` match: `file:line: text`. */
function namedOutside(patterns: readonly RegExp[], allowed: (rel: string) => boolean): string[] {
  return sourceFiles(SRC).flatMap((file) => {
    const rel = path.relative(SRC, file);
    if (allowed(rel)) return [];
    return withoutComments(readFileSync(file, 'utf8'))
      .split('\n')
      .flatMap((line, i) => (patterns.some((p) => p.test(line)) ? [`src/${rel}:${i + 1}: ${line.trim()}`] : []));
  });
}

const inFolder = (id: AgentId) => (rel: string) => rel.startsWith(`agents${path.sep}${id}${path.sep}`);

describe("an agent's files are named in its folder alone", () => {
  it.each(AGENT_IDS)("%s's files", (id) => {
    expect(namedOutside(NAMES[id], inFolder(id))).toEqual([]);
  });

  it('names a file two agents share only in their folders and the shared reader', () => {
    const shared = (rel: string) => inFolder('gemini')(rel) || inFolder('qwen')(rel) || rel === 'agents/trust-file.ts';
    expect(namedOutside(SHARED, shared)).toEqual([]);
  });

  it('finds each agent by these names in its own folder, so the rule is not empty', () => {
    for (const id of AGENT_IDS)
      expect(
        namedOutside(NAMES[id], (rel) => !inFolder(id)(rel)),
        id,
      ).not.toEqual([]);
  });

  it("reaches an agent's own task tools through its adapter: install, doctor and the endpoint moves name no agent", () => {
    const askers = ['install/writing/local-tools.ts', 'install/endpoint/endpoint-files.ts', 'doctor/task-tools.ts'];
    const naming = new RegExp(`'(${AGENT_IDS.join('|')})'|agents/(${AGENT_IDS.join('|')})/`);
    const named = askers.flatMap((rel) =>
      readFileSync(path.join(SRC, rel), 'utf8')
        .split('\n')
        .flatMap((line, i) => (naming.test(line) ? [`src/${rel}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(named).toEqual([]);
  });

  it("reaches OpenCode's plugin through the agent interface: outside its folder only the registry names OpenCode", () => {
    const registry = ['agents/agent.ts', 'agents/index.ts', 'agents/hooks.ts'].map((rel) =>
      rel.split('/').join(path.sep),
    );
    const naming = namedOutside([/opencode/i], (rel) => inFolder('opencode')(rel) || registry.includes(rel));
    expect(naming).toEqual([]);
  });

  it('reads code without its comments, strings kept whole', () => {
    expect(withoutComments("const a = 'file://x'; // .codex/hooks.json\n/* config.toml */ b")).toBe(
      "const a = 'file://x'; \n b",
    );
  });
});
