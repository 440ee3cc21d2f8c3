#!/usr/bin/env node
// `taskhooks tasks …`, the commands people run most, and `monitor run`, which new sessions wait for after a reboot, come
// from builds of their own (scripts/bundles.mjs): the whole CLI's split build spreads a `tasks` run over some seventy
// files and a monitor's start over 160, and Node's module loader pays for each. The build is chosen here, before
// anything of any loads, so no module of one runs beside its copy in another.
import nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';

// Node 22's compile cache (Node 20 has none, nor do its types): V8's code for the CLI's files kept beside them and
// checked against each file's content, so a run compiles only what changed. Where the folder cannot be written (a
// global install owned by root) Node says so to nobody and every run compiles, as it would without it.
const { enableCompileCache } = nodeModule as { enableCompileCache?: (dir: string) => unknown };
enableCompileCache?.(fileURLToPath(new URL('./.compile-cache', import.meta.url)));
// `taskhooks`, `--help` or `--version` alone loads no command: a build of their own holds what they need in one file,
// where the whole CLI's spreads it over some seventeen.
const words = process.argv.slice(2);
const topOnly =
  words.length === 0 || (words.length === 1 && ['--help', '-h', 'help', '--version', '-v'].includes(words[0] ?? ''));
const monitor = words[0] === 'monitor' && words[1] === 'run';
await (words[0] === 'tasks'
  ? import('./cli-tasks.js')
  : monitor
    ? import('./cli-monitor.js')
    : topOnly
      ? import('./cli-help.js')
      : import('./start.js'));
