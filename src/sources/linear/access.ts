// What the Linear source is opened with, from its entries (`source.linear`, which LINEAR_API_KEY and LINEAR_API_URL
// set) and the environment: where the API is, the credential and where it was found (never the key itself).
import { TaskSourceError } from '../../errors/task-source.js';
import { registerSecret } from '../../log/redact.js';
import { LINEAR_WORDS, type LinearCredential } from './api.js';
import { LINEAR_API_URL } from './definition.js';

export interface LinearEntries {
  apiKey?: string | undefined;
  oauthToken?: string | undefined;
  url?: string | undefined;
  team?: string | undefined;
  project?: string | undefined;
}

export interface LinearSettings {
  url: string;
  credential: LinearCredential;
  /** Where the credential came from, for doctor: an environment variable or a config key. */
  from: string;
  /** LINEAR_API_URL and source.linear.url are the person's own (a project file cannot set them), else Linear's https. */
  setByPerson: true;
  team?: string | undefined;
  project?: string | undefined;
}

/** The one line `install` and `doctor` say when no credential is found. */
export const LINEAR_MISSING = `no Linear key found: ${LINEAR_WORDS.authFix}`;

export function linearSettings(entries: LinearEntries, env: NodeJS.ProcessEnv): LinearSettings {
  const url = entries.url ?? LINEAR_API_URL;
  let credential: LinearCredential;
  let from: string;
  if (entries.oauthToken) {
    credential = { kind: 'oauth', value: entries.oauthToken };
    from = 'source.linear.oauthToken';
  } else if (entries.apiKey) {
    credential = { kind: 'apiKey', value: entries.apiKey };
    from = env.LINEAR_API_KEY === entries.apiKey ? 'LINEAR_API_KEY' : 'source.linear.apiKey';
  } else {
    throw new TaskSourceError('config', LINEAR_MISSING, {
      short: 'no Linear key',
      place: url,
      fix: LINEAR_WORDS.authFix,
    });
  }
  registerSecret(credential.value);
  return { url, credential, from, setByPerson: true, team: entries.team, project: entries.project };
}
