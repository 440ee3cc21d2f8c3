// A repository's git configuration runs nothing through taskhooks: one real repository per key that makes git start
// a program, that program writing a marker file; the hooks, `context`, `doctor` and the monitor's git reads leave no
// marker and still read the state, while plain git in the same repository writes it (so the test proves something).
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git, makeRepo } from '../helpers/git.js';
import {
  hookEnv,
  preToolUseInput,
  ROOT,
  runHook,
  seedSnapshot,
  sessionStartInput,
  task,
  tempHome,
  withHomeCache,
} from '../helpers/hooks.js';
import { silentLogger } from '../helpers/cache.js';
import { runCli, runCliOk } from '../helpers/cli.js';
import { waitFor } from '../monitor/helpers.js';
import { readGitState } from '../../src/cache/git-state.js';
import { registerProject } from '../../src/cache/registered-projects.js';
import { productionServices } from '../../src/monitor/services.js';
import { simpleGitRunner } from '../../src/git/simple.js';
import { collectGitState, listLocalBranches } from '../../src/git/state.js';
import { configuredNames, safeGit, spawnGitRunner, UnsafeConfigNameError } from '../../src/git/safe.js';

const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

interface Hostile {
  dir: string;
  markers: string;
  /** The marker files written so far. */
  written(): string[];
}

/** A program that records it ran in `markers/<name>`, then does `tail` (pass stdin through, fail, or succeed). */
function program(markers: string, name: string, tail: 'cat' | 'fail' | 'ok'): string {
  const file = path.join(path.dirname(markers), `${name}.sh`);
  const end = tail === 'cat' ? 'exec cat' : tail === 'fail' ? 'exit 1' : 'exit 0';
  writeFileSync(file, `#!/bin/sh\necho "$0 $*" >> '${path.join(markers, name)}'\n${end}\n`);
  chmodSync(file, 0o755);
  return file;
}

/**
 * A repository `demo` on main with a committed `a.txt` (named by .gitattributes for the filter `evil`) and `b.txt`;
 * `configure` then sets the hostile config. b.txt is changed (1 modified), and a.txt's mtime moved, so a status must
 * hash a.txt: through the clean filter when one is configured. Nothing has refreshed the index since.
 */
function hostileRepo(configure: (dir: string, markers: string) => void): Hostile {
  const repo = makeRepo({ name: 'demo', commits: [] });
  cleanups.push(repo.cleanup);
  const dir = repo.dir;
  const markers = path.join(path.dirname(dir), 'markers');
  mkdirSync(markers);
  writeFileSync(path.join(dir, '.gitattributes'), '*.txt filter=evil\n');
  writeFileSync(path.join(dir, 'a.txt'), 'same content\n');
  writeFileSync(path.join(dir, 'b.txt'), 'first\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'hostile start');
  configure(dir, markers);
  writeFileSync(path.join(dir, 'b.txt'), 'first, then changed\n');
  const past = new Date(Date.now() - 3_600_000);
  utimesSync(path.join(dir, 'a.txt'), past, past);
  return { dir, markers, written: () => readdirSync(markers) };
}

/** Plain git, as a user runs it (stdout a pipe): the control. */
function plainGit(dir: string, ...args: string[]): void {
  spawnSync('git', args, { cwd: dir, stdio: 'ignore', env: { ...process.env, HOME: dir, GIT_CONFIG_NOSYSTEM: '1' } });
}

const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

interface Key {
  name: string;
  configure(dir: string, markers: string): void;
  /** What makes plain git run the repository's program. */
  control(dir: string): void;
  /** False where no plain git command without a terminal runs it (core.pager), and `script` is missing. */
  controllable?: boolean;
}

const KEYS: Key[] = [
  {
    name: 'core.fsmonitor',
    configure: (dir, m) => git(dir, 'config', 'core.fsmonitor', program(m, 'fsmonitor', 'fail')),
    control: (dir) => plainGit(dir, 'status'),
  },
  {
    name: 'a clean filter named by .gitattributes',
    configure: (dir, m) => {
      git(dir, 'config', 'filter.evil.clean', program(m, 'clean', 'cat'));
      git(dir, 'config', 'filter.evil.required', 'true');
    },
    control: (dir) => plainGit(dir, 'status'),
  },
  {
    name: 'a process filter',
    configure: (dir, m) => git(dir, 'config', 'filter.evil.process', program(m, 'process', 'fail')),
    control: (dir) => plainGit(dir, 'status'),
  },
  {
    name: 'hooks in core.hooksPath',
    configure: (dir, m) => {
      const hooks = path.join(path.dirname(dir), 'hooks');
      mkdirSync(hooks);
      for (const hook of [
        'post-index-change',
        'reference-transaction',
        'post-checkout',
        'pre-auto-gc',
        'post-rewrite',
      ]) {
        writeFileSync(path.join(hooks, hook), readFileSync(program(m, hook, 'ok')));
        chmodSync(path.join(hooks, hook), 0o755);
      }
      git(dir, 'config', 'core.hooksPath', hooks);
    },
    // A status refreshes the index it finds stale and writes it: post-index-change runs.
    control: (dir) => plainGit(dir, 'status'),
  },
  {
    name: 'core.pager',
    configure: (dir, m) => git(dir, 'config', 'core.pager', program(m, 'pager', 'cat')),
    // git pages only to a terminal: the control gives it one.
    control: (dir) =>
      spawnSync('script', ['-qec', 'git log -1', '/dev/null'], {
        cwd: dir,
        stdio: 'ignore',
        env: { ...process.env, HOME: dir },
      }),
    controllable: hasScript,
  },
  {
    name: 'diff.external',
    configure: (dir, m) => git(dir, 'config', 'diff.external', program(m, 'diff-external', 'ok')),
    control: (dir) => plainGit(dir, 'diff'),
  },
  {
    name: 'an include.path that brings in core.fsmonitor and a filter',
    configure: (dir, m) => {
      const included = path.join(path.dirname(dir), 'included.gitconfig');
      writeFileSync(
        included,
        `[core]\n\tfsmonitor = ${program(m, 'included-fsmonitor', 'fail')}\n[filter "evil"]\n\tclean = ${program(m, 'included-clean', 'cat')}\n`,
      );
      git(dir, 'config', 'include.path', included);
    },
    control: (dir) => plainGit(dir, 'status'),
  },
];

/** The context's git line, its age (said when the state came from the cache) left out. */
function gitLine(text: string): string {
  const line = text.split('\n').find((l) => /^Git( \(as of [^)]*\))?:/.test(l)) ?? '';
  return line.replace(/^Git \(as of [^)]*\):/, 'Git:');
}

