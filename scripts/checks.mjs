// `node scripts/checks.mjs [COMMAND ARGS…]`: the checks `npm test` makes (package.json's typecheck, lint and layers
// scripts, each `&&` step of one on its own), run at once. Each is mostly one thread, so one after another they left a
// core idle for most of a minute; at once they take about as long as the longest. The typecheck alone still held one
// core for most of a minute while the other waited, so a COMMAND given (`npm test` gives `vitest run`) runs beside
// them, its output as it comes. A failing check's output is printed under its name after all have ended, so that two
// failures do not interleave, and any failure, a check's or the command's, fails the whole.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MACHINE_NODE_ENV, suiteNode } from './suite-node.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHECKS = ['typecheck', 'lint', 'layers'];

const { scripts } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const steps = CHECKS.flatMap((name) => {
  if (!scripts[name]) throw new Error(`package.json has no "${name}" script, which scripts/checks.mjs runs`);
  return scripts[name].split('&&').map((command) => ({ name, command: command.trim() }));
});

/** npm's environment for a step: node_modules/.bin first on PATH. */
const env = {
  ...process.env,
  PWD: root,
  PATH: `${path.join(root, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
};

/**
 * tsc keeps its compiled code in Node's compile cache, by default a folder of the machine's temp dir that outlives the
 * run: the checks keep it with the project's other caches instead. Not the suite's: every Node its tests start would
 * then cache its code, which the hooks and the monitor decide for themselves.
 */
const checkEnv = { ...env, NODE_COMPILE_CACHE: path.join(root, 'node_modules', '.cache', 'node-compile-cache') };

/** One step through the shell npm would use, with npm's PATH; its output kept. */
function run({ name, command }) {
  return new Promise((resolve) => {
    const child = spawn(command, { cwd: root, env: checkEnv, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    child.on('error', (err) => resolve({ name, command, code: 1, output: `${output}${err.message}\n` }));
    child.on('close', (code, signal) => resolve({ name, command, code: code ?? 1, signal, output }));
  });
}

/**
 * The command beside the checks, its arguments as given (no shell), its output straight through; its exit status.
 * vitest runs on a Node taskhooks supports (scripts/suite-node.mjs).
 */
function runBeside([command, ...args]) {
  let argv = [command, ...args];
  let childEnv = env;
  if (command === 'vitest') {
    let chosen;
    try {
      chosen = suiteNode(root);
    } catch (err) {
      process.stderr.write(`${err.message}\n`);
      return Promise.resolve(1);
    }
    if (chosen.why) process.stdout.write(`${chosen.why}\n`);
    argv = [chosen.node, path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), ...args];
    // The machine's own Node, which the suite then no longer runs on, is still one the smoke path runs on.
    if (chosen.node !== process.execPath) childEnv = { ...env, [MACHINE_NODE_ENV]: process.execPath };
  }
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: root, env: childEnv, stdio: 'inherit' });
    child.on('error', (err) => {
      process.stderr.write(`${command} could not start: ${err.message}\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const beside = process.argv.length > 2 ? runBeside(process.argv.slice(2)) : Promise.resolve(0);
const results = await Promise.all(steps.map(run));
const failed = results.filter((r) => r.code !== 0);
const besideCode = await beside;
for (const r of results) if (r.code === 0 && r.output.trim()) process.stdout.write(r.output);
for (const r of failed) {
  const how = r.signal ? `killed by ${r.signal}` : `exit ${r.code}`;
  process.stderr.write(`\n${r.name} failed (${how}): ${r.command}\n${r.output}`);
}
process.exitCode = failed.length > 0 || besideCode !== 0 ? 1 : 0;
