// The Debian packages some tests run for real (postgresql, pgbouncer, chromium), installed with apt-get when missing
// and the tests run as root; never silently: one line on stderr first says what is installed and why.
import { execFileSync } from 'node:child_process';

export interface DebianPackage {
  /** The package's name, e.g. `postgresql`. */
  name: string;
  /** What needs it, for the line said before installing: "the PostgreSQL store's tests". */
  neededBy: string;
  /** Whether it is installed already (its binary exists). */
  present(): boolean;
}

export interface InstallOptions {
  /** Root may install; anyone else is told the command to run. The process's own uid unless given. */
  root?: boolean;
  /** Where the line goes: stderr unless given. */
  say?: (line: string) => void;
}

/**
 * Installs `pkg` when it is missing and we are root, after saying so; returns whether it is there now. A missing
 * package that may not be installed is left to the caller, which says how to install it.
 */
export function ensureDebianPackage(pkg: DebianPackage, opts: InstallOptions = {}): boolean {
  if (pkg.present()) return true;
  if (!(opts.root ?? process.getuid?.() === 0)) return false;
  const say = opts.say ?? ((line: string) => void process.stderr.write(`${line}\n`));
  say(
    `taskhooks tests: installing the Debian package ${pkg.name} (apt-get update && apt-get install ${pkg.name}) for ${pkg.neededBy}: it is missing and the tests run as root`,
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', pkg.name], { stdio: 'ignore', env });
  return pkg.present();
}
