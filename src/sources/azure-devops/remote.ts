// Which Azure DevOps project a checkout is: its `origin` in each form Azure Repos hands out, read from the repository's
// config file (src/sources/github/remote.ts reads it): `https://dev.azure.com/ORG/PROJECT/_git/REPO`,
// `git@ssh.dev.azure.com:v3/ORG/PROJECT/REPO`, `https://ORG.visualstudio.com/PROJECT/_git/REPO`, and a server's
// `https://HOST/COLLECTION…/PROJECT/_git/REPO`.
import { AZURE_SERVICES } from './definition.js';

export interface AzureRemote {
  /** The organization or collection URL the origin belongs to, where its API lives; no trailing slash. */
  base: string;
  project: string;
  /** Azure DevOps Services (dev.azure.com, ssh.dev.azure.com, ORG.visualstudio.com), not a server of its own. */
  services: boolean;
}

const SSH_V3 = /^(?:ssh\.dev\.azure\.com|vs-ssh\.visualstudio\.com)$/i;
const SERVICES = /^(?:dev\.azure\.com|[A-Za-z0-9-]+\.visualstudio\.com)$/i;

const decoded = (segment: string): string | undefined => {
  try {
    const text = decodeURIComponent(segment);
    return text && !/[/\\]/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
};

/** `v3/ORG/PROJECT/REPO`, the SSH form of Azure DevOps Services. */
function sshV3(pathname: string): AzureRemote | undefined {
  const [v3, org, project, repo] = pathname.replace(/^\/+/, '').split('/');
  const name = project === undefined ? undefined : decoded(project);
  if (v3 !== 'v3' || !org || !name || !repo || !/^[A-Za-z0-9-]+$/.test(org)) return undefined;
  return { base: `${AZURE_SERVICES}/${org}`, project: name, services: true };
}

/** `…/PROJECT/_git/REPO` under the organization or collection the path begins with. */
function gitPath(webOrigin: string, host: string, pathname: string): AzureRemote | undefined {
  const parts = pathname.split('/').filter(Boolean);
  const at = parts.indexOf('_git');
  if (at < 0 || at !== parts.length - 2) return undefined;
  const services = SERVICES.test(host);
  // Azure DevOps Services answers https only: an `http://` origin (a typo, or a repository's trap) still means https.
  const origin = services ? `https://${host.toLowerCase()}` : webOrigin;
  // dev.azure.com/ORG/_git/REPO: a repository named after its project.
  const projectAt = /^dev\.azure\.com$/i.test(host) && at === 1 ? at + 1 : at - 1;
  const project = projectAt < 0 ? undefined : decoded(parts[projectAt] as string);
  const collection = parts.slice(0, Math.min(projectAt, at));
  if (!project || (/^dev\.azure\.com$/i.test(host) && collection.length !== 1)) return undefined;
  return { base: [origin, ...collection].join('/'), project, services };
}

/** A remote URL as the project it names and where that project's API lives; undefined for anything else. */
export function parseAzureRemote(url: string): AzureRemote | undefined {
  const text = url.trim();
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(text);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    return SSH_V3.test(scp[1] as string) ? sshV3(scp[2] as string) : undefined;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return undefined;
  }
  if (u.protocol === 'ssh:') {
    if (SSH_V3.test(u.hostname)) return sshV3(u.pathname);
    // A server's SSH port is not its web port: its API is https on the host.
    return gitPath(`https://${u.hostname}`, u.hostname, u.pathname);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  return gitPath(u.origin, u.hostname, u.pathname);
}
