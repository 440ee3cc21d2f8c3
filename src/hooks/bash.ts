// Just enough shell reading to tell which git subcommands a Bash tool call runs; anything unusual is read
// conservatively (a command we cannot parse is not treated as a commit or push).

export interface GitInvocation {
  subcommand: string;
  /** The words after the subcommand, options included. */
  args: string[];
}

// git's global options that take a separate value: `git -C dir push` pushes.
const GLOBAL_WITH_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path']);

function words(segment: string): string[] {
  return (segment.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^(["'])(.*)\1$/, '$2'));
}

/** Every `git <subcommand>` in a command line, across `;`, `&&`, `||`, `|`, subshells and newlines. */
export function gitInvocations(command: string): GitInvocation[] {
  const found: GitInvocation[] = [];
  for (const segment of command.split(/&&|\|\||[;|\n()`]|\$\(/)) {
    const w = words(segment);
    // Skip env assignments and wrappers (`FOO=1 git …`, `sudo git …`, `command git …`).
    let i = w.findIndex((x) => x === 'git' || x.endsWith('/git'));
    if (i < 0) continue;
    if (!w.slice(0, i).every((x) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(x) || ['sudo', 'command', 'exec', 'env', 'nice', 'time'].includes(x))) continue;
    i++;
    while (i < w.length && (w[i] as string).startsWith('-')) i += GLOBAL_WITH_VALUE.has(w[i] as string) ? 2 : 1;
    const subcommand = w[i];
    if (subcommand) found.push({ subcommand, args: w.slice(i + 1) });
  }
  return found;
}

/** Branches a `git push` writes to; `current` stands for HEAD and for a push without a refspec. */
export function pushTargets(args: string[], current: string | null): { branches: string[]; all: boolean } {
  const positional = args.filter((a) => !a.startsWith('-'));
  const all = args.some((a) => a === '--all' || a === '--mirror' || a === '--branches');
  const refspecs = positional.slice(1);
  if (refspecs.length === 0) return { branches: current ? [current] : [], all };
  const branches = refspecs.map((spec) => {
    const dst = spec.replace(/^\+/, '').split(':').pop() ?? spec;
    const name = dst === 'HEAD' || dst === '' ? (current ?? '') : dst;
    return name.replace(/^refs\/heads\//, '');
  });
  return { branches: branches.filter(Boolean), all };
}
