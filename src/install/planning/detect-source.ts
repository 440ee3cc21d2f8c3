// `install --source <name>`: the source's own detect finds its settings in the environment and the user's config (never
// a project file), so install asks nothing; when something is missing, one line says what and how to give it.
import { loadSettings } from '../../config/settings.js';
import { UserError } from '../../errors/user.js';
import { findGitRoot } from '../../git/repo.js';
import type { Detection } from '../../sources/adapter-contract.js';
import type { SourceName } from '../../sources/registry.js';
import { deadlineIn } from '../../util/deadline.js';
import { isJsonObject } from '../../util/object.js';
import { readJsonDoc } from '../../files/json-doc.js';
import type { SourceChoice } from '../writing/project-config.js';

/** How long detection may look: a local check, or one quick call. */
const DETECT_MS = 5000;

/** What `name`'s own detection finds for `dir`: its settings, or one line naming what is missing and how to give it. */
export async function detectHere(name: SourceName, dir: string, env: NodeJS.ProcessEnv): Promise<Detection> {
  // Adapters bring the network stack: loaded only when a source is being set up or looked at.
  const { ADAPTERS } = await import('../../sources/adapters.js');
  const { detect } = ADAPTERS[name];
  if (!detect) return { found: true, entries: {}, from: 'nothing to configure' };
  const { loaded } = await loadSettings({ cwd: dir, env });
  const user = readJsonDoc(loaded.userFile).value;
  return detect({
    env,
    cwd: dir,
    gitRoot: findGitRoot(dir),
    userSource: isJsonObject(user.source) ? user.source : {},
    deadline: deadlineIn(DETECT_MS),
  });
}

export async function detectSource(name: SourceName, dir: string, env: NodeJS.ProcessEnv): Promise<SourceChoice> {
  const found = await detectHere(name, dir, env);
  if (!found.found) throw new UserError(`cannot set up the ${name} source: ${found.missing}`, 2);
  return { adapter: name, entries: found.entries, found: found.from };
}
