// Where a PostgreSQL password may be kept, as the reader's system has it: node-postgres reads ~/.pgpass, on Windows
// %APPDATA%\postgresql\pgpass.conf, and $PGPASSFILE wherever it is set.
import { expect, it } from 'vitest';
import { pgpassShown } from '../../src/server/database-url.js';
import type { Reader } from '../../src/util/shown.js';

const windows: Reader = { platform: 'win32', env: {}, homedir: 'C:\\Users\\Jo Doe' };
const linux: Reader = { platform: 'linux', env: {}, homedir: '/home/jo' };

it('names the password file the driver reads, on each system', () => {
  expect(pgpassShown(linux)).toBe('~/.pgpass');
  expect(pgpassShown(windows)).toBe('C:\\Users\\Jo Doe\\AppData\\Roaming\\postgresql\\pgpass.conf');
  expect(pgpassShown({ ...windows, env: { APPDATA: 'D:\\Roaming' } })).toBe('D:\\Roaming\\postgresql\\pgpass.conf');
  expect(pgpassShown({ ...linux, env: { PGPASSFILE: '/home/jo/secrets/pg' } })).toBe('~/secrets/pg');
});
