// Where a push that does not spell out its destination goes by the settings an earlier tool call may have left: a
// remote's push refspecs and mirror, push.default with the branch's upstream, the remote a branch pushes to. Read from
// git's config files as git reads them (system, global, the repository's, the worktree's, and what they include), with
// the capped reader a stranger's file needs; never by running git. A conditional include (`includeIf`) is weighed both
// ways: its values may or may not apply.
import os from 'node:os';
import path from 'node:path';
import { CONFIG_MAX_BYTES, readTextIfPresent } from '../../util/safe-read.js';

/** One setting as a config file writes it: `section.subsection.name` (section and name lower-cased), null for a bare key. */
export interface ConfigEntry {
  key: string;
  value: string | null;
  /** Set by a conditional include, which may not apply. */
  maybe?: true;
}

/** A config file git would refuse (a broken line): a push through it fails, but the guard says it cannot read it. */
export class ConfigSyntaxError extends Error {
  constructor(file: string, line: number) {
    super(`${file}:${line} is not a line git config reads`);
    this.name = 'ConfigSyntaxError';
  }
}

/** The keys that decide where a push goes, and those that bring in another file. */
const KEPT =
  /^(push\.default|remote\.pushdefault|remote\..+\.(push|mirror)|branch\..+\.(merge|remote|pushremote)|include\.path|includeif\..+\.path)$/;

/** git's own bound on nested includes; past it git refuses the config. */
const MAX_INCLUDE_DEPTH = 10;

/**
 * The entries of a config file's text that KEPT names, in order, parsed as git's config.c does: `[section]`,
 * `[section "sub"]` and `[section.sub]` headers, `name = value` or a bare `name`, quotes, escapes, line continuations
 * and comments. Throws ConfigSyntaxError where git would refuse the file.
 */
export function parseConfig(text: string, file = 'config'): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  let section = '';
  let line = 1;
  let i = 0;
  const fail = (): never => {
    throw new ConfigSyntaxError(file, line);
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\n') {
      line++;
      i++;
    } else if (isSpace(c) || (i === 0 && text.startsWith('\ufeff'))) i++;
    else if (c === '#' || c === ';') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '[') {
      const eol = text.indexOf('\n', i);
      const header = /^\[([A-Za-z0-9.-]+)(?:[ \t]+"((?:[^"\\\n]|\\[^\n])*)")?\]/.exec(
        text.slice(i, eol < 0 ? text.length : eol),
      );
      if (!header) return fail();
      const name = (header[1] as string).toLowerCase();
      // `[section.sub]` is the old spelling of `[section "sub"]`, its subsection lower-cased.
      section = header[2] === undefined ? name : `${name}.${(header[2] as string).replace(/\\([^\n])/g, '$1')}`;
      i += header[0].length;
    } else if (/[A-Za-z]/.test(c)) {
      let end = i;
      while (end < text.length && /[A-Za-z0-9-]/.test(text[end] as string)) end++;
      const name = text.slice(i, end).toLowerCase();
      i = end;
      while (isSpace(text[i])) i++;
      let value: string | null = null;
      if (text[i] === '=') {
        const read = configValue(text, i + 1);
        if (read === undefined) return fail();
        [value, i] = [read.value, read.end];
        line += read.lines;
      } else if (text[i] !== undefined && text[i] !== '\n' && text[i] !== '#' && text[i] !== ';') return fail();
      if (section === '') return fail();
      // Section and name were lower-cased, a quoted subsection keeps its case as git compares it.
      const key = `${section}.${name}`;
      if (KEPT.test(key)) entries.push({ key, value });
    } else return fail();
  }
  return entries;
}

/**
 * The value that starts at `from` (after `=`), as git reads it: quotes, escapes, `\`-newline continuations, a
 * comment after it dropped, blanks around it trimmed. Undefined where git would refuse it.
 */
