// `install --source <name>`: the source's own detect finds its settings in the environment and the user's config (never
// a project file), so install asks nothing; when something is missing, one line says what and how to give it.
import { loadSettings } from '../../config/settings.js';
import { UserError } from '../../errors/user.js';
import { findGitRoot } from '../../git/repo.js';
import { readJsonDoc } from '../../install/json-doc.js';
import type { SourceChoice } from '../../install/project-config.js';
import { isSourceName, SOURCE_NAMES } from '../../sources/registry.js';
import { deadlineIn } from '../../util/deadline.js';
import { isJsonObject } from '../../util/object.js';
import { quoted, UsageError } from '../args.js';

/** How long detection may look: a local check, or one quick call. */
const DETECT_MS = 5000;

export async function detectSource(raw: string, dir: string, env: NodeJS.ProcessEnv): Promise<SourceChoice> {
  if (!isSourceName(raw)) throw new UsageError(`--source ${quoted(raw)} is not one of ${SOURCE_NAMES.join(', ')}`);
  // Adapters bring the network stack: loaded only when a source is being set up.
  const { ADAPTERS } = await import('../../sources/adapters.js');
  const { detect } = ADAPTERS[raw];
  if (!detect) return { adapter: raw, found: 'nothing to configure' };
  const { loaded } = await loadSettings({ cwd: dir, env });
  const user = readJsonDoc(loaded.userFile).value;
  const found = await detect({
    env,
    cwd: dir,
    gitRoot: findGitRoot(dir),
    userSource: isJsonObject(user.source) ? user.source : {},
    deadline: deadlineIn(DETECT_MS),
  });
  if (!found.found) throw new UserError(`cannot set up the ${raw} source: ${found.missing}`, 2);
  return { adapter: raw, entries: found.entries, found: found.from };
}
