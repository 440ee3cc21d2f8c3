// Qwen Code reads a project's settings in a folder it trusts once its folder trust is on (off, it reads every
// folder's); its trusted folders are kept as Gemini CLI's are.
import path from 'node:path';
import { type Approval, type ApprovalPlace, doctorTells, type WiringJudge } from '../agent.js';
import { folderTrust } from '../trust-file.js';
import { isJsonObject } from '../../util/object.js';
import { qwenHome } from './config.js';

/** Whether Qwen Code reads `projectRoot`'s settings: always while its folder trust is off, else as Gemini CLI's. */
export function qwenApproval(
  projectRoot: string,
  env: NodeJS.ProcessEnv,
  judge: Pick<WiringJudge, 'readJson'>,
): Approval {
  const settings = path.join(qwenHome(env), 'settings.json');
  let on: unknown;
  try {
    const value = judge.readJson(settings);
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

export function qwenApprovalLine(at: ApprovalPlace, forDoctor: boolean): string {
  return at.scope === 'project'
    ? `Qwen Code reads ${at.file} in a folder it trusts: with its folder trust on (security.folderTrust.enabled), trust ${at.dir} when it asks ` +
        `(or with /permissions)${doctorTells(forDoctor, '. `taskhooks doctor` tells whether it is trusted')}`
    : `Qwen Code runs the hooks of ${at.file} in every folder it trusts${doctorTells(forDoctor, '. `taskhooks doctor` tells whether this one is')}`;
}
