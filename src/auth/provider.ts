import type { Deadline } from '../util/deadline.js';

/** How requests to one task server are authenticated. */
export interface AuthProvider {
  /** What the credential is, for messages: "the token from MCP_API_TOKEN", "client credentials at <issuer>". */
  readonly describe: string;
  /** Makes sure a usable credential is at hand (obtaining a token when none is cached); cheap when one is. */
  prepare(deadline: Deadline): Promise<void>;
  /** Headers for the next request, from what prepare() obtained. */
  headers(): Record<string, string>;
  /** After a 401: obtains a new credential. Absent when the credential cannot change (a static token). */
  refresh?(deadline: Deadline): Promise<void>;
}

export const NO_AUTH: AuthProvider = {
  describe: 'no credentials',
  prepare: async () => undefined,
  headers: () => ({}),
};

export function staticHeaders(describe: string, headers: Record<string, string>): AuthProvider {
  return { describe, prepare: async () => undefined, headers: () => headers };
}

/** How OIDC client credentials are named in messages. */
export const clientCredentials = (s: { clientId: string; issuer: string }): string =>
  `client credentials of ${s.clientId} at ${s.issuer}`;
