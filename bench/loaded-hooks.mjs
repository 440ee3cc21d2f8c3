// Module hooks for the CLI bench: every module file a run loads is appended (path and bytes) to $TASKHOOKS_BENCH_LOADED,
// so the bench can say how much of the bundle a command really reads.
import { appendFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function load(url, context, next) {
  const out = process.env.TASKHOOKS_BENCH_LOADED;
  if (out && url.startsWith('file:')) {
    const file = fileURLToPath(url);
    appendFileSync(out, `${statSync(file).size}\t${file}\n`);
  }
  return next(url, context);
}
