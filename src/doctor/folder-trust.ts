// Whether an agent reads a project's settings in a folder it trusts. Gemini CLI reads them only in a folder its
// trustedFolders.json trusts, by the longest rule that holds the folder; Qwen Code too, once its folder trust is on
// (off, it reads every folder's). The trust file's reading and a folder's holding are shared with Copilot CLI's.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { homeDir } from '../agents/claude/config.js';
import { qwenHome } from '../agents/qwen/config.js';
import { readJsonDoc } from '../install/json-doc.js';
import { isJsonObject } from '../util/object.js';
import { CONFIG_MAX_BYTES, readTextCapped } from '../util/safe-read.js';
import type { Approval } from './approval.js';

const TRUST_LEVELS = ['TRUST_FOLDER', 'TRUST_PARENT', 'DO_NOT_TRUST'] as const;

const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
};

/** Whether `p` is the folder `dir` or lies inside it. */
export const holds = (dir: string, p: string): boolean => {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * An agent's trust file as JSON (its text passed through `clean` first); an answer instead when there is none yet or
 * it cannot be read.
 */
export function readTrustFile(
  agent: string,
  file: string,
  clean: (text: string) => string = (text) => text,
): { json: unknown } | Approval {
  try {
    return { json: JSON.parse(clean(readTextCapped(file, CONFIG_MAX_BYTES))) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { approved: false, detail: `${agent} trusts no folder yet (${file} does not exist)` };
    return { unknown: `cannot tell: ${file} is not readable JSON` };
  }
}

/** Whether Gemini CLI trusts `projectRoot`: its trustedFolders.json, the longest rule that holds the folder. */
export function geminiApproval(projectRoot: string, env: NodeJS.ProcessEnv): Approval {
  const file = env.GEMINI_CLI_TRUSTED_FOLDERS_PATH || path.join(homeDir(env), '.gemini', 'trustedFolders.json');
  return folderTrust('Gemini CLI', file, projectRoot);
}

/** Whether Qwen Code reads `projectRoot`'s settings: always while its folder trust is off, else as Gemini CLI's. */
export function qwenApproval(projectRoot: string, env: NodeJS.ProcessEnv): Approval {
  const settings = path.join(qwenHome(env), 'settings.json');
  let on: unknown;
  try {
    const value = readJsonDoc(settings).value;
    on = isJsonObject(value.security) && isJsonObject(value.security.folderTrust) && value.security.folderTrust.enabled;
  } catch {
    return { unknown: `cannot tell: ${settings} is not readable JSON` };
  }
  if (on !== true)
    return {
      approved: true,
      detail: `Qwen Code's folder trust is off (${settings}): it reads every folder's settings`,
    };
  const file = env.QWEN_CODE_TRUSTED_FOLDERS_PATH || path.join(qwenHome(env), 'trustedFolders.json');
  return folderTrust('Qwen Code', file, projectRoot);
}

/** A trustedFolders.json of Gemini CLI's form: the longest rule that holds the folder decides. */
function folderTrust(agent: string, file: string, projectRoot: string): Approval {
  const read = readTrustFile(agent, file);
  if (!('json' in read)) return read;
  const rules = read.json;
  if (!isJsonObject(rules)) return { unknown: `cannot tell: ${file} is not a JSON object` };
  const at = real(projectRoot);
  let best: { rule: string; level: string } | undefined;
  for (const [rule, level] of Object.entries(rules)) {
    if (!TRUST_LEVELS.some((l) => l === level)) continue;
    const dir = level === 'TRUST_PARENT' ? path.dirname(rule) : rule;
    if (holds(real(dir), at) && rule.length > (best?.rule.length ?? -1)) best = { rule, level: String(level) };
  }
  if (!best) return { approved: false, detail: `${agent} does not trust ${projectRoot} yet (${file})` };
  if (best.level === 'DO_NOT_TRUST')
    return { approved: false, detail: `${agent} was told not to trust ${projectRoot} (${best.rule} in ${file})` };
  return { approved: true, detail: `${agent} trusts ${projectRoot} (${best.rule}: ${best.level})` };
}
