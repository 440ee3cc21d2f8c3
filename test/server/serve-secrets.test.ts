// `taskhooks serve` needs no secret on its command line: a token from --token-file or TASKHOOKS_SERVER_TOKEN, a
// database password from --database-password-file; one given in argv still works, with one line of warning.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hookEnv, tempHome } from '../helpers/hooks.js';
import { postgresForFile } from '../helpers/postgres.js';
import { CLI, freePort } from '../helpers/serve.js';
import { connectHttp, envelope } from './client.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Served {
  child: ChildProcess;
  url: string;
  stdout: string;
  stderr: string;
}

/**
 * `serve --port 0 …args` in a fresh home (on a SQLite file there unless a PostgreSQL URL is given), resolved once it
 * announces its URL.
 */
async function serve(args: string[], env: Record<string, string> = {}): Promise<Served> {
  const { home, cleanup } = tempHome();
  cleanups.push(cleanup);
  const store = args.includes('--database') || env.DATABASE_URL ? [] : ['--db', path.join(home, 't.db')];
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...store, ...args], {
    env: { ...hookEnv(home), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const served: Served = { child, url: '', stdout: '', stderr: '' };
  child.stderr?.on('data', (c: Buffer) => (served.stderr += c.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      served.stdout += c.toString();
      const url = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(served.stdout)?.[1];
      if (url && served.stdout.includes('Ctrl-C stops')) {
        served.url = url;
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${served.stderr}`)));
  });
  return served;
}

/** Whether `token` is accepted: /health tells an authenticated client what it holds. */
async function accepted(s: Served, token: string): Promise<boolean> {
  const r = await fetch(s.url.replace(/\/mcp$/, '/health'), { headers: { authorization: `Bearer ${token}` } });
  return 'version' in ((await r.json()) as object);
}

const newToken = (): string => randomBytes(24).toString('base64url');

/** A new token, and a 0600 file in a temp folder holding it on its first line. */
function tokenFile(): { token: string; file: string } {
  const token = newToken();
  const { home, cleanup } = tempHome();
  cleanups.push(cleanup);
  const file = path.join(home, 'token');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, file };
}

describe('serve without secrets on its command line', () => {
  it('takes a token from --token-file, which never appears in its argv, and warns of nothing', async () => {
    const { token, file } = tokenFile();
    const s = await serve(['--token-file', file]);
    expect(await accepted(s, token)).toBe(true);
    expect(s.stdout).toContain('the --token-file token (principal "cli", every project)');
    expect(readFileSync(`/proc/${s.child.pid}/cmdline`, 'utf8')).not.toContain(token);
    expect(s.stderr).toBe('');
  });

  it('scopes the --token-file token to the projects --token-projects names: another project is refused', async () => {
    const { token, file } = tokenFile();
    const s = await serve(['--token-file', file, '--token-projects', 'shop, kiosk']);
    expect(s.stdout).toContain('the --token-file token (principal "cli", projects shop, kiosk)');
    const client = await connectHttp(s.url, token);
    try {
      expect((await envelope(client, 'manage_project', { action: 'create', name: 'shop' })).success).toBe(true);
      const other = await envelope(client, 'manage_project', { action: 'create', name: 'mall' });
      expect(other.error.message).toBe(
        'Permission denied: principal "cli" may only use the projects shop, kiosk, and manage_project create touches another one',
      );
    } finally {
      await client.close();
    }
    await expect(serve(['--token-projects', 'shop'])).rejects.toThrow(
      '--token-projects scopes the token of --token-file, $TASKHOOKS_SERVER_TOKEN or --token: give one of them',
    );
  });

  it('takes a token from TASKHOOKS_SERVER_TOKEN', async () => {
    const token = newToken();
    const s = await serve([], { TASKHOOKS_SERVER_TOKEN: token });
    expect(await accepted(s, token)).toBe(true);
    expect(await accepted(s, newToken())).toBe(false);
    expect(s.stdout).toContain('the TASKHOOKS_SERVER_TOKEN token (principal "env", every project)');
    expect(s.stderr).toBe('');
  });

  it('still takes --token, with one line on stderr naming the safer ways', async () => {
    const token = newToken();
    const s = await serve([`--token=${token}`]);
    expect(await accepted(s, token)).toBe(true);
    expect(s.stderr).toBe(
      'warning: --token on the command line is visible to every user of this machine (ps); use --token-file FILE or TASKHOOKS_SERVER_TOKEN instead\n',
    );
    expect(s.stderr).not.toContain(token);
  });

  it('refuses a token file that is missing or empty in one line', async () => {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const missing = path.join(home, 'nope');
    await expect(serve(['--token-file', missing])).rejects.toThrow(
      `--token-file ${missing} cannot be read (ENOENT): give a file that holds the secret on its first line`,
    );
    writeFileSync(path.join(home, 'empty'), '\n');
    await expect(serve(['--token-file', path.join(home, 'empty')])).rejects.toThrow('is empty');
  });
});

describe('serve with a PostgreSQL password kept off its command line', () => {
  it('reads it from --database-password-file into the URL it connects with, shown without it', async () => {
    const url = await postgresForFile().createDatabase();
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const file = path.join(home, 'db-password');
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
    // The test server trusts every local connection, so the password is only carried, and must show nowhere.
    const { child, stdout, stderr } = await serve(['--database', url, '--database-password-file', file], {
      TASKHOOKS_SERVER_TOKEN: newToken(),
    });
    expect(stdout).toContain(`Tasks: PostgreSQL ${url}`);
    expect(stdout + stderr).not.toContain(password);
    expect(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8')).not.toContain(password);
  }, 120_000);

  it('takes the LISTEN URL from TASKHOOKS_LISTEN_DATABASE_URL: one that cannot be reached is one line without its password', async () => {
    const url = await postgresForFile().createDatabase();
    const nowhere = `postgres://team:hunter2-listen@127.0.0.1:${await freePort()}/tasks`;
    const refused = await serve([], {
      DATABASE_URL: url,
      TASKHOOKS_LISTEN_DATABASE_URL: nowhere,
      TASKHOOKS_SERVER_TOKEN: newToken(),
    }).catch((err: Error) => err.message);
    expect(refused).toMatch(/^serve exited 1: .*LISTEN connection to postgres:\/\/team@127\.0\.0\.1:\d+\/tasks failed/);
    expect(refused).not.toContain('hunter2-listen');
    expect(String(refused).trim().split('\n')).toHaveLength(1);
    const { stdout, stderr } = await serve([], {
      DATABASE_URL: url,
      TASKHOOKS_LISTEN_DATABASE_URL: url,
      TASKHOOKS_SERVER_TOKEN: newToken(),
    });
    expect(stdout).toContain('changes pushed at');
    expect(stderr).toBe('');
  }, 120_000);

  it('takes the URL from DATABASE_URL', async () => {
    const url = await postgresForFile().createDatabase();
    const { stdout, stderr } = await serve([], { DATABASE_URL: url, TASKHOOKS_SERVER_TOKEN: newToken() });
    expect(stdout).toContain(`Tasks: PostgreSQL ${url}`);
    expect(stderr).toBe('');
  }, 120_000);
});
