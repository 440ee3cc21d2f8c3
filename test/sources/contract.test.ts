// The source contract: every folder is one definition and one adapter, and what the config, the hooks and claims
// know of a source comes from its definition.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { ENV_BINDINGS, isSecretKey } from '../../src/config/env.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { TASK_CHANGING_TOOLS } from '../../src/hooks/events/task-tools.js';
import { ADAPTERS } from '../../src/sources/adapters.js';
import { defineSource, envBindingsOf, ownEntriesOf, secretKeysOf } from '../../src/sources/contract.js';
import { keepsClaims, sourceName } from '../../src/sources/plan.js';
import { SOURCE_NAMES, SOURCES } from '../../src/sources/registry.js';
import { sourceOf } from '../helpers/settings.js';

const SOURCES_DIR = path.join(import.meta.dirname, '../../src/sources');
const PLUMBING = ['rest', 'issues'];

/** A source with entries of its own, as the GitHub, Linear and Jira sources have. */
const fixture = defineSource({
  name: 'example',
  summary: 'a test source',
  config: (zm) => ({ repo: zm.optional(zm.string()), token: zm.optional(zm.string()) }),
  secrets: ['token'],
  env: { EXAMPLE_TOKEN: 'token' },
  capabilities: { writes: [], claims: 'none', conditional: true, push: false, pagination: true },
  words: { statuses: { open: 'todo', closed: 'done' } },
  changingTools: [],
  plan: () => ({ kind: 'remote', servers: ['https://api.example.test'] }),
});

describe('the registry', () => {
  it('lists one folder per source, each with a light definition and an adapter of the same name', () => {
    // Beside the sources, two folders of shared plumbing: the REST client and the issue trackers' vocabulary.
    const folders = readdirSync(SOURCES_DIR).filter(
      (f) => statSync(path.join(SOURCES_DIR, f)).isDirectory() && !PLUMBING.includes(f),
    );
    expect([...folders].sort()).toEqual([...SOURCE_NAMES].sort());
    for (const name of SOURCE_NAMES) {
      expect(readdirSync(path.join(SOURCES_DIR, name))).toEqual(
        expect.arrayContaining(['definition.ts', 'adapter.ts']),
      );
      expect(ADAPTERS[name].definition).toBe(SOURCES.find((d) => d.name === name));
    }
  });

  it('gives the config its adapter names, and each source’s own refusal of settings it cannot use', () => {
    expect(ConfigSchema.safeParse({ source: { adapter: 'github-nonexistent' } }).success).toBe(false);
    for (const name of SOURCE_NAMES)
      expect(ConfigSchema.shape.source.def.innerType.shape.adapter.safeParse(name).success).toBe(true);
    const refused = ConfigSchema.safeParse({ source: { adapter: 'mcp', command: 'srv' } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toContain('the generic adapter (mcp) needs source.tool');
  });

  it('picks the source the settings mean: the adapter named, else the first one they imply, else the embedded store', () => {
    expect(sourceName(sourceOf({ source: { servers: ['http://a:8000/mcp'] } }).plan)).toBe('agenthub');
    expect(sourceName(sourceOf({ source: { trackingUrl: 'http://t:9000/mcp' } }).plan)).toBe('tracker');
    expect(sourceOf({}).plan).toEqual({ kind: 'embedded' });
    expect(sourceOf({ source: { adapter: 'backlog' } }).plan).toMatchObject({ kind: 'cli', command: 'backlog' });
    expect(sourceOf({ source: { adapter: 'taskmaster' } }).plan).toMatchObject({
      kind: 'stdio',
      command: 'task-master-ai',
      configured: false,
    });
    // A source whose settings say no server falls back to the embedded store, as before.
    expect(sourceOf({ source: { adapter: 'agenthub' } }).plan).toEqual({ kind: 'embedded' });
  });

  it('keeps claims only where the definition says the server keeps them', () => {
    expect(keepsClaims(sourceOf({}).plan)).toBe(true);
    expect(keepsClaims(sourceOf({ source: { servers: ['http://a:8000/mcp'] } }).plan)).toBe(true);
    expect(keepsClaims(sourceOf({ source: { adapter: 'backlog' } }).plan)).toBe(false);
    expect(keepsClaims(sourceOf({ source: { adapter: 'taskmaster' } }).plan)).toBe(false);
  });

  it('takes PostToolUse’s task-changing tools from the definitions', () => {
    expect(TASK_CHANGING_TOOLS.taskmaster).toEqual(['set_task_status', 'add_task']);
    expect(TASK_CHANGING_TOOLS.mcp).toEqual([]);
    expect(Object.keys(TASK_CHANGING_TOOLS).sort()).toEqual(SOURCE_NAMES.filter((n) => n !== 'embedded').sort());
  });

  it('has one row per source in docs/sources.md’s table, with its writes, claims and pages as declared', () => {
    const doc = readFileSync(path.join(SOURCES_DIR, '../../docs/sources.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z-]+)` \| [^|]+ \| ([^|]+) \| (\w+) \| ([^|]+) \|/gm)].map((m) => [
      m[1],
      m[2],
      m[3],
      m[4] === 'yes',
    ]);
    expect(rows).toEqual(
      SOURCES.map((d) => [
        d.name,
        d.capabilities.writes.join(', ') || 'none',
        d.capabilities.claims,
        d.capabilities.pagination === true,
      ]),
    );
  });

  it('binds no environment variable twice and marks no secret outside a source’s own entries', () => {
    const names = ENV_BINDINGS.map((b) => b.name);
    expect(new Set(names).size).toBe(names.length);
    for (const d of SOURCES) for (const k of d.secrets ?? []) expect(isSecretKey(`source.${d.name}.${k}`)).toBe(true);
  });
});

describe('a definition’s own entries', () => {
  const schema = z.strictObject(ownEntriesOf([fixture], z));

  it('are the optional `source.<name>` object, strict about its keys', () => {
    expect(schema.parse({})).toEqual({});
    expect(schema.parse({ example: { repo: 'o/r' } })).toEqual({ example: { repo: 'o/r' } });
    expect(schema.safeParse({ example: { repository: 'o/r' } }).success).toBe(false);
  });

  it('bind their environment variables under `source.<name>` and mark their secrets', () => {
    expect(envBindingsOf([fixture])).toEqual([{ name: 'EXAMPLE_TOKEN', key: 'source.example.token', kind: 'string' }]);
    const [secret] = secretKeysOf([fixture]);
    expect(secret?.test('source.example.token')).toBe(true);
    expect(secret?.test('source.example.repo')).toBe(false);
    expect(secret?.test('source.other.token')).toBe(false);
  });
});
