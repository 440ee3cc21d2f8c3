// Gemini CLI reads a project's settings only in a folder its trustedFolders.json trusts, by the longest rule that
// holds the folder; a user-scope file's hooks run in every trusted folder.
import path from 'node:path';
import { type Approval, type ApprovalPlace, doctorTells } from '../agent.js';
import { homeDir } from '../config-home.js';
import { folderTrust } from '../trust-file.js';

/** Whether Gemini CLI trusts `projectRoot`: its trustedFolders.json, the longest rule that holds the folder. */
export function geminiApproval(projectRoot: string, env: NodeJS.ProcessEnv): Approval {
  const file = env.GEMINI_CLI_TRUSTED_FOLDERS_PATH || path.join(homeDir(env), '.gemini', 'trustedFolders.json');
  return folderTrust('Gemini CLI', file, projectRoot);
}

export function geminiApprovalLine(at: ApprovalPlace, forDoctor: boolean): string {
  return at.scope === 'project'
    ? `approve the hooks in Gemini CLI: it reads ${at.file} only in a trusted folder, so trust ${at.dir} when it asks ` +
        `(or with /permissions)${doctorTells(forDoctor, '. `taskhooks doctor` tells whether it is trusted')}`
    : `Gemini CLI runs the hooks of ${at.file} in every folder you trust (it asks when you start it in a new one, or ` +
        `/permissions)${doctorTells(forDoctor, '. `taskhooks doctor` tells whether this one is')}`;
}
