// What a repository is, whatever its folder is called: its origin's URL normalised, else its first commit. Renaming,
// moving or cloning the folder again keeps it; worktrees share it (it is read from the common dir).
import path from 'node:path';
import { CONFIG_MAX_BYTES, readTextCapped } from '../util/safe-read.js';
import { gitDirs } from './repo.js';
import { safeGit, type GitRunner } from './safe.js';

/**
 * The origin URL as one key for every way of writing it: scheme, user, password and port dropped, the host in lower
 * case, `.git` and trailing slashes gone (`git@github.com:acme/shop.git` and `https://github.com/acme/shop/` are both
 * `github.com/acme/shop`). A local path stays a path. undefined for an empty URL.
 */
export function normaliseOrigin(url: string): string | undefined {
  const given = url.trim();
  if (given === '') return undefined;
  let host = '';
  let where = given;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(given);
  // scp-like `[user@]host:path`: a one-letter "host" is a Windows drive, a path.
  const scp = scheme ? null : /^(?:[^@/\\]+@)?([^:/\\]{2,}):(.*)$/.exec(given);
  if (scheme) {
    try {
      const parsed = new URL(given);
      if (parsed.protocol !== 'file:') host = parsed.hostname.toLowerCase();
      where = decodeURIComponent(parsed.pathname);
    } catch {
      where = given.slice(scheme[0].length).replace(/^[^/]*@/, '');
    }
  } else if (scp?.[1] && scp[2] !== undefined) {
    host = scp[1].toLowerCase();
    where = scp[2];
  }
  const trimmed = where
    .replace(/\\/g, '/')
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '');
  if (!host) return trimmed === '' ? undefined : trimmed;
  return `${host}/${trimmed.replace(/^\/+/, '')}`;
}

/** A value of git's config file: quotes taken off, a comment after it dropped. */
function configValue(raw: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && i + 1 < raw.length) out += raw[++i];
    else if (!quoted && (c === '#' || c === ';')) break;
    else out += c;
  }
  return out.trim();
}

/**
 * The first `url` of `[remote "origin"]` in a git config file's text (the one git fetches from); undefined when there
 * is none. The GitHub, GitLab and Azure DevOps sources read their repository from it too (src/sources/github/remote.ts).
 */
export function originOfConfig(text: string): string | undefined {
  let inOrigin = false;
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[([^\]]*)\]/.exec(line);
    if (section) {
      // The section's name is case-insensitive, the remote's name is not.
      inOrigin = /^remote\s+"(.*)"$/i.exec(section[1]?.trim() ?? '')?.[1] === 'origin';
      continue;
    }
    const entry = inOrigin ? /^\s*url\s*=(.*)$/i.exec(line) : null;
    const value = entry?.[1] === undefined ? '' : configValue(entry[1]);
    if (value !== '') return value;
  }
  return undefined;
}

/** The repository at `root`'s origin, normalised, read from its common dir's config file: no git process. */
export function readOriginKey(root: string): string | undefined {
  let text: string;
  try {
    text = readTextCapped(path.join(gitDirs(root).commonDir, 'config'), CONFIG_MAX_BYTES);
  } catch {
    return undefined;
  }
  const origin = originOfConfig(text);
  return origin === undefined ? undefined : normaliseOrigin(origin);
}

/** How the identity of a repository known by its first commit starts. */
export const COMMIT_KEY_PREFIX = 'commit:';

/** The identity key of a repository known by its first commit. */
export const commitKey = (sha: string): string => `${COMMIT_KEY_PREFIX}${sha}`;

/**
 * The first commit of the history HEAD reaches, as an identity key (the oldest root when several histories were
 * merged); undefined before the first commit, or when git cannot say. One git process: callers keep what it answers.
 */
export async function readRootCommitKey(root: string, runner: GitRunner): Promise<string | undefined> {
  const result = await runner.run(root, safeGit(['rev-list', '--max-parents=0', 'HEAD']));
  if (!result.ok) return undefined;
  const roots = result.stdout.split('\n').filter((l) => /^[0-9a-f]{40,64}$/.test(l.trim()));
  const oldest = roots.at(-1)?.trim();
  return oldest ? commitKey(oldest) : undefined;
}
