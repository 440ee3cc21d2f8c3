// Who may see the dashboard: a person who opened the one-time link `taskhooks dashboard` printed. The link's token is
// spent on first use and turns into a sign-in: a cookie the page's own requests carry; every write also carries the
// sign-in's CSRF token, which another page cannot read. (A sign-in, not a "session": that word is Claude Code's.)
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a printed link may wait to be opened. */
const LINK_TTL_MS = 5 * 60_000;
/** How long an opened page stays signed in. */
const SIGN_IN_TTL_MS = 12 * 60 * 60_000;
export const COOKIE = 'taskhooks_dashboard';

export interface DashboardSignIn {
  id: string;
  csrf: string;
  expiresAt: number;
}

const token = (): string => randomBytes(32).toString('base64url');

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The cookie's value in a Cookie header, if it is there. */
function cookieValue(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=');
  }
  return undefined;
}

export interface DashboardAuth {
  /** A new one-time link token. */
  issueLink(now?: number): string;
  /** Spends a link token: the new sign-in, or undefined when the token is unknown, used or expired. */
  redeem(linkToken: string, now?: number): DashboardSignIn | undefined;
  /** The sign-in a Cookie header names, while it lasts. */
  signedIn(cookieHeader: string | undefined, now?: number): DashboardSignIn | undefined;
  /** Whether `given` is the sign-in's CSRF token. */
  csrfMatches(signIn: DashboardSignIn, given: string | string[] | undefined): boolean;
}

/** Links and sign-ins live in the monitor's memory only: a restart signs everyone out, which is the safe side. */
export function createDashboardAuth(): DashboardAuth {
  const links = new Map<string, number>();
  const signIns = new Map<string, DashboardSignIn>();
  const sweep = (now: number): void => {
    for (const [t, expires] of links) if (expires <= now) links.delete(t);
    for (const [id, s] of signIns) if (s.expiresAt <= now) signIns.delete(id);
  };
  return {
    issueLink(now = Date.now()) {
      sweep(now);
      const t = token();
      links.set(t, now + LINK_TTL_MS);
      return t;
    },
    redeem(linkToken, now = Date.now()) {
      sweep(now);
      if (!links.delete(linkToken)) return undefined;
      const s: DashboardSignIn = { id: token(), csrf: token(), expiresAt: now + SIGN_IN_TTL_MS };
      signIns.set(s.id, s);
      return s;
    },
    signedIn(cookieHeader, now = Date.now()) {
      const id = cookieValue(cookieHeader);
      const s = id === undefined ? undefined : signIns.get(id);
      return s && s.expiresAt > now ? s : undefined;
    },
    csrfMatches: (s, given) => typeof given === 'string' && same(s.csrf, given),
  };
}

export const signInCookie = (s: DashboardSignIn): string =>
  `${COOKIE}=${s.id}; HttpOnly; SameSite=Strict; Path=/dashboard; Max-Age=${Math.floor(SIGN_IN_TTL_MS / 1000)}`;
