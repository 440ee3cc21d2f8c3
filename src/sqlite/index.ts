// SQLite for every taskhooks database: open with shared pragmas and migrations, detect damage, move damage aside,
// and make checked copies.
export { openSqlite, type Db, type OpenSqliteOptions } from './open.js';
export { NO_DRIVER_FIX, NoSqliteError } from './no-driver.js';
export {
  describeDriver,
  openDatabase,
  sqliteDriver,
  type DriverName,
  type OpenOptions,
  type RunResult,
  type SqlValue,
  type Statement,
  type Transaction,
} from './driver.js';
export { openImage, readImage } from './image.js';
export { existingVersion, migrate, type BeforeMigrate, type Migration } from './migrate.js';
export {
  DamagedDatabaseError,
  isCorruption,
  quarantine,
  timestamp,
  type Damage,
  type QuarantineOptions,
} from './damage.js';
export { backupOnline, copyFile, copyNow, quickCheck, readCopy, type CopyResult } from './copy.js';
export { foldLargeWal, lostWalFrames, WAL_FOLD_BYTES } from './wal.js';
