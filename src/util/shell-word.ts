// A value as one POSIX shell word in a command printed for a person to paste: bare when it can be, else single-quoted
// (nothing expands inside single quotes, so `$`, backslashes and double quotes stay as written).

export function shellWord(v: string): string {
  return /^[\w.@%+=:,/-]+$/.test(v) ? v : `'${v.replaceAll("'", `'\\''`)}'`;
}
