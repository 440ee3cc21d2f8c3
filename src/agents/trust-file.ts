// Whether an agent reads a project's settings in a folder it trusts: its trust file read, and a folder's holding.
// Gemini CLI's trustedFolders.json form (the longest rule that holds the folder decides) is Qwen Code's too; Copilot
// CLI keeps a list of folders in its config.json.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { isJsonObject } from '../util/object.js';
import { CONFIG_MAX_BYTES, readTextCapped } from '../util/safe-read.js';
import type { Approval } from './agent.js';

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

/** A trustedFolders.json of Gemini CLI's form: the longest rule that holds the folder decides. */
export function folderTrust(agent: string, file: string, projectRoot: string): Approval {
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
