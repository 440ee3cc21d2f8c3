// `node scripts/checks.mjs`: the checks `npm test` makes before vitest (package.json's typecheck, lint and layers
// scripts, each `&&` step of one on its own), run at once. Each is mostly one thread, so one after another they left a
// core idle for most of a minute; at once they take about as long as the longest. A failing check's output is printed
// under its name, after all have ended, so that two failures do not interleave.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHECKS = ['typecheck', 'lint', 'layers'];

const { scripts } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const steps = CHECKS.flatMap((name) => {
  if (!scripts[name]) throw new Error(`package.json has no "${name}" script, which scripts/checks.mjs runs`);
  return scripts[name].split('&&').map((command) => ({ name, command: command.trim() }));
});

/** One step through the shell npm would use, with npm's PATH (node_modules/.bin first); its output kept. */
function run({ name, command }) {
  return new Promise((resolve) => {
    const bin = path.join(root, 'node_modules', '.bin');
    const env = { ...process.env, PWD: root, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
    const child = spawn(command, { cwd: root, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    child.on('error', (err) => resolve({ name, command, code: 1, output: `${output}${err.message}\n` }));
    child.on('close', (code, signal) => resolve({ name, command, code: code ?? 1, signal, output }));
  });
}

const results = await Promise.all(steps.map(run));
const failed = results.filter((r) => r.code !== 0);
for (const r of results) if (r.code === 0 && r.output.trim()) process.stdout.write(r.output);
for (const r of failed) {
  const how = r.signal ? `killed by ${r.signal}` : `exit ${r.code}`;
  process.stderr.write(`\n${r.name} failed (${how}): ${r.command}\n${r.output}`);
}
process.exitCode = failed.length > 0 ? 1 : 0;
