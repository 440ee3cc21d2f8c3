import { readFileSync } from 'node:fs';

/** What arrived on stdin: the text, and its JSON value unless it was empty or not JSON (then `error` says why). */
export interface HookStdin {
  bytes: number;
  value: unknown;
  error?: string;
}

function readAll(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch (err) {
    // A non-blocking pipe reports EAGAIN instead of blocking; the device file reads it blocking.
    if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return readFileSync('/dev/stdin', 'utf8');
    throw err;
  }
}

/** Reads and parses the hook input; never throws (a closed or unreadable stdin is reported as an error). */
export function readHookStdin(): HookStdin {
  let text: string;
  try {
    text = readAll();
  } catch (err) {
    return { bytes: 0, value: undefined, error: `stdin unreadable: ${(err as Error).message}` };
  }
  if (text.trim() === '') return { bytes: text.length, value: undefined, error: 'stdin is empty' };
  try {
    return { bytes: text.length, value: JSON.parse(text) };
  } catch (err) {
    return { bytes: text.length, value: undefined, error: `stdin is not JSON: ${(err as Error).message}` };
  }
}
