// Issue keys in a branch name, as trackers' own branch names carry them: Linear's `sam/eng-123-fix-login`, Jira's
// `feature/ABC-123-login`. Case does not matter (Linear lowercases its branch names); the key is given upper-case.
const KEY = /(?:^|[^A-Za-z0-9])([A-Za-z][A-Za-z0-9_]{0,19})-(\d{1,9})(?![0-9])/g;

/**
 * The issue keys a branch name holds, first one first; with `prefixes` (a team or project key) only theirs.
 * Version-like words (`v-2`) are not keys: a key's prefix has two characters at least.
 */
export function issueKeysIn(branch: string, prefixes: readonly string[] = []): string[] {
  const allowed = new Set(prefixes.map((p) => p.toUpperCase()));
  const keys: string[] = [];
  for (const m of branch.matchAll(KEY)) {
    const prefix = (m[1] as string).toUpperCase();
    if (prefix.length < 2 || (allowed.size > 0 && !allowed.has(prefix))) continue;
    const key = `${prefix}-${Number(m[2])}`;
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}
