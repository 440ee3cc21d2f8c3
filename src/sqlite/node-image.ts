// A database's pages as one image, and an image opened, on a Node whose node:sqlite has no serialize/deserialize
// (Node 22; Node 24 has both): through a private temporary file, which nothing outlives.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childProcess } from '../util/child-process.js';

/** How long a copy may take before it is given up. */
const COPY_TIMEOUT_MS = 120_000;

// node:sqlite's online backup is a promise; a child process runs it so that the caller (a migration, a restore) can
// wait for it where it stands. It reads only committed pages, as sqlite3_serialize would.
const BACKUP = `
const [from, to] = JSON.parse(process.argv[1]);
const { DatabaseSync, backup } = process.getBuiltinModule('node:sqlite');
const db = new DatabaseSync(from, { readOnly: true });
backup(db, to).then(() => db.close(), (err) => { process.stderr.write(String(err && err.message || err)); process.exit(1); });
`;

function privateDir(): string {
  // mkdtemp makes it 0700: the copy holds people's tasks.
  return mkdtempSync(path.join(os.tmpdir(), 'taskhooks-image-'));
}

/** The pages of the database file `file` as they are committed now. Throws what the copy said when it failed. */
export function imageByChild(file: string): Buffer {
  const dir = privateDir();
  try {
    const dest = path.join(dir, 'image.db');
    const child = childProcess().spawnSync(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', '-e', BACKUP, JSON.stringify([file, dest])],
      { env: {}, timeout: COPY_TIMEOUT_MS, encoding: 'utf8' },
    );
    if (child.status !== 0)
      throw new Error(
        `could not copy ${file}: ${child.stderr.trim() || child.error?.message || `exit ${child.status}`}`,
      );
    return readFileSync(dest);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `image` as a private file to open in its place, removed by `remove` or at the process's exit. */
export function imageFile(image: Uint8Array): { file: string; remove(): void } {
  const dir = privateDir();
  const remove = (): void => {
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', remove);
  };
  process.on('exit', remove);
  const file = path.join(dir, 'image.db');
  writeFileSync(file, image, { mode: 0o600 });
  return { file, remove };
}
