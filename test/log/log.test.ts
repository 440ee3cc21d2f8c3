// Logging: secrets never reach the log files in any shape, and the hooks' deferred logger is free when quiet and
// synchronous when not.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createAsyncFileLogger,
  createFileLogger,
  deferLogger,
  deferredLogger,
  registerSecret,
  type Logger,
} from '../../src/log/index.js';
import { scrubString, swapSecrets } from '../../src/log/redact.js';
import { loadConfig } from '../../src/config/load.js';
import { bundleFixture, cleanEnv, cliHere, modeOf, readLogs, runNode, tempDir } from '../foundation/helpers.js';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.remove());

const SECRETS = {
  clientSecret: 'kc-secret-Q1w2E3r4T5y6',
  bearer: 'eyJhbGciOiJSUzI1NiJ9.payload-Z9x8C7v6.sig-B5n4M3',
  apiKey: 'tt-apikey-A1s2D3f4G5h6',
  staticToken: 'mcp-static-H7j8K9l0P1o2',
  unregistered: 'sk-never-registered-U7i8O9p0',
};

describe('secrets are absent from the log files', () => {
  it('whatever shape they are logged in', () => {
    const home = tmp.dir;
    // The way the CLI and hooks do it: every configured secret is registered once config is loaded.
    const loaded = loadConfig({
      cwd: tmp.dir,
      env: {
        TASKHOOKS_HOME: home,
        KEYCLOAK_CLIENT_SECRET: SECRETS.clientSecret,
        TASK_TRACKING_API_KEY: SECRETS.apiKey,
        MCP_API_TOKEN: SECRETS.staticToken,
      },
    });
    for (const s of [loaded.config.auth.clientSecret, loaded.config.auth.apiKey, loaded.config.auth.token])
      registerSecret(s);

    const { logger, flush, file } = createFileLogger({
      home,
      file: 'cli.log',
      sync: true,
      level: 'trace',
      name: 'test',
    });
    logger.info({ clientSecret: SECRETS.clientSecret, client_secret: SECRETS.unregistered }, 'object keys');
    logger.info(
      {
        request: {
          url: 'http://127.0.0.1/mcp',
          headers: { Authorization: `Bearer ${SECRETS.bearer}`, 'X-API-Key': SECRETS.unregistered },
        },
      },
      'nested headers',
    );
    logger.warn(
      {
        err: new Error(`token endpoint rejected client secret ${SECRETS.clientSecret}`, {
          cause: new Error(`Bearer ${SECRETS.bearer} expired`),
        }),
      },
      'error message',
    );
    logger.error(new Error(`401 for api key ${SECRETS.apiKey}`));
    logger.info(`sending Authorization: Bearer ${SECRETS.bearer}`);
    logger.info({ server: 'http://127.0.0.1:9/mcp' }, `retrying with ${SECRETS.staticToken}`);
    logger.debug(
      { list: [{ apiKey: SECRETS.unregistered }, `Basic ${Buffer.from('u:p4ssw0rd').toString('base64')}`] },
      'arrays',
    );
    logger.child({ token: SECRETS.unregistered, authorization: `Bearer ${SECRETS.bearer}` }).info('child bindings');
    const deferred = deferredLogger({ home, file: 'hooks.log', sync: true, level: 'info' }).child({
      apiKey: SECRETS.unregistered,
    });
    deferred.info({ accessToken: SECRETS.bearer }, `deferred ${SECRETS.staticToken}`);
    flush();

    const text = readLogs(home);
    if (process.env.SHOW_LOG) console.log(text);
    expect(text.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(9);
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(text.includes(secret), `${name} leaked`).toBe(false);
      // Not even a recognisable prefix of the token.
      expect(text.includes(secret.slice(0, 12)), `${name} prefix leaked`).toBe(false);
    }
    expect(text).not.toContain('p4ssw0rd');
    expect(text).not.toContain(Buffer.from('u:p4ssw0rd').toString('base64'));
    expect(text).toContain('[redacted]');
    expect(text).toContain('http://127.0.0.1:9/mcp');
    expect(modeOf(file)).toBe(0o600);
  });

  it('a CLI run with secrets in the environment and a failure leaves none in cli.log', async () => {
    const home = path.join(tmp.dir, 'state');
    const env = cleanEnv({
      TASKHOOKS_HOME: home,
      TASKHOOKS_LOG_LEVEL: 'trace',
      KEYCLOAK_CLIENT_SECRET: SECRETS.clientSecret,
      MCP_API_TOKEN: SECRETS.staticToken,
      TASK_TRACKING_API_KEY: SECRETS.apiKey,
      MCP_SERVER_URL: 'http://127.0.0.1:9',
    });
    // A corrupt cache makes the CLI log (the recovery) before it answers.
    await cliHere(['cache', 'stats'], { env });
    writeFileSync(path.join(home, 'cache.db'), 'garbage '.repeat(1000));
    const r = await cliHere(['cache', 'stats', '--json'], { env });
    expect(r.status).toBe(0);
    const text = readLogs(home);
    expect(text).toContain('moved aside');
    for (const secret of [SECRETS.clientSecret, SECRETS.staticToken, SECRETS.apiKey]) {
      expect(text).not.toContain(secret);
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });
});

describe('one process running command after command (the tests run the CLI in theirs)', () => {
  it('each command starts with no secret registered and leaves none of its own behind', () => {
    registerSecret('moon river sings outside');
    const outside = swapSecrets([]);
    expect(scrubString('moon river sings outside')).toBe('moon river sings outside');
    registerSecret('moon river sings inside');
    expect(scrubString('moon river sings inside')).not.toContain('moon river');
    expect(swapSecrets(outside)).toEqual(['moon river sings inside']);
    expect(scrubString('moon river sings inside')).toBe('moon river sings inside');
    expect(scrubString('moon river sings outside')).not.toContain('moon river');
  });

  it('the CLI lets its log file go once the command is done', async () => {
    const home = path.join(tmp.dir, 'state');
    const env = cleanEnv({ TASKHOOKS_HOME: home });
    await cliHere(['cache', 'stats'], { env });
    // A corrupt cache makes the CLI log (the recovery) before it answers.
    writeFileSync(path.join(home, 'cache.db'), 'garbage '.repeat(1000));
    const r = await cliHere(['cache', 'stats'], { env });
    expect(r.status, r.stderr).toBe(0);
    expect(readLogs(home)).toContain('moved aside');
    // Closed after its last line is synced, which Node finishes off the main thread.
    const held = (): string[] =>
      readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          const file = readlinkSync(`/proc/self/fd/${fd}`);
          return file.startsWith(home) ? [file] : [];
        } catch {
          return []; // closed while listed
        }
      });
    await vi.waitFor(() => expect(held()).toEqual([]), { timeout: 10_000, interval: 20 });
  });
});