function configValue(text: string, from: number): { value: string; end: number; lines: number } | undefined {
  let out = '';
  let pending = 0;
  let quoted = false;
  let lines = 0;
  let i = from;
  for (;;) {
    const v = text[i];
    if (v === undefined || (v === '\n' && !quoted)) break;
    if (v === '\n') return undefined;
    i++;
    if (!quoted && (v === '#' || v === ';')) {
      while (i < text.length && text[i] !== '\n') i++;
      break;
    }
    if (!quoted && isSpace(v)) {
      if (out !== '') pending++;
      continue;
    }
    out += ' '.repeat(pending);
    pending = 0;
    if (v === '"') quoted = !quoted;
    else if (v === '\\') {
      const e = text[i++];
      if (e === '\n') lines++;
      else if (e === 'n') out += '\n';
      else if (e === 't') out += '\t';
      else if (e === 'b') out += '\b';
      else if (e === '\\' || e === '"') out += e;
      else return undefined;
    } else out += v;
  }
  return quoted ? undefined : { value: out, end: i, lines };
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';

/** What reading costs the walk: called with the bytes each file holds. Throws to stop the read. */
export type Spend = (bytes: number) => void;

/**
 * The kept entries of `file` and of what it includes, in the order git sees them; a file that is missing adds none
 * (git skips a missing include too). Throws what the capped reader throws (a FIFO, a file too large, no permission)
 * and ConfigSyntaxError.
 */
function readWithIncludes(file: string, spend: Spend, depth: number, maybe: boolean, out: ConfigEntry[]): void {
  if (depth > MAX_INCLUDE_DEPTH) throw new ConfigSyntaxError(file, 0);
  let text: string | undefined;
  try {
    text = readTextIfPresent(file, CONFIG_MAX_BYTES);
  } catch (err) {
    // A folder on the way is a file: nothing is there, as for git.
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return;
    throw err;
  }
  if (text === undefined) return;
  spend(text.length);
  for (const entry of parseConfig(text, file)) {
    const lower = entry.key.toLowerCase();
    const include = lower === 'include.path' || (lower.startsWith('includeif.') && lower.endsWith('.path'));
    if (!include) {
      out.push(maybe ? { ...entry, maybe: true } : entry);
      continue;
    }
    if (entry.value === null) throw new ConfigSyntaxError(file, 0);
    const named = entry.value;
    // `~user/…` names another user's home, which the guard does not look up.
    if (/^~[^/]/.test(named)) throw new ConfigSyntaxError(file, 0);
    const target = named.startsWith('~/')
      ? path.join(os.homedir(), named.slice(2))
      : path.resolve(path.dirname(file), named);
    readWithIncludes(target, spend, depth + 1, maybe || lower !== 'include.path', out);
  }
}

/** git's config files outside the repository, as this process's environment names them. */
function outsideFiles(env: NodeJS.ProcessEnv): string[] {
  const files: string[] = [];
  if (!env.GIT_CONFIG_NOSYSTEM) files.push(env.GIT_CONFIG_SYSTEM || '/etc/gitconfig');
  if (env.GIT_CONFIG_GLOBAL) files.push(env.GIT_CONFIG_GLOBAL);
  else {
    const xdg = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
    files.push(path.join(xdg, 'git', 'config'), path.join(os.homedir(), '.gitconfig'));
  }
  return files;
}

/**
 * The push settings of the repository whose HEAD is in `gitDir` (refs and config in `commonDir`), with the system's
 * and the user's. Throws when a file cannot be read or understood.
 */
export function readPushConfig(gitDir: string, commonDir: string, spend: Spend, env = process.env): PushConfig {
  const out: ConfigEntry[] = [];
  const files = [...outsideFiles(env), path.join(commonDir, 'config')];
  if (gitDir !== commonDir) files.push(path.join(gitDir, 'config.worktree'));
  for (const file of files) readWithIncludes(file, spend, 0, false, out);
  return new PushConfig(out);
}

/** A value of a key: undefined when unset. */
type Value = string | null | undefined;

const FALSE = /^(false|no|off|0|)$/i;

export class PushConfig {
  private readonly byKey = new Map<string, ConfigEntry[]>();

  constructor(entries: ConfigEntry[]) {
    for (const e of entries) {
      const list = this.byKey.get(e.key) ?? [];
      list.push(e);
      this.byKey.set(e.key, list);
    }
  }

  /** The values a one-valued key may have: the last set, and any a conditional include may set after it. */
  values(key: string): Value[] {
    const list = this.byKey.get(key) ?? [];
    const found: Value[] = [];
    for (let k = list.length - 1; k >= 0; k--) {
      const e = list[k] as ConfigEntry;
      found.push(e.value);
      if (!e.maybe) return found;
    }
    return [...found, undefined];
  }

  /** Every value of a many-valued key (remote.*.push), a conditional one included. */
  all(key: string): Array<string | null> {
    return (this.byKey.get(key) ?? []).map((e) => e.value);
  }

  /** The remotes a push naming none goes to from `branch`: pushRemote, remote.pushDefault, the branch's remote, origin. */
  remotes(branch: string | null): string[] {
    const chain = [
      ...(branch === null ? [] : [`branch.${branch}.pushremote`]),
      'remote.pushdefault',
      ...(branch === null ? [] : [`branch.${branch}.remote`]),
    ];
    const found = new Set<string>();
    for (const key of chain) {
      const values = this.values(key);
      for (const v of values) if (typeof v === 'string' && v !== '') found.add(v);
      if (!values.includes(undefined)) return [...found];
    }
    return [...found.add('origin')];
  }

  /** Whether pushes to `remote` may mirror every ref. */
  mirrors(remote: string): boolean {
    return this.values(`remote.${remote}.mirror`).some((v) => v === null || (v !== undefined && !FALSE.test(v)));
  }

  /** push.default's values, `simple` where unset. */
  pushDefaults(): string[] {
    return this.values('push.default').map((v) => (v === undefined ? 'simple' : (v ?? '')));
  }

  /** The branches `branch.<name>.merge` may name (its upstream), undefined where unset. */
  upstreams(branch: string): Array<string | undefined> {
    return this.values(`branch.${branch}.merge`).map((v) => (v === undefined ? undefined : branchName(v ?? '')));
  }

  /**
   * Where `git push REMOTE BRANCH` sends BRANCH, as git's push maps a refspec without destination: by the first of
   * remote.REMOTE.push whose source matches it (each weighed here), else to its upstream under push.default=upstream,
   * else to its own name. Undefined when a setting cannot be read as git would.
   */
  mapped(remote: string | undefined, branch: string): string[] | undefined {
    if (remote === undefined) return undefined;
    const full = `refs/heads/${branch}`;
    const mapped = new Set<string>();
    for (const spec of this.all(`remote.${remote}.push`)) {
      if (spec === null) return undefined;
      const [src, dst] = spec.replace(/^\+/, '').split(/:(.*)/s) as [string, string | undefined];
      if (dst === undefined) continue;
      if (src.includes('*')) {
        const [before, after] = src.split('*') as [string, string];
        const matches = full.length >= before.length + after.length && full.startsWith(before) && full.endsWith(after);
        if (matches) mapped.add(branchName(dst.replace('*', full.slice(before.length, full.length - after.length))));
      } else if (src === full || src === branch || src === `heads/${branch}`) mapped.add(branchName(dst));
    }
    if (mapped.size > 0) return [...mapped];
    for (const mode of this.pushDefaults()) {
      if (mode !== 'upstream' && mode !== 'tracking') mapped.add(branch);
      else for (const upstream of this.upstreams(branch)) mapped.add(upstream ?? branch);
    }
    return [...mapped];
  }

  /**
   * Where `git push [REMOTE]` without a refspec goes from `current` (null: detached): the remote's push refspecs (a
   * mirror pushes every branch), else push.default: `simple` and `current` the current branch, `upstream` its
   * upstream, `matching` every branch both sides have, `nothing` none.
   */
  configured(
    remote: string | undefined,
    current: string | null,
  ): { branches: string[]; all: boolean; unknown: boolean } {
    const branches = new Set<string>();
    let all = false;
    let unknown = false;
    for (const r of remote === undefined ? this.remotes(current) : [remote]) {
      if (this.mirrors(r)) all = true;
      const specs = this.all(`remote.${r}.push`);
      for (const spec of specs) {
        if (spec === null) {
          unknown = true;
          continue;
        }
        const [src, dst] = spec.replace(/^\+/, '').split(/:(.*)/s) as [string, string | undefined];
        if (src === '' && (dst === undefined || dst === '')) all = true;
        const target = dst === undefined || dst === '' ? src : dst;
        if (/[*?[]/.test(target)) unknown = true;
        else if (target === 'HEAD' || target === '@') {
          if (current) branches.add(current);
        } else if (target) branches.add(branchName(target));
      }
      if (specs.length > 0) continue;
      for (const mode of this.pushDefaults()) {
        if (mode === 'matching') all = true;
        else if (mode === 'simple' || mode === 'current') {
          if (current) branches.add(current);
        } else if (mode === 'upstream' || mode === 'tracking') {
          if (current) for (const upstream of this.upstreams(current)) branches.add(upstream ?? current);
        } else if (mode !== 'nothing') unknown = true;
      }
    }
    return { branches: [...branches], all, unknown };
  }
}

const branchName = (ref: string): string => ref.replace(/^(refs\/)?heads\//, '');

/** How the guard reads a repository's push settings: given to it with the Bash reader, a file of its own. */
export type ReadPushConfig = typeof readPushConfig;
