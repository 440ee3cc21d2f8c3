// Flags several commands share, described once, and what they mean: `--project` is always the project's name on the
// task server, `--dir` always a directory.
import { statSync } from 'node:fs';
import path from 'node:path';
import { quoted, UsageError } from './args.js';
import type { CliContext, FlagSpec } from './command.js';

export const JSON_FLAG = {
  type: 'boolean',
  description: 'print the result as JSON (for scripts) instead of text',
} as const satisfies FlagSpec;

export const dirFlag = (description: string) =>
  ({ type: 'string', placeholder: 'DIR', description }) as const satisfies FlagSpec;

export const PROJECT_FLAG = {
  type: 'string',
  placeholder: 'NAME',
  description: "the project's name on the task server (default: source.project, else the repository's)",
} as const satisfies FlagSpec;

/** `install --project DIR` and friends from before `--dir`: still read, never shown. */
export const PROJECT_DIR_ALIAS = {
  type: 'string',
  placeholder: 'DIR',
  hidden: true,
  description: 'the old spelling of --dir',
} as const satisfies FlagSpec;

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

const hasSeparator = (v: string): boolean => v.includes('/') || v.includes(path.sep);

/**
 * The directory a command acts on: `--dir`, else the old `--project DIR` (when its value is an existing directory or
 * a path; a deprecation note says so on stderr), else `fallback`.
 */
export function dirFromFlags(
  ctx: CliContext,
  values: { dir?: string | undefined; project?: string | undefined },
  fallback: string,
): string {
  let raw = values.dir;
  if (values.project !== undefined) {
    const v = values.project;
    if (values.dir !== undefined) throw new UsageError('--project DIR is the old spelling of --dir: give --dir only');
    if (!hasSeparator(v) && !isDirectory(path.resolve(ctx.cwd, v))) {
      throw new UsageError(
        `--project means the project's name on the task server, and this command takes none; for the directory ${quoted(v)} write --dir ${v}`,
      );
    }
    ctx.out.stderr.write(
      `taskhooks: --project DIR is deprecated here, use --dir ${v} (--project now always names the project on the task server)\n`,
    );
    raw = v;
  }
  const dir = raw === undefined ? fallback : path.resolve(ctx.cwd, raw);
  if (!isDirectory(dir)) throw new UsageError(`--dir ${quoted(dir)} is not a directory`);
  return dir;
}

/** A `--project` given a path is a directory mistaken for a name: say so instead of "project not registered". */
export function checkProjectName(cwd: string, name: string | undefined): void {
  if (name === undefined) return;
  const clearlyPath =
    path.isAbsolute(name) ||
    name === '.' ||
    name === '..' ||
    name.startsWith('~') ||
    (hasSeparator(name) && isDirectory(path.resolve(cwd, name)));
  if (clearlyPath)
    throw new UsageError(
      `--project is the project's name on the task server, not a directory: for the project in ${quoted(name)} write --dir ${name}`,
    );
}