describe('a log file that cannot be opened', () => {
  it('is said once on stderr and the process goes on: a folder where its file should be', async () => {
    const home = path.join(tmp.dir, 'state');
    // The destination opens the file after createAsyncFileLogger returns, and fails there every time, as it does when
    // the home is deleted under a monitor (deleting it here would race that open on another thread).
    mkdirSync(path.join(home, 'logs', 'monitor.log'), { recursive: true });
    const said = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const fl = createAsyncFileLogger({ home, file: 'monitor.log' });
      fl.logger.info('into a file that will not open');
      await vi.waitFor(() => expect(said).toHaveBeenCalled(), { timeout: 10_000, interval: 20 });
      const lines = said.mock.calls.map(([line]) => String(line));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^taskhooks: cannot write \S+ \(E[A-Z]+: .+\); its lines are lost\n$/);
      expect(lines[0]).toContain(`write ${path.join(home, 'logs', 'monitor.log')} (`);
      // The lines after it are dropped, and the writer still closes.
      fl.logger.info('and again');
      fl.flush();
      fl.close();
      expect(said).toHaveBeenCalledTimes(1);
    } finally {
      said.mockRestore();
    }
  });
});

describe('a log file that cannot be opened, as the process ends', () => {
  it('throws nothing as the process exits', async () => {
    const home = path.join(tmp.dir, 'state');
    mkdirSync(path.join(home, 'logs', 'monitor.log'), { recursive: true });
    const fixture = await bundleFixture(path.join(import.meta.dirname, '../foundation/fixtures/async-log-exit.ts'));
    try {
      const run = await runNode([fixture, home]);
      expect(run.status).toBe(0);
      expect(run.stderr).toBe('');
    } finally {
      rmSync(fixture, { force: true });
    }
  });
});

