// What a repository is, whatever its folder is called: its origin's URL normalised, else its first commit, both
// recorded once read (src/store/repositories.ts). Renaming, moving or cloning the folder again keeps it; worktrees
// share it (it is read from the common dir); another origin finds its project again by the first commit.
import path from 'node:path';
import { CONFIG_MAX_BYTES, readTextCapped } from '../util/safe-read.js';
import { safeGit, type GitRunner } from './safe.js';

/**
 * Hosts that take any spelling of an owner's or repository's name for the one repository (GitHub, GitLab.com,
 * Bitbucket Cloud, Azure DevOps Services): their path is kept in lower case. A server of one's own may tell case.
 */
const CASELESS_HOST =
  /^(?:github\.com|gitlab\.com|bitbucket\.org|(?:ssh\.)?dev\.azure\.com|[a-z0-9-]+\.visualstudio\.com)$/;

/** A key as normaliseOrigin makes it now: the path of a caseless host in lower case (keys of earlier releases kept it). */
export function foldOriginKey(key: string): string {
  const slash = key.indexOf('/');
  return slash > 0 && CASELESS_HOST.test(key.slice(0, slash)) ? key.toLowerCase() : key;
}

/**
 * The origin URL as one key for every way of writing it: scheme, user, password and port dropped, the host in lower
 * case, `.git` and trailing slashes gone (`git@github.com:acme/shop.git` and `https://github.com/acme/shop/` are both
 * `github.com/acme/shop`), the path too on a host that tells no case. A local path stays a path. undefined for an
 * empty URL.
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
  return foldOriginKey(`${host}/${trimmed.replace(/^\/+/, '')}`);
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

/** The origin, normalised, of the repository whose common dir is `commonDir`, read from its config file: no git process. */
export function originKeyIn(commonDir: string): string | undefined {
  let text: string;
  try {
    text = readTextCapped(path.join(commonDir, 'config'), CONFIG_MAX_BYTES);
  } catch {
    return undefined;
  }
  const origin = originOfConfig(text);
  return origin === undefined ? undefined : normaliseOrigin(origin);
}

/**
 * An origin key's owner and name on its host, in lower case (`acme/shop` of `github.com/acme/shop` and of an ssh
 * alias's `work/acme/shop`); undefined for a local path.
 */
export function hostedPath(key: string): string | undefined {
  if (key.startsWith(COMMIT_KEY_PREFIX) || /^(?:\/|\.|[A-Za-z]:\/)/.test(key)) return undefined;
  const slash = key.indexOf('/');
  return slash > 0 ? key.slice(slash + 1).toLowerCase() : undefined;
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
