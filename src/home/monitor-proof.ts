// How a monitor proves it is this home's before a client sends it anything over its loopback port, where any local
// user may listen once the monitor is gone: the client sends a fresh nonce, and the monitor answers with an HMAC of it
// and its pid keyed by the hook token, which only the home's owner can read (hook-token, 0600 in an owner-only folder).
// The Unix socket needs no proof: only the owner can make one in the state directory (served-post.ts checks its owner).

/**
 * node:crypto, loaded at first use: the exec-form SessionStart asks the monitor over its socket on Linux and macOS and
 * needs no proof there, so its fast path (src/hooks/hosts/ask-monitor.ts) does not pay for loading it.
 */
const nodeCrypto = () => process.getBuiltinModule('node:crypto');

/** The client's fresh challenge, and the monitor's answer to it. */
export const NONCE_HEADER = 'x-taskhooks-nonce';
export const PROOF_HEADER = 'x-taskhooks-proof';

/** What a nonce looks like: the monitor answers no other (the header is the client's, not an arbitrary string). */
export const NONCE = /^[0-9a-f]{32}$/;

export const newNonce = (): string => nodeCrypto().randomBytes(16).toString('hex');

/** The proof of the monitor `pid`, holding `token`, for `nonce`. */
export function monitorProof(token: string, nonce: string, pid: number): string {
  return nodeCrypto().createHmac('sha256', token).update(`taskhooks monitor ${pid} ${nonce}`).digest('hex');
}

/** Whether `given` proves the monitor `pid` holding `token` answered `nonce`. */
export const provesMonitor = (given: unknown, token: string, nonce: string, pid: number): boolean =>
  typeof given === 'string' && given === monitorProof(token, nonce, pid);
