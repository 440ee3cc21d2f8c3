// SQLite for every taskhooks database: open with shared pragmas and migrations, detect damage, move damage aside.
export { openSqlite, type Db, type OpenSqliteOptions } from './open.js';
export { migrate, type Migration } from './migrate.js';
export { DamagedDatabaseError, quarantine, type Damage } from './damage.js';
