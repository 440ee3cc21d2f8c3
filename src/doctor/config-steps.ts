// doctor's steps on the configuration: the config files and where the source came from, the project's own files and
// their trust, and the secrets the config holds (whom serve's tokens stand for, files others may read).
import { statSync } from 'node:fs';
import { describeOrigin } from '../config/origin.js';
import { tokenScope } from '../config/display.js';
import { holdsSecret } from '../config/env.js';
import { othersWithAccess, ownerOnlyAcl } from '../home/owner-only.js';
import { shellQuote } from '../install/paths.js';
import type { Logger } from '../log/index.js';
import { describeSource } from '../sources/describe.js';
import { CONFIG_MAX_BYTES, readTextCapped } from '../util/safe-read.js';
import { commandLine } from '../util/shown.js';
import { step, type DoctorRun } from './step.js';
import { StepFailure } from './step-failure.js';

/** The config and the project's files: what holds before git or any source is tried. */
export async function configSteps({ args, steps }: DoctorRun): Promise<void> {
  const { log } = args;
  const { settings, loaded } = args.loaded;
  await step(steps, 'config', 'the config files', () => {
    if (loaded.problems.length > 0)
      throw new StepFailure(
        loaded.problems.map((p) => p.message).join('\n'),
        'fix each line above; `taskhooks config` shows the effective values',
      );
    const origin = loaded.origins.get('source.servers') ?? loaded.origins.get('source.adapter');
    return `${describeSource(settings.source.plan, settings.home, log)}${origin ? ` — from ${describeOrigin(origin)}` : ''}`;
  });

  await step(steps, 'project files', 'the project files', () => {
    if (settings.trustNote)
      throw new StepFailure(
        settings.trustNote,
        'review them with `taskhooks trust` in this project: it shows what they do, then trusts them',
      );
    const files = [loaded.project, loaded.mcpJson].filter((f) => f !== undefined);
    if (files.length === 0) return 'none in this project';
    return files
      .map((f) => `${f.file} (${f.trusted ? 'trusted' : 'not trusted; sets nothing that needs trust'})`)
      .join(', ');
  });
}

/** Serve's tokens, each by whom it stands for, and the config files holding a secret that others may read. */
export async function secretSteps({ args, steps }: DoctorRun): Promise<void> {
  const { settings, loaded } = args.loaded;
  // Who each of `serve`'s configured tokens stands for and which projects it reaches; never the token.
  if (settings.server.tokens.length > 0) {
    await step(steps, 'server tokens', 'server.tokens in the config', () =>
      settings.server.tokens.map((t) => tokenScope(t)).join('; '),
    );
  }

  const exposed = exposedSecretFiles([loaded.userFile, loaded.projectFile, loaded.mcpJson?.file], args.log);
  if (exposed.length > 0) {
    await step(steps, 'secret files', 'the config files', () => {
      throw exposedFailure(exposed);
    });
  }
}

/** A config file holding a secret that others may read, and what lets them: its mode, or on Windows its ACL. */
export interface ExposedFile {
  file: string;
  by: string;
}

/**
 * The config files that hold a secret and that others may read: by their mode, or on Windows (NTFS has no mode bits;
 * Node says 0666 for any file it may write) by their ACL, read as the state directory's is. A file is only read for a
 * secret when its mode lets others in, and icacls only run for one that holds a secret.
 */
export function exposedSecretFiles(
  files: Array<string | undefined>,
  log: Logger,
  platform: NodeJS.Platform = process.platform,
  access: (file: string) => { others?: string; unchecked?: string } = othersWithAccess,
): ExposedFile[] {
  return files.flatMap((file) => {
    if (file === undefined) return [];
    let mode: number;
    try {
      mode = statSync(file).mode & 0o777;
      if (platform !== 'win32' && (mode & 0o077) === 0) return [];
      if (!holdsSecret(JSON.parse(readTextCapped(file, CONFIG_MAX_BYTES)))) return [];
    } catch {
      // Absent, unreadable or not JSON: the config step says so; nothing here for others to read either way.
      return [];
    }
    if (platform !== 'win32') return [{ file, by: `mode ${mode.toString(8)}` }];
    const { others, unchecked } = access(file);
    if (unchecked !== undefined)
      log.warn({ file, unchecked }, 'doctor: the ACL of a config file holding a secret could not be read');
    return others === undefined ? [] : [{ file, by: `its ACL lets ${others} in` }];
  });
}

/** The secret files step's failure, with the command that makes the files their owner's alone on this system. */
export function exposedFailure(
  exposed: readonly ExposedFile[],
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): StepFailure {
  const fix =
    platform === 'win32'
      ? exposed.map((e) => commandLine(['icacls', ...ownerOnlyAcl(e.file, env, 'file')], platform)).join(', then ')
      : `chmod 600 ${exposed.map((e) => shellQuote(e.file)).join(' ')}`;
  return new StepFailure(
    `${exposed.map((e) => `${e.file} (${e.by})`).join(', ')} ${exposed.length === 1 ? 'holds a secret and is' : 'hold secrets and are'} readable by other users`,
    fix,
  );
}
