// node:crypto on first use, by `require`: loading it brings streams and ciphers along (≈20 M instructions, 4% of a bare
// node start, counted with callgrind), which a hook whose config comes from the cache and sets nothing by environment
// never needs.
import { createRequire } from 'node:module';

const crypto = (): typeof import('node:crypto') =>
  createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');

export const randomBytes = (size: number): Buffer => crypto().randomBytes(size);

export const randomUUID = (): string => crypto().randomUUID();

/** HMAC-SHA256 of `text` under `key`, base64url. */
export const hmacSha256 = (key: string, text: string): string =>
  crypto().createHmac('sha256', key).update(text).digest('base64url');
