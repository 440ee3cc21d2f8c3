// Which task source a project uses, the rule that chose it, and what else points at a tracker it does not use (a
// token in the environment, the origin's host), each checked as `install --source` checks it: for `taskhooks source`
// and `config`, so a person with GITLAB_TOKEN set in a GitLab checkout hears the one line that uses it.
import type { LoadedSettings } from '../config/settings.js';
import { originFor } from '../config/layers.js';
import { describeOrigin } from '../config/origin.js';
import { findGitRoot } from '../git/repo.js';
import type { Logger } from '../log/logger.js';
import { describeSource, sourceName } from '../sources/describe.js';
import { readOriginUrl, remoteParts } from '../sources/github/remote.js';
import type { SourceName } from '../sources/registry.js';
import { detectHere } from './planning/detect-source.js';
import { pluginEnabledIn } from './plugin-enabled.js';

/**
 * What says a person may mean a tracker: the variables its own tools read (names only, never values) and its hosts.
 * A self-managed GitLab or GitHub Enterprise is seen by its token; its host is then checked as install checks it.
 */
const HINTS: ReadonlyArray<{ name: SourceName; env: RegExp; host?: RegExp }> = [
  { name: 'gitlab', env: /^(GITLAB_(TOKEN|ACCESS_TOKEN|HOST|API_URL))$/, host: /(^|\.)gitlab\./ },
  {
    name: 'github',
    env: /^(GH_TOKEN|GITHUB_TOKEN|GH_ENTERPRISE_TOKEN|GITHUB_ENTERPRISE_TOKEN|GH_HOST)$/,
    host: /^github\.com$/,
  },
  {
    name: 'azure-devops',
    env: /^AZURE_DEVOPS_(EXT_PAT|TOKEN|ORG_URL)$/,
    host: /(^|\.)(dev\.azure\.com|visualstudio\.com)$/,
  },
  { name: 'jira', env: /^JIRA_(API_TOKEN|BASE_URL)$/ },
  { name: 'linear', env: /^LINEAR_API_KEY$/ },
];

export interface SourceSeen {
  /** The source in words: which, where, who serves it. */
  source: string;
  /** Why this one: the setting and where it came from, or the default. */
  rule: string;
  /** The check `install --source` runs, for a source that has one: what it found, or what is missing. */
  check?: { ok: boolean; line: string };
  /** What points at a source not in use, and what it would take; `switchTo` when it would work as it is. */
  unused: Array<{ seen: string; line: string; switchTo?: SourceName }>;
}

/** The rule that chose the source: the setting that names it, or the one that implies it, or the default. */
function ruleOf(loaded: LoadedSettings, name: SourceName): string {
  const { origins, config } = loaded.loaded;
  if (config.source.adapter !== undefined)
    return `source.adapter is ${config.source.adapter}, from the ${describeOrigin(originFor('source.adapter', origins))}`;
  if (name === 'agenthub')
    return `no source.adapter is set; source.servers (from the ${describeOrigin(originFor('source.servers', origins))}) implies agenthub`;
  if (name === 'tracker')
    return `no source.adapter is set; source.trackingUrl (from the ${describeOrigin(originFor('source.trackingUrl', origins))}) implies the tracker`;
  return 'the default: no source.adapter is set (TASKHOOKS_ADAPTER, the project file or the user file), and no server is named';
}

/** The origin's host of the checkout at `dir`, if it has one git names. */
function originHost(dir: string): string | undefined {
  try {
    const url = readOriginUrl(findGitRoot(dir) ?? dir);
    return url ? remoteParts(url)?.host : undefined;
  } catch {
    return undefined; // no readable origin: nothing seen there
  }
}

export async function sourceSeen(opts: {
  loaded: LoadedSettings;
  dir: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
}): Promise<SourceSeen> {
  const { loaded, dir, env } = opts;
  const { plan } = loaded.settings.source;
  const name = sourceName(plan);
  const seen: SourceSeen = {
    source: describeSource(plan, loaded.settings.home, opts.log),
    rule: ruleOf(loaded, name),
    unused: [],
  };
  const host = originHost(dir);
  if (HINTS.some((h) => h.name === name)) {
    const found = await detectHere(name, dir, env);
    seen.check = found.found ? { ok: true, line: found.from } : { ok: false, line: found.missing };
  }
  for (const hint of HINTS) {
    if (hint.name === name) continue;
    const vars = Object.keys(env).filter((k) => hint.env.test(k) && env[k]?.trim());
    const onHost = host !== undefined && hint.host?.test(host) === true;
    if (vars.length === 0 && !onHost) continue;
    const what = [
      vars.length > 0 && `${vars.join(', ')} ${vars.length === 1 ? 'is' : 'are'} set`,
      onHost && `origin is on ${host}`,
    ]
      .filter(Boolean)
      .join(', ');
    const found = await detectHere(hint.name, dir, env);
    seen.unused.push(
      found.found
        ? { seen: what, line: `the ${hint.name} source would read ${found.from}`, switchTo: hint.name }
        : { seen: what, line: `the ${hint.name} source cannot use it yet: ${found.missing}` },
    );
  }
  const plugin = pluginEnabledIn(dir, env);
  if (plugin)
    seen.unused.push({
      seen: `the taskhooks plugin is enabled (${plugin})`,
      line: 'its sessions read this state directory too, and this source: use it or install, not both',
    });
  return seen;
}

/** The report as lines: source, rule, check, then what was seen and not used, each with the line that switches. */
export function sourceSeenLines(s: SourceSeen): string[] {
  const lines = [`task source:  ${s.source}`, `chosen by:    ${s.rule}`];
  if (s.check) lines.push(`${s.check.ok ? 'checked:' : 'problem:'}      ${s.check.line}`);
  for (const u of s.unused) {
    lines.push(`not used:     ${u.seen}: ${u.line}`);
    if (u.switchTo)
      lines.push(
        `  to use it:  TASKHOOKS_ADAPTER=${u.switchTo} (this shell), or \`taskhooks install --source ${u.switchTo}\` (this project)`,
      );
  }
  return lines;
}
