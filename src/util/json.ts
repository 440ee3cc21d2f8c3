/** A JSON syntax error that names where the problem is, so a person can open the file and fix it. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file} is not valid JSON: ${detail} at line ${line}, column ${column}`);
    this.name = 'JsonSyntaxError';
  }
}

function locate(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return { line, column };
}

/**
 * Where parsing first fails when V8 does not say (Node 20's "Unexpected token ']', ..." has no position): the shortest
 * prefix that fails for a reason other than ending early. Longer prefixes keep failing, so a binary search finds it.
 */
function firstErrorOffset(text: string): number {
  const failsInside = (k: number): boolean => {
    try {
      JSON.parse(text.slice(0, k));
      return false;
    } catch (err) {
      const message = err instanceof Error ? err.message : '';
      if (/Unexpected end of JSON input/.test(message)) return false;
      const at = /position (\d+)/.exec(message);
      return !(at && Number(at[1]) >= k);
    }
  };
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsInside(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

/** JSON.parse that turns V8's "at position N" into a line and column. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const m = /position (\d+)/.exec(message);
    const lineCol = /line (\d+) column (\d+)/.exec(message);
    let where = { line: 1, column: 1 };
    if (lineCol) where = { line: Number(lineCol[1]), column: Number(lineCol[2]) };
    else if (m) where = locate(text, Number(m[1]));
    else if (text.trim() === '') where = { line: 1, column: 1 };
    else if (/Unexpected end of JSON input/.test(message)) where = locate(text, text.length);
    else where = locate(text, firstErrorOffset(text));
    const detail = message
      .replace(/^JSON\.parse: /, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/\s*\(line \d+ column \d+\)$/, '')
      .replace(/ at position \d+$/, '')
      .replace(/, (\.\.\.)?".*" is not valid JSON$/s, ''); // V8 quotes the text around the error here: one line is enough
    throw new JsonSyntaxError(file, where.line, where.column, detail || 'unexpected end of input');
  }
}
