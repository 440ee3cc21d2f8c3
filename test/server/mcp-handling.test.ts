// The HTTP server loads its MCP machinery (mcp-handling.ts) at the first MCP request the derived listing does not
// answer (modern.ts, itself loaded by the first MCP request), so the monitor's store server, which answers only health
// checks and sessions' listings until a session calls a tool, keeps no MCP SDK resident meanwhile.
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/hooks.js';

/** The packages and files the built `entry` imports without an `import()`, through its statically loaded chunks. */
async function staticImports(entry: string): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    outdir: path.join(ROOT, 'never-written'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs: Metafile['outputs'] = metafile.outputs;
  const first = Object.keys(outputs).find((o) => outputs[o]?.entryPoint !== undefined);
  const seen = new Set<string>();
  const found: string[] = [];
  const walk = (out: string): void => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const i of outputs[out]?.imports ?? []) {
      if (i.kind !== 'import-statement') continue;
      if (i.external) found.push(i.path);
      else walk(path.relative(ROOT, path.resolve(ROOT, i.path)));
    }
    for (const input of Object.keys(outputs[out]?.inputs ?? {})) found.push(input);
  };
  if (first) walk(first);
  return found;
}

it('the HTTP server loads neither the MCP SDK nor its MCP handling until an MCP request', async () => {
  const loaded = await staticImports('src/server/http.ts');
  expect(loaded).toContain('src/server/http.ts');
  const mcp = loaded.filter((p) => p.startsWith('@modelcontextprotocol/sdk') || /(mcp-handling|modern)\.ts$/.test(p));
  expect(mcp).toEqual([]);
});
