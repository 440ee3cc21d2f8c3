// A git server on 127.0.0.1 speaking git's smart HTTP protocol: a bare clone of this checkout's HEAD, served by git's
// own `git http-backend` (a CGI program) behind a small node http server. Claude Code clones marketplaces shallow,
// which git's dumb protocol cannot serve.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './hooks.js';

export interface GitServer {
  /** The clone URL: http://127.0.0.1:PORT/taskhooks.git */
  url: string;
  /** The commit served. */
  commit: string;
  /** Commits what `change` does to a clone of the served branch, and serves that commit: a new release. */
  release(change: (dir: string) => void, message: string): void;
  close(): Promise<void>;
}

/** Runs one request through `git http-backend`, whose CGI answer is a header block, a blank line, then the body. */
function cgi(root: string, req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: req.headers['git-protocol'] as string } : {}),
      REMOTE_ADDR: '127.0.0.1',
    },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let started = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (started) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) return;
    started = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const at = line.indexOf(':');
      const name = line.slice(0, at).trim();
      const value = line.slice(at + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(head.subarray(end + 4));
  });
  child.on('close', () => res.end());
  child.on('error', () => res.writeHead(500).end());
}

/**
 * Serves a bare clone of `source` (default: this checkout) at HEAD, or at the earlier commit `at` (an earlier release,
 * which `release` can then move on from); nothing uncommitted is in it.
 */
export async function serveGitRepo(source: string = ROOT, at?: string): Promise<GitServer> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'th-git-http-'));
  const bare = path.join(root, 'taskhooks.git');
  execFileSync('git', ['clone', '--quiet', '--bare', '--no-local', source, bare]);
  if (at) execFileSync('git', ['update-ref', 'HEAD', at], { cwd: bare });
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: bare, encoding: 'utf8' }).trim();
  const server: Server = createServer((req, res) => cgi(root, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const release = (change: (dir: string) => void, message: string): void => {
    const work = path.join(root, `release-${Date.now()}`);
    execFileSync('git', ['clone', '--quiet', bare, work]);
    change(work);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: work, stdio: 'ignore' });
    git('add', '-A');
    git(
      '-c',
      'user.name=Test',
      '-c',
      'user.email=test@example.invalid',
      'commit',
      '--quiet',
      '--no-verify',
      '-m',
      message,
    );
    git('push', '--quiet', 'origin', 'HEAD');
    rmSync(work, { recursive: true, force: true });
  };
  return {
    url: `http://127.0.0.1:${port}/taskhooks.git`,
    commit,
    release,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A checkout's version set to `version`: in package.json, and in the two files of plugin/ a release's build derives. */
export function setVersion(dir: string, version: string): void {
  const files = ['package.json', 'plugin/package.json', 'plugin/.claude-plugin/plugin.json'];
  for (const file of files) {
    const value = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { version: string };
    writeFileSync(path.join(dir, file), `${JSON.stringify({ ...value, version }, null, 2)}\n`);
  }
}

/** The version after a checkout's: its patch number plus one. */
export function bumpedVersion(dir: string): string {
  const { version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  const [major, minor, patch] = version.split('.').map(Number);
  return `${major}.${minor}.${(patch ?? 0) + 1}`;
}
