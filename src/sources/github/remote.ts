// Which GitHub repository a checkout is: its `origin` remote, read from the repository's config file (no git process:
// reading a file runs nothing the repository configures), in each form git accepts for it.
import path from 'node:path';
import { TaskSourceError } from '../../errors/task-source.js';
import { originOfConfig } from '../../git/identity.js';
import { gitDirs } from '../../git/repo.js';
import { CONFIG_MAX_BYTES, readFailure, readTextCapped } from '../../util/safe-read.js';

export interface GitHubRepo {
  /** The host the remote names (github.com, or a GitHub Enterprise Server's). Never sent a token: see apiFor. */
  host: string;
  owner: string;
  repo: string;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

function ownerRepo(host: string, pathname: string): GitHubRepo | undefined {
  const parts = pathname
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/, '')
    .split('/');
  if (parts.length !== 2) return undefined;
  const [owner, repo] = parts as [string, string];
  if (!NAME.test(owner) || !NAME.test(repo) || repo === '.' || repo === '..') return undefined;
  return { host: host.toLowerCase(), owner, repo };
}

/**
 * A remote URL's host and path, in each form git accepts: `https://host/path(.git)`, `ssh://git@host(:port)/path.git`,
 * `git@host:path.git` (scp-like), `git://host/path`. undefined for anything else (a local path, a `file://` URL).
 */
export function remoteParts(url: string): { host: string; pathname: string } | undefined {
  const text = url.trim();
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(text);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { host: scp[1] as string, pathname: scp[2] as string };
  try {
    const u = new URL(text);
    if (!['https:', 'http:', 'ssh:', 'git:', 'git+ssh:', 'ssh+git:'].includes(u.protocol)) return undefined;
    return { host: u.hostname, pathname: decodeURIComponent(u.pathname) };
  } catch {
    return undefined;
  }
}

/** A remote URL as owner/repo on its host; undefined for anything else (a local path, a URL with a deeper path). */
export function parseRemoteUrl(url: string): GitHubRepo | undefined {
  const parts = remoteParts(url);
  return parts && ownerRepo(parts.host, parts.pathname);
}

/**
 * The URL of `origin` in the repository at `root`, read from its config file; undefined when none is set or there is
 * no config file. A config that is no regular file (a FIFO, a link to a device) or too large is refused unread, as a
 * config error naming it and the setting to use `instead`.
 */
export function readOriginUrl(root: string, instead = 'source.github.repo to OWNER/REPO'): string | undefined {
  const file = path.join(gitDirs(root).commonDir, 'config');
  let text: string;
  try {
    text = readTextCapped(file, CONFIG_MAX_BYTES);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw new TaskSourceError('config', `the repository's config ${file} could not be read (${readFailure(err)})`, {
      short: 'unreadable git config',
      place: file,
      fix: `replace ${file} with a regular file (git's own config), or set ${instead}`,
    });
  }
  return originOfConfig(text);
}
