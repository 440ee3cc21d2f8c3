// What a hook reads of the endpoint on its hot path (src/home/endpoint.ts owns the rest): the ports last written
// into installed files and the hook token, read without making or changing anything.
import { readTextCapped, SMALL_MAX_BYTES } from '../util/safe-read.js';
import { homeFiles } from './files.js';

export interface EndpointRecord {
  hookPort?: number;
  storePort?: number;
}

export const isPort = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 65536;

/** endpoint.json; a damaged one counts as none (the next settle writes it whole), never as a port. */
export function readRecord(home: string): EndpointRecord {
  try {
    const parsed = JSON.parse(readTextCapped(homeFiles(home).endpoint, SMALL_MAX_BYTES)) as EndpointRecord;
    return {
      ...(isPort(parsed.hookPort) ? { hookPort: parsed.hookPort } : {}),
      ...(isPort(parsed.storePort) ? { storePort: parsed.storePort } : {}),
    };
  } catch {
    return {};
  }
}

/** The hook port last written into installed files; undefined before any monitor or install settled one. */
export function recordedHookPort(home: string): number | undefined {
  return readRecord(home).hookPort;
}

/** The hook token as the state directory holds it, without making one; undefined when there is none yet. */
export function readHookToken(home: string): string | undefined {
  try {
    return readTextCapped(homeFiles(home).hookToken, SMALL_MAX_BYTES).trim() || undefined;
  } catch {
    return undefined;
  }
}
