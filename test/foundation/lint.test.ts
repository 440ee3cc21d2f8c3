// `npm run lint` (Biome, with the project's biome.jsonc) fails on a file that is not formatted the house's way and on
// one that breaks a lint rule, and passes one that does neither: shown on files written to a temp dir, like the
// layer rules' test, so the check itself is tested and not only the tree it runs on.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/hooks.js';

const BIOME = path.join(ROOT, 'node_modules', '.bin', 'biome');
const dir = mkdtempSync(path.join(os.tmpdir(), 'th-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(file: string, text: string): { status: number | null; output: string } {
  writeFileSync(path.join(dir, file), text);
  const r = spawnSync(BIOME, ['check', '--colors=off', `--config-path=${path.join(ROOT, 'biome.jsonc')}`, file], {
    cwd: dir,
    encoding: 'utf8',
    // Biome keeps a cache folder under XDG_CACHE_HOME, else in the real home's ~/.cache.
    env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'xdg-cache') },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('biome check with the project config', () => {
  it('passes a file formatted the house way (single quotes, semicolons, 120 columns) that breaks no rule', () => {
    const r = check('clean.ts', "export const greeting = { text: 'hello', count: 1 };\n");
    expect(r.output).not.toMatch(/lint\/|format/);
    expect(r.status).toBe(0);
  });

  it('fails a file that is not formatted, and says it is the formatter', () => {
    const r = check('unformatted.ts', 'export const greeting = {text:"hello",count:1}\n');
    expect(r.status).toBe(1);
    expect(r.output).toContain('unformatted.ts format');
  });

  it('fails a formatted file that breaks a lint rule, naming the rule', () => {
    const r = check('debugger.ts', 'export function f(x: number): number {\n  if (x == 1) debugger;\n  return x;\n}\n');
    expect(r.status).toBe(1);
    expect(r.output).toContain('lint/suspicious/noDebugger');
    expect(r.output).toContain('lint/suspicious/noDoubleEquals');
  });
});
