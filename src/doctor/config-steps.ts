// doctor's steps on the configuration: the config files and where the source came from, the project's own files and
// their trust, and the secrets the config holds (whom serve's tokens stand for, files others may read).
import { statSync } from 'node:fs';
import { describeOrigin } from '../config/origin.js';
import { tokenScope } from '../config/display.js';
import { holdsSecret } from '../config/env.js';
import { shellQuote } from '../install/paths.js';
import { describeSource } from '../sources/describe.js';
import { CONFIG_MAX_BYTES, readTextCapped } from '../util/safe-read.js';
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

  const exposed = exposedSecretFiles([loaded.userFile, loaded.projectFile, loaded.mcpJson?.file]);
  if (exposed.length > 0) {
    await step(steps, 'secret files', 'the config files', () => {
      throw new StepFailure(
        `${exposed.map((e) => `${e.file} (mode ${e.mode.toString(8)})`).join(', ')} ${exposed.length === 1 ? 'holds a secret and is' : 'hold secrets and are'} readable by other users`,
        `chmod 600 ${exposed.map((e) => shellQuote(e.file)).join(' ')}`,
      );
    });
  }
}

/** The config files that hold a secret and that group or others may read. */
function exposedSecretFiles(files: Array<string | undefined>): Array<{ file: string; mode: number }> {
  return files.flatMap((file) => {
    if (file === undefined) return [];
    try {
      const mode = statSync(file).mode & 0o777;
      if ((mode & 0o077) === 0) return [];
      return holdsSecret(JSON.parse(readTextCapped(file, CONFIG_MAX_BYTES))) ? [{ file, mode }] : [];
    } catch {
      // Absent, unreadable or not JSON: the config step says so; nothing here for others to read either way.
      return [];
    }
  });
}