describe('deferredLogger', () => {
  let worker: string;
  beforeAll(async () => {
    worker = await bundleFixture(path.join(import.meta.dirname, '../foundation/fixtures/log-worker.ts'));
  });
  afterAll(() => rmSync(worker, { force: true }));

  interface Seen {
    quiet: { logDirExists: boolean; pinoLoaded: boolean };
    inFileRightAfter: boolean;
    pinoLoadedAfter: boolean;
  }

  it('below its level writes nothing and never loads pino', async () => {
    const r = await runNode([worker, tmp.dir, 'warn', 'exit']);
    expect(r.status, r.stderr).toBe(0);
    const seen = JSON.parse(r.stdout) as Seen;
    expect(seen.quiet).toEqual({ logDirExists: false, pinoLoaded: false });
    expect(seen.pinoLoadedAfter).toBe(true);
    expect(seen.inFileRightAfter).toBe(true);
  });

  it('at its level writes synchronously: the line survives an immediate SIGKILL', async () => {
    const r = await runNode([worker, tmp.dir, 'error', 'kill']);
    expect(r.status).toBeNull();
    const seen = JSON.parse(r.stdout) as Seen;
    expect(seen.inFileRightAfter).toBe(true);
    const lines = readFileSync(path.join(tmp.dir, 'logs', 'hooks.log'), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 50,
      msg: 'error line',
      code: 'E_TEST',
      run: 'r1',
      name: 'worker',
    });
  });

  it('at info, info lines are written and debug lines are not', async () => {
    const r = await runNode([worker, tmp.dir, 'info', 'exit']);
    expect(r.status, r.stderr).toBe(0);
    const text = readLogs(tmp.dir);
    expect(text).toContain('info line');
    expect(text).toContain('error line');
    expect(text).not.toContain('debug line');
    expect(modeOf(path.join(tmp.dir, 'logs', 'hooks.log'))).toBe(0o600);
    expect(modeOf(path.join(tmp.dir, 'logs'))).toBe(0o700);
  });

  it('drops its lines when the log file cannot be made, so a hook in a broken state directory still answers', () => {
    // A file where the state directory should be: the logs folder cannot be made, as on a read-only mount.
    const home = path.join(tmp.dir, 'home');
    writeFileSync(home, '');
    const log = deferredLogger({ home, file: 'hooks.log', sync: true, level: 'info' });
    expect(() => {
      log.warn('first');
      log.error({ n: 2 }, 'second');
    }).not.toThrow();
    expect(readFileSync(home, 'utf8')).toBe('');
  });

  it('drops a line the disk refuses (ENOSPC at the write), so a hook on a full disk still answers', () => {
    // /dev/full opens like any file and answers every write with ENOSPC, as a full file system does.
    const home = path.join(tmp.dir, 'home');
    mkdirSync(path.join(home, 'logs'), { recursive: true });
    symlinkSync('/dev/full', path.join(home, 'logs', 'hooks.log'));
    const log = deferredLogger({ home, file: 'hooks.log', sync: true, level: 'info' });
    expect(() => {
      log.warn('first');
      log.error({ n: 2 }, 'second');
    }).not.toThrow();
  });
});

describe('deferLogger', () => {
  it('opens its logger at the first line at an enabled level, once, and drops lines when there is nowhere to write', () => {
    const lines: string[] = [];
    let opened = 0;
    const sink = {
      info: (m: string) => lines.push(`info ${m}`),
      warn: (m: string) => lines.push(`warn ${m}`),
    } as unknown as Logger;
    const log = deferLogger('info', () => {
      opened += 1;
      return sink;
    });
    log.debug('below the level');
    expect(opened).toBe(0);
    log.info('first');
    log.warn('second');
    expect([opened, lines]).toEqual([1, ['info first', 'warn second']]);

    let tries = 0;
    const nowhere = deferLogger('info', () => {
      tries += 1;
      return null;
    });
    nowhere.error('dropped');
    nowhere.error('dropped too');
    expect(tries).toBe(1);
  });
});
