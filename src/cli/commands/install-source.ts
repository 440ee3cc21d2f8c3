// `install --source <name>`: the source's own detection finds its settings in the environment or the user's config
// (never a project file) and install writes only which source it is; what is missing is said in one line.
import { readFileSync } from 'node:fs';
import { UserError } from '../../errors/user.js';
import { findGitRoot } from '../../git/repo.js';
import { homeFiles } from '../../home/files.js';
import type { Detection } from '../../sources/adapter-contract.js';
import { ADAPTERS } from '../../sources/adapters.js';
import type { SourceAdapter } from '../../sources/plan.js';
import { SOURCE_NAMES } from '../../sources/registry.js';
import { deadlineIn } from '../../util/deadline.js';
import { isJsonObject } from '../../util/object.js';

/** The sources install can find by themselves: those whose adapter detects its settings. */
export const DETECTABLE = SOURCE_NAMES.filter(
  (n): n is SourceAdapter => n !== 'embedded' && ADAPTERS[n].detect !== undefined,
);

/** The user config's `source` section; an unreadable file is the config loader's to report, not install's. */
function userSource(home: string): Readonly<Record<string, unknown>> {
  try {
    const config: unknown = JSON.parse(readFileSync(homeFiles(home).config, 'utf8'));
    return isJsonObject(config) && isJsonObject(config.source) ? config.source : {};
  } catch {
    return {};
  }
}

/** The source named by `--source`, with the entries its detection found; a UserError naming what is missing. */
export async function detectSource(
  raw: string,
  ctx: { env: NodeJS.ProcessEnv; home: string; dir: string },
): Promise<{ name: SourceAdapter; detection: Extract<Detection, { found: true }> }> {
  const name = DETECTABLE.find((n) => n === raw);
  if (!name) throw new UserError(`--source ${raw} is not one of ${DETECTABLE.join(', ')}`, 2);
  const detect = ADAPTERS[name].detect as NonNullable<(typeof ADAPTERS)[typeof name]['detect']>;
  const detection = await detect({
    env: ctx.env,
    cwd: ctx.dir,
    gitRoot: findGitRoot(ctx.dir) ?? undefined,
    userSource: userSource(ctx.home),
    deadline: deadlineIn(10_000),
  });
  if (!detection.found) throw new UserError(detection.missing);
  return { name, detection };
}
