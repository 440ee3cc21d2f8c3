// Globs for guard rules, gitignore-flavoured: `*` stays within a folder, `**` crosses folders, and a pattern
// without a slash matches a file or folder name at any depth (`*.pem`, `secrets`).

function toRegExp(glob: string, flags: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, flags);
}

/**
 * Whether `relPath` (slash-separated, relative to the project root) matches `glob`; `ignoreCase` where the file
 * system does (`Secrets/key` is then the file `secrets/**` protects).
 */
export function matchesGlob(
  relPath: string,
  glob: string,
  { ignoreCase = false }: { ignoreCase?: boolean } = {},
): boolean {
  const flags = ignoreCase ? 'i' : '';
  const pattern = glob.replace(/^\.\//, '').replace(/\/$/, '/**');
  if (!pattern.includes('/')) {
    const re = toRegExp(pattern, flags);
    return relPath.split('/').some((part) => re.test(part));
  }
  return toRegExp(pattern.replace(/^\//, ''), flags).test(relPath);
}
