// Preloaded (node --require) into a child whose SQLite work a test stops at a known point: once an exec'd statement
// containing $TASKHOOKS_TEST_PAUSE_AT has run, the process says "paused" on stderr and blocks, its transaction open,
// until the test kills it. The hook is on better-sqlite3's addon, which the built CLI loads from node_modules too.
const path = require('node:path');

const marker = process.env.TASKHOOKS_TEST_PAUSE_AT;
if (marker) {
  const addon = require(path.join(__dirname, '../../node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
  const exec = addon.Database.prototype.exec;
  addon.Database.prototype.exec = function pausedExec(sql) {
    const result = exec.call(this, sql);
    if (String(sql).includes(marker)) {
      process.stderr.write('paused\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    }
    return result;
  };
}
