// The house keeps its shape: the hot-path bundle manifest holds for the real tree, and it and the layering rules
// (dependency-cruiser) each fail loudly on a deliberate violation.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/hooks.js';
// @ts-expect-error the manifest is a plain .mjs module that the build runs as it is
import { buildOptions, hotPathProblems, placeBoundInputs } from '../../scripts/bundles.mjs';

const rules = createRequire(import.meta.url)(path.join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempTree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-architecture-'));
  temps.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** dependency-cruiser with the project's rules over `paths`, relative to `baseDir`. */
async function violations(
  baseDir: string,
  paths: string[],
): Promise<Array<{ rule: string; from: string; to: string }>> {
  const options = { ...rules.options, ruleSet: { forbidden: rules.forbidden ?? [] }, validate: true, baseDir };
  const { output } = await cruise(paths, options);
  return (output as ICruiseResult).summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

// The whole tree is held to the rules by `npm run layers`, which `npm test` runs beside vitest (scripts/checks.mjs);
// here each rule is shown to fail on a tree that breaks it.
describe('layering (dependency-cruiser)', () => {
  it('names the rule an upward import breaks', async () => {
    const dir = tempTree({
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
      'src/cache/kv.ts': "import type { HookDeps } from '../hooks/types.js';\nexport type Deps = HookDeps;\n",
      'src/hooks/types.ts': 'export interface HookDeps { home: string }\n',
    });
    expect(await violations(dir, ['src'])).toEqual([
      { rule: 'layer-cache', from: 'src/cache/kv.ts', to: 'src/hooks/types.ts' },
    ]);
  });

  it('keeps the parts of src/hooks in their order: a guard importing an event, a shared file importing a host', async () => {
    const dir = tempTree({
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
      'src/hooks/guards/bash.ts': "import { hook } from '../events/stop.js';\nexport const h = hook;\n",
      'src/hooks/events/stop.ts': "import { run } from '../hosts/run.js';\nexport const hook = run;\n",
      'src/hooks/hosts/run.ts': "import { n } from '../trace.js';\nexport const run = n;\n",
      'src/hooks/trace.ts': "import type { N } from './news/news.js';\nexport const n: N = 1;\n",
      'src/hooks/news/news.ts': 'export type N = number;\n',
      'src/hooks/index.ts': "export { hook } from './events/stop.js';\n",
    });
    expect((await violations(dir, ['src'])).sort((a, b) => a.rule.localeCompare(b.rule))).toEqual([
      { rule: 'hooks-events', from: 'src/hooks/events/stop.ts', to: 'src/hooks/hosts/run.ts' },
      { rule: 'hooks-guards', from: 'src/hooks/guards/bash.ts', to: 'src/hooks/events/stop.ts' },
      { rule: 'hooks-shared', from: 'src/hooks/trace.ts', to: 'src/hooks/news/news.ts' },
    ]);
  });

  it('holds each layer to its zod: full zod off the network stack fails, and zod/mini on it', async () => {
    const dir = tempTree({
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
      'src/hooks/input.ts': "import { z } from 'zod';\nexport const S = z.string();\n",
      'src/config/schema.ts': "import { z } from 'zod/mini';\nexport const S = z.string();\n",
      'src/sources/parse.ts': "import { z } from 'zod/mini';\nexport const S = z.string();\n",
      'src/sources/contract.ts': "import type * as Zm from 'zod/mini';\nexport type Z = typeof Zm;\n",
      'src/server/args.ts': "import { z } from 'zod';\nexport const S = z.string();\n",
    });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const found = await violations(dir, ['src']);
    expect(found.map(({ rule, from }) => `${rule}: ${from}`).sort()).toEqual([
      'full-zod-on-the-network: src/sources/parse.ts',
      'zod-mini-off-the-network: src/hooks/input.ts',
    ]);
  });
});

describe('bundles built anywhere (scripts/bundles.mjs)', () => {
  const { cliBuild } = buildOptions(ROOT, path.join(ROOT, 'dist')) as {
    cliBuild: (outdir: string) => Record<string, unknown>;
  };

  // A chunk's name hashes the paths of the modules in it, so plugin/ is the same wherever it is built only when no
  // module is named by its absolute path.
  it('the CLI and its chunks name every module relative to the checkout', async () => {
    const result = await build({ ...cliBuild(tempTree({})), absWorkingDir: ROOT, write: false });
    expect(Object.keys(result.metafile?.inputs ?? {}).length).toBeGreaterThan(100);
    expect(placeBoundInputs(result.metafile)).toEqual([]);
  });

  it('a module a plugin names by its absolute path fails the check', () => {
    const inputs = {
      'src/cli/bin.ts': {},
      'zod-english-only:/home/me/taskhooks/node_modules/zod/v4/locales/en.js': {},
    };
    expect(placeBoundInputs({ inputs })).toEqual([
      'zod-english-only:/home/me/taskhooks/node_modules/zod/v4/locales/en.js is named by an absolute path: return a path relative to the checkout from the plugin',
    ]);
  });
});

describe('hot-path bundles (scripts/bundles.mjs)', () => {
  const { hookBuild, lazyHookBuild, entryFileBuild } = buildOptions(ROOT, path.join(ROOT, 'dist')) as {
    hookBuild: (outdir: string) => Record<string, unknown>;
    lazyHookBuild: (outdir: string) => Record<string, unknown>;
    entryFileBuild: (outdir: string, entry: string) => Record<string, unknown>;
  };

  it('the hooks as built contain none of the heavy packages and no lazy module', async () => {
    const out = tempTree({});
    const result = await build({ ...hookBuild(out), absWorkingDir: ROOT, write: false });
    expect(hotPathProblems(result.metafile)).toEqual([]);
  });

  it('the lazy files of the hooks as built hold their own module and none of the heavy packages or other lazy modules', async () => {
    const result = await build({ ...lazyHookBuild(tempTree({})), absWorkingDir: ROOT, write: false });
    expect(Object.keys(result.metafile?.outputs ?? {}).length).toBeGreaterThanOrEqual(5);
    expect(hotPathProblems(result.metafile)).toEqual([]);
  });

  it('a lazy file of the hooks that imports the MCP SDK fails the check', async () => {
    const entry = path.join(ROOT, 'test/foundation/fixtures/sdk-hook.ts');
    const result = await build({
      ...lazyHookBuild(tempTree({})),
      entryPoints: { 'hooks/lazy/bash': entry },
      absWorkingDir: ROOT,
      write: false,
    });
    const problems = hotPathProblems(result.metafile) as string[];
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(
      /^hooks\/lazy\/bash\.js contains (\.\.\/)*([^/]+\/)*node_modules\/@modelcontextprotocol\/sdk\/.*: the MCP SDK/,
    );
  });

  it('an entry file Claude Code runs holds only the runner of its bundle', async () => {
    const result = await build({
      ...entryFileBuild(tempTree({}), 'hooks/pre-tool-use'),
      absWorkingDir: ROOT,
      write: false,
    });
    const inputs = Object.values(result.metafile?.outputs ?? {}).flatMap((o) => Object.keys(o.inputs));
    // The first is the entry's own few lines (the build's stdin, named after the file); monitor-late.ts holds the flag
    // that has the entry ask the monitor before the bundle loads.
    expect(inputs.sort()).toEqual([
      'hooks/pre-tool-use.js',
      'src/home/monitor-late.ts',
      'src/hooks/hosts/code-cache-mark.ts',
      'src/hooks/hosts/code-cache.ts',
    ]);
  });

  it('a hook entry that imports the MCP SDK fails the check', async () => {
    const out = tempTree({});
    const entry = path.join(ROOT, 'test/foundation/fixtures/sdk-hook.ts');
    const result = await build({
      ...hookBuild(out),
      entryPoints: { 'hooks/code/pre-tool-use': entry },
      absWorkingDir: ROOT,
      write: false,
    });
    const problems = hotPathProblems(result.metafile) as string[];
    // The SDK brings zod with it, refused too: the SDK's own line is among them.
    expect(
      problems.some((p) =>
        /^hooks\/code\/pre-tool-use\.js contains node_modules\/@modelcontextprotocol\/sdk\/.*: the MCP SDK/.test(p),
      ),
    ).toBe(true);
  });

  it('a hook that takes in the dashboard fails the check: the page adds nothing to a hook', async () => {
    const result = await build({
      ...hookBuild(tempTree({})),
      entryPoints: { 'hooks/code/pre-tool-use': path.join(ROOT, 'test/foundation/fixtures/dashboard-hook.ts') },
      absWorkingDir: ROOT,
      write: false,
    });
    expect(hotPathProblems(result.metafile)).toContain(
      "hooks/code/pre-tool-use.js contains src/dashboard/html.ts: the dashboard (the monitor's page: nothing of it belongs on a hook's path)",
    );
  });

  it('a hook that takes in the config schema fails the check: it and zod load only when the config cache misses', async () => {
    const build_ = (name: string) =>
      build({
        ...hookBuild(tempTree({})),
        entryPoints: { [name]: path.join(ROOT, 'test/foundation/fixtures/schema-hook.ts') },
        absWorkingDir: ROOT,
        write: false,
      });
    // Every hook is held to it, PostToolUse too: it reads task tools' answers with zod from a lazy file.
    for (const hook of ['pre-tool-use', 'post-tool-use']) {
      const problems = hotPathProblems((await build_(`hooks/code/${hook}`)).metafile) as string[];
      expect(problems).toContain(
        `hooks/code/${hook}.js contains src/config/schema.ts: the config schema (loaded with src/config/load.ts, lazily)`,
      );
      expect(problems.some((p) => p.startsWith(`hooks/code/${hook}.js contains node_modules/zod/`))).toBe(true);
    }
  });

  it('the status line is held to the same rule: pino or full zod in it fails the check', async () => {
    const out = tempTree({});
    const entry = tempTree({
      'heavy.ts':
        "import pino from 'pino';\nimport { z } from 'zod';\nprocess.stdout.write(String(typeof pino) + String(typeof z));\n",
    });
    const result = await build({
      ...hookBuild(out),
      entryPoints: { 'hooks/code/status-line': path.join(entry, 'heavy.ts') },
      absWorkingDir: ROOT,
      nodePaths: [path.join(ROOT, 'node_modules')],
      write: false,
    });
    const problems = hotPathProblems(result.metafile) as string[];
    expect(problems.some((p) => /^hooks\/code\/status-line\.js contains node_modules\/pino\/.*: pino/.test(p))).toBe(
      true,
    );
    expect(
      problems.some((p) =>
        /^hooks\/code\/status-line\.js contains node_modules\/zod\/v4\/classic\/.*: zod's full build/.test(p),
      ),
    ).toBe(true);
  });
});
