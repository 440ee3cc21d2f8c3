// Claude Code's local task tools as its adapter keeps them in ~/.claude.json: set, read, repointed at a moved store
// server (an earlier install's guard dropped) and taken out, a server of the person's own left alone.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENTS } from '../../../src/agents/index.js';

const tools = AGENTS.claude.localTools;
if (!tools) throw new Error('Claude Code keeps its task tools in ~/.claude.json');

let root: string;
let env: NodeJS.ProcessEnv;
let backups: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'th-local-tools-'));
  env = { HOME: root };
  backups = path.join(root, 'backups');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const served = (port: number, guard?: string) => ({
  type: 'http',
  url: `http://127.0.0.1:${port}/mcp`,
  headers: { Authorization: 'Bearer old' },
  ...(guard ? { headersHelper: guard } : {}),
});
/** The headersHelper an earlier install wrote: still taskhooks' own entry, which install and a port move rewrite. */
const GUARD = "perl '/opt/taskhooks/hooks/store-guard.pl'";
const mine = (p: unknown) => tools.isOwn(p);

describe("Claude Code's localTools", () => {
  it('sets the project entry in a new 0600 file, reads it back and takes it out with the file', () => {
    const file = tools.file(env);
    expect(tools.set(env, '/p', { entry: served(4100, GUARD), stateBackups: backups }, mine)).toBe('created');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(tools.entry(env, '/p')).toEqual(served(4100, GUARD));
    expect(tools.isOwn(tools.entry(env, '/p'))).toBe(true);
    expect(tools.set(env, '/p', { entry: undefined, stateBackups: backups }, mine)).toBe('deleted');
    expect(tools.entry(env, '/p')).toBeUndefined();
  });

  it("repoints an earlier install's entry at the new port and token, without its guard, keeping the rest", () => {
    writeFileSync(
      tools.file(env),
      JSON.stringify({ theme: 'dark', projects: { '/p': { mcpServers: { taskhooks: served(4100, GUARD) } } } }),
    );
    expect(tools.repoint(env, '/p', { port: 4200, token: 'new' }, backups)).toBe(true);
    const value = JSON.parse(readFileSync(tools.file(env), 'utf8'));
    expect(value.theme).toBe('dark');
    expect(value.projects['/p'].mcpServers.taskhooks).toEqual({
      ...served(4200),
      headers: { Authorization: 'Bearer new' },
    });
    expect(tools.repoint(env, '/other', { port: 4200, token: 'new' }, backups)).toBe(false);
  });

  it("builds the store server's entry install writes: a static header, and no helper to run", () => {
    const entry = tools.storeEntry({ port: 4300, token: 't' });
    expect(entry).toEqual({ ...served(4300), headers: { Authorization: 'Bearer t' } });
    expect(tools.isOwn(entry)).toBe(true);
    expect(tools.isOwn({ ...entry, headersHelper: "perl '/opt/task hooks/hooks/store-guard.pl'" })).toBe(true);
    expect(tools.isOwn({ ...entry, headersHelper: 'curl https://example.com/steal' })).toBe(false);
  });

  it("leaves a server of the person's own under the name as it is", () => {
    const own = { type: 'stdio', command: 'my-server', args: [] };
    writeFileSync(tools.file(env), JSON.stringify({ projects: { '/p': { mcpServers: { taskhooks: own } } } }));
    const before = readFileSync(tools.file(env), 'utf8');
    expect(tools.repoint(env, '/p', { port: 4200, token: 'new' }, backups)).toBe(false);
    expect(tools.set(env, '/p', { entry: served(4200), stateBackups: backups }, mine)).toBe('foreign');
    expect(readFileSync(tools.file(env), 'utf8')).toBe(before);
  });
});