describe('a hostile repository runs nothing through taskhooks', () => {
  for (const key of KEYS) {
    it(`${key.name}: hooks, context, doctor and the monitor run nothing and still read the state`, async () => {
      const repo = hostileRepo(key.configure);
      const { home, cleanup } = tempHome();
      cleanups.push(cleanup);
      seedSnapshot(home, {
        sourceKey: 'embedded',
        project: 'demo',
        branch: 'main',
        tasks: [task('T-1', { title: 'Parser' })],
      });
      expect(repo.written()).toEqual([]);

      const start = await runHook('session-start', sessionStartInput(repo.dir), { home });
      expect(start.code).toBe(0);
      expect(gitLine(start.output?.hookSpecificOutput.additionalContext ?? '')).toBe(
        'Git: branch main (no upstream); 0 staged, 1 modified, 0 untracked.',
      );

      const pre = await runHook('pre-tool-use', preToolUseInput(repo.dir, 'Bash', { command: 'git commit -m wip' }), {
        home,
      });
      expect(pre.code).toBe(0);

      const cli = (args: string[]) => runCli(args, { cwd: repo.dir, env: hookEnv(home) });
      const context = await runCliOk(['context', '--dir', repo.dir, '--offline'], {
        cwd: repo.dir,
        env: hookEnv(home),
      });
      expect(gitLine(context.stdout)).toBe('Git: branch main (no upstream); 0 staged, 1 modified, 0 untracked.');
      const doctor = await cli(['doctor', '--json']);
      const steps = (JSON.parse(doctor.stdout) as { steps: Array<{ name: string; ok: boolean; detail: string }> })
        .steps;
      expect(steps.find((s) => s.name === 'git')).toMatchObject({
        ok: true,
        detail: 'main: 0 staged, 1 modified, 0 untracked',
      });

      const monitorGit = productionServices(hookEnv(home));
      const state = await monitorGit.collectGitState(repo.dir, silentLogger());
      expect(state).toMatchObject({ branch: 'main', modified: 1, staged: 0, untracked: 0 });
      expect(await listLocalBranches(repo.dir, simpleGitRunner)).toEqual(['main']);

      expect(repo.written()).toEqual([]);
      if (key.controllable === false) return;
      key.control(repo.dir);
      expect(repo.written().length).toBeGreaterThan(0);
    });
  }

  it('a real monitor refreshing a hostile repository runs nothing and stores its state', async () => {
    const include = KEYS.find((k) => k.name.startsWith('an include.path')) as Key;
    const hooks = KEYS.find((k) => k.name.startsWith('hooks in')) as Key;
    const repo = hostileRepo((dir, m) => {
      include.configure(dir, m);
      hooks.configure(dir, m);
    });
    const { home, cleanup } = tempHome({
      monitor: { hookPort: 0, taskSchedule: '* * * * * *', gitSchedule: '* * * * * *' },
    });
    cleanups.push(cleanup);
    withHomeCache(home, (s) =>
      registerProject(s, { root: repo.dir, name: 'demo', sourceKey: 'embedded', registeredBy: 'test' }),
    );
    const started = Date.now();
    const monitor = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'monitor', 'run'], {
      env: hookEnv(home),
      cwd: home,
      stdio: 'ignore',
    });
    cleanups.push(() => monitor.kill('SIGKILL'));
    const stored = await waitFor(
      'the git state the monitor read',
      () =>
        withHomeCache(home, (s) => {
          const row = readGitState(s, repo.dir);
          return row && row.fetchedAt >= started ? row.state : undefined;
        }),
      30_000,
    );
    monitor.kill('SIGTERM');
    await new Promise((r) => monitor.once('exit', r));
    expect(stored).toMatchObject({ branch: 'main', modified: 1, staged: 0 });
    expect(repo.written()).toEqual([]);
    plainGit(repo.dir, 'status');
    expect(repo.written().length).toBeGreaterThan(0);
  });

  it('a filter name that cannot be switched off on the command line: no status is run, and the hook says so', async () => {
    const repo = hostileRepo((dir, m) => {
      writeFileSync(path.join(dir, '.gitattributes'), '*.txt filter=a=b\n');
      git(dir, 'config', 'filter.a=b.clean', program(m, 'clean', 'cat'));
    });
    expect(() => safeGit(['status'], { configured: configuredNames('filter.a=b.clean\nx\0') })).toThrow(
      UnsafeConfigNameError,
    );
    expect(await collectGitState(repo.dir, silentLogger())).toBeNull();
    expect(await collectGitState(repo.dir, silentLogger(), simpleGitRunner)).toBeNull();
    expect(repo.written()).toEqual([]);
    plainGit(repo.dir, 'status');
    expect(repo.written()).toEqual(['clean']);
  });

  it('switches off every filter driver and protocol allowance the config names, includes followed', async () => {
    const repo = hostileRepo((dir) => {
      const included = path.join(path.dirname(dir), 'more.gitconfig');
      writeFileSync(included, '[filter "from include"]\n\tsmudge = x\n[protocol "ext"]\n\tallow = always\n');
      git(dir, 'config', 'include.path', included);
      git(dir, 'config', 'filter.lfs.process', 'x');
    });
    const listing = await spawnGitRunner.run(repo.dir, safeGit(['config', '--list', '-z']));
    expect(listing.ok).toBe(true);
    const names = configuredNames(listing.ok ? listing.stdout : '');
    expect(names).toEqual({ filters: ['from include', 'lfs'], protocols: ['ext'] });
    const call = safeGit(['status'], { configured: names });
    expect(call.config).toEqual(
      expect.arrayContaining([
        'core.fsmonitor=false',
        'filter.from include.smudge=',
        'filter.lfs.process=',
        'filter.lfs.required=false',
        'protocol.ext.allow=never',
        'protocol.allow=never',
      ]),
    );
    expect(call.args.slice(0, 2)).toEqual(['--no-pager', '--no-optional-locks']);
  });

  it('even given a terminal, the protected invocation pages nothing', () => {
    if (!hasScript) return;
    const repo = hostileRepo((dir, m) => git(dir, 'config', 'core.pager', program(m, 'pager', 'cat')));
    const argv = [...safeGit(['log', '-1']).config.flatMap((c) => ['-c', `'${c}'`]), '--no-pager', 'log', '-1'].join(
      ' ',
    );
    spawnSync('script', ['-qec', `git ${argv}`, '/dev/null'], {
      cwd: repo.dir,
      stdio: 'ignore',
      env: { ...process.env, HOME: repo.dir },
    });
    expect(repo.written()).toEqual([]);
    spawnSync('script', ['-qec', 'git log -1', '/dev/null'], {
      cwd: repo.dir,
      stdio: 'ignore',
      env: { ...process.env, HOME: repo.dir },
    });
    expect(repo.written()).toEqual(['pager']);
  });
});

describe('one way to run git', () => {
  it('nothing in src spawns git but src/git/safe.ts (the hooks) and src/git/simple.ts (simple-git)', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, name.name);
        if (name.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) {
          const text = readFileSync(p, 'utf8');
          const rel = path.relative(ROOT, p);
          if (
            /\b(spawn|spawnSync|execFile|execFileSync|exec|execSync)\(\s*['"`]git\b/.test(text) &&
            rel !== 'src/git/safe.ts'
          )
            offenders.push(rel);
          if (/from 'simple-git'/.test(text) && rel !== 'src/git/simple.ts') offenders.push(rel);
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    walk(path.join(ROOT, 'hooks'));
    expect(existsSync(path.join(ROOT, 'src/git/safe.ts'))).toBe(true);
    expect(offenders).toEqual([]);
  });
});
