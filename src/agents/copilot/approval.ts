// Whether GitHub Copilot CLI loads the repository's hooks: it does in a folder it trusts, kept as `trustedFolders` in
// `config.json` of its home ($COPILOT_HOME, default ~/.copilot), a file it manages itself and starts with `//` comment
// lines. A trusted folder trusts what lies inside it. In `-p` mode GITHUB_COPILOT_PROMPT_MODE_REPO_HOOKS=true loads
// them anyway, which a doctor run cannot see.
import path from 'node:path';
import { type Approval, type ApprovalPlace, doctorTells } from '../agent.js';
import { holds, readTrustFile } from '../trust-file.js';
import { isJsonObject } from '../../util/object.js';
import { copilotHome } from './config.js';

export function copilotApproval(projectRoot: string, env: NodeJS.ProcessEnv): Approval {
  const file = path.join(copilotHome(env), 'config.json');
  const read = readTrustFile('Copilot CLI', file, (text) => text.replace(/^\s*\/\/.*$/gm, ''));
  if (!('json' in read)) return read;
  const config = read.json;
  const folders = isJsonObject(config) && Array.isArray(config.trustedFolders) ? config.trustedFolders : [];
  const rule = folders.find((f): f is string => typeof f === 'string' && holds(path.resolve(f), projectRoot));
  return rule
    ? { approved: true, detail: `Copilot CLI trusts ${projectRoot} (${rule} in ${file})` }
    : { approved: false, detail: `Copilot CLI does not trust ${projectRoot} yet (${file})` };
}

export function copilotApprovalLine(at: ApprovalPlace, forDoctor: boolean): string {
  return (
    `approve the hooks in Copilot CLI: it loads ${at.file} only in a folder it trusts, so trust ${at.dir} when it asks ` +
    `(in \`copilot -p\`, GITHUB_COPILOT_PROMPT_MODE_REPO_HOOKS=true loads them too)${doctorTells(forDoctor, '. `taskhooks doctor` tells whether it is trusted')}`
  );
}
