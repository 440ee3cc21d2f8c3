// Which GitLab project a checkout is: its `origin` remote (read as the GitHub source reads it, from the repository's
// config file), in each form git accepts for it, nested groups included: `group/subgroup/project`.
import { TaskSourceError } from '../../errors/task-source.js';
import { readOriginUrl, remoteParts } from '../github/remote.js';
import { endpointFixFor } from './definition.js';

export interface GitLabProject {
  /** The host the remote names. Never sent a token: see gitlabEndpoint. */
  host: string;
  /** `group/subgroup/project`, as GitLab's API takes it URL-encoded in place of the project's id. */
  path: string;
}

const NAME = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

/** The setting that names a project when the origin does not. */
const PROJECT_SETTING = 'source.gitlab.project to GROUP/PROJECT';

/** A remote URL as a project path on its host; undefined for a local path or a path of one part. */
export function parseGitLabRemote(url: string): GitLabProject | undefined {
  const found = remoteParts(url);
  if (!found) return undefined;
  const parts = found.pathname
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/, '')
    .split('/');
  if (parts.length < 2 || !parts.every((p) => NAME.test(p) && p !== '.' && p !== '..')) return undefined;
  return { host: found.host.toLowerCase(), path: parts.join('/') };
}

/** The project a checkout reads, or a config error saying how to name one. */
export function projectOf(
  root: string,
  opts: { project?: string | undefined; host: string; api: string },
): GitLabProject {
  if (opts.project) return { host: opts.host, path: opts.project };
  const url = readOriginUrl(root, PROJECT_SETTING);
  const found = url ? parseGitLabRemote(url) : undefined;
  if (!found) {
    throw new TaskSourceError('config', `no GitLab project for ${root}: ${url ? `origin is ${url}` : 'no origin'}`, {
      short: url ? 'origin is no GitLab project' : 'no origin remote',
      place: root,
      fix: `add the GitLab project as origin (\`git remote add origin https://gitlab.com/GROUP/PROJECT\`), or set ${PROJECT_SETTING}`,
    });
  }
  // The token goes only to the API the user configured: a remote on another host is not read with it.
  // The web host's port is not the ssh port git may name: hosts are compared by name.
  if (found.host !== opts.host.replace(/:\d+$/, '').toLowerCase()) {
    throw new TaskSourceError(
      'config',
      `origin names ${found.host}, but the GitLab API configured is ${opts.api} (for ${opts.host})`,
      { short: `origin is on ${found.host}, not ${opts.host}`, place: root, fix: endpointFixFor(found.host) },
    );
  }
  return found;
}
