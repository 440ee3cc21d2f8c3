// Another agent's hook line on Windows, for the shell the agent hands it to there (its adapter's `windows`):
// PowerShell's call operator on single-quoted words, inside which PowerShell reads nothing but a doubled quote; for an
// agent that hands the line to cmd.exe, that line as PowerShell's -EncodedCommand, which holds no quote to misread.
const ENCODED = 'powershell.exe -NoLogo -NoProfile -NonInteractive -EncodedCommand ';
const WORD = "'(?:[^']|'')*'";
const LINE = new RegExp(`^& ${WORD}(?: ${WORD})*$`);

const psWord = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** `& 'program' 'arg' …`: every word literal, spaces, `$` and backslashes of Windows paths included. */
export const powershellLine = (words: readonly string[]): string => ['&', ...words.map(psWord)].join(' ');

/** The line as one cmd.exe can pass on untouched: PowerShell running it, encoded as UTF-16LE in base64. */
export const encodedPowershell = (line: string): string => ENCODED + Buffer.from(line, 'utf16le').toString('base64');

/** The PowerShell line inside an encoded command, else the command as it is. */
export const decodedPowershell = (command: string): string =>
  command.startsWith(ENCODED) ? Buffer.from(command.slice(ENCODED.length), 'base64').toString('utf16le') : command;

/** The words of a line as powershellLine writes it (an encoded one read first), or undefined for any other line. */
export function powershellWords(command: string): string[] | undefined {
  const line = decodedPowershell(command);
  if (!LINE.test(line)) return undefined;
  return [...line.slice(2).matchAll(new RegExp(WORD, 'g'))].map((m) => m[0].slice(1, -1).replaceAll("''", "'"));
}
