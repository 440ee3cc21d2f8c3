// What install refuses to merge into: an entry under taskhooks' name that install did not write (a repository's own
// "taskhooks" server runs whatever it names, and install would approve it and doctor vouch for it), or a container
// of another shape than the agent reads (writing around it would lose the user's value, or install nothing while
// saying it did). Each is one line: the place, what is there, the fix. The merge functions know the place inside
// the file; plan.ts adds the file.
import { displayConfigLine } from '../../config/display.js';
import { UserError } from '../../errors/user.js';
import { scrubString } from '../../log/redact.js';
import { isJsonObject } from '../../util/object.js';
import type { JsonObject } from '../../files/json-doc.js';

const NOTHING_CHANGED = 'nothing was changed';
const SHOWN_MAX = 160;

export class WiringRefusal extends UserError {
  constructor(readonly what: string) {
    super(`${what} — ${NOTHING_CHANGED}`);
    this.name = 'WiringRefusal';
  }

  /** The same refusal, naming the file it is about. */
  in(file: string): UserError {
    return new UserError(`${file}: ${this.what} — ${NOTHING_CHANGED}`);
  }
}

/** Runs one file's merge; a refusal comes out naming that file. */
export function refusingIn<T>(file: string, merge: () => T): T {
  try {
    return merge();
  } catch (err) {
    throw err instanceof WiringRefusal ? err.in(file) : err;
  }
}

/** What an entry runs or reaches, as it may be shown: its command line, else its URL, else its JSON, secrets masked. */
export function describeEntry(entry: unknown): string {
  let shown: string;
  const command = isJsonObject(entry) ? (entry.command ?? entry.bash) : undefined;
  if (isJsonObject(entry) && (typeof command === 'string' || Array.isArray(command))) {
    const args = Array.isArray(entry.args) ? entry.args : [];
    shown = `runs ${[command, ...args].flat().map(String).join(' ')}`;
  } else if (isJsonObject(entry) && typeof entry.url === 'string') shown = `reaches ${entry.url}`;
  else shown = `is ${JSON.stringify(entry) ?? String(entry)}`;
  const safe = scrubString(displayConfigLine(shown));
  return safe.length > SHOWN_MAX ? `${safe.slice(0, SHOWN_MAX - 1)}…` : safe;
}

/** An entry under taskhooks' name that install did not write, at `where` in the file. */
export function foreignEntry(where: string, entry: unknown): WiringRefusal {
  return new WiringRefusal(
    `${where} ${describeEntry(entry)}, which taskhooks did not write; remove it or give it another name (taskhooks needs this one), then run install again`,
  );
}

const kindOf = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`;

/** A container the agent reads as `want` (an object, a list) that holds something else. */
export function malformed(key: string, value: unknown, want: string, fix: string): WiringRefusal {
  return new WiringRefusal(`"${key}" is ${kindOf(value)} where ${want} belongs; ${fix}, then run install again`);
}

/** The object under `key`: undefined when absent, refused when it is anything but an object. */
export function objectAt(value: JsonObject, key: string, where = key): JsonObject | undefined {
  const found = value[key];
  if (found === undefined || isJsonObject(found)) return found;
  throw malformed(where, found, 'an object', 'make it an object ({ … }) holding what it holds now');
}

/** The list under `key`: undefined when absent, refused when it is anything but a list. */
export function listAt(value: JsonObject, key: string, where = key): unknown[] | undefined {
  const found = value[key];
  if (found === undefined || Array.isArray(found)) return found;
  const wrapped = JSON.stringify([found]) ?? '[…]';
  const fix = `make it a list${wrapped.length <= SHOWN_MAX ? ` (${scrubString(displayConfigLine(wrapped))})` : ''}`;
  throw malformed(where, found, 'a list', fix);
}
