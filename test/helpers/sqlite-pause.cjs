// Preloaded (node --require) into a child whose SQLite work a test stops at a known point: once an exec'd statement
// containing $TASKHOOKS_TEST_PAUSE_AT has run, the process says "paused" on stderr and blocks, its transaction open,
// until the test kills it. The hook is on the SQLite library the built CLI uses: better-sqlite3's addon (loaded from
// node_modules) or node:sqlite.
const path = require('node:path');

const marker = process.env.TASKHOOKS_TEST_PAUSE_AT;
/** Makes `proto.exec` pause after a statement holding the marker. */
function pauseExecOf(proto) {
  const exec = proto.exec;
  proto.exec = function pausedExec(sql) {
    const result = exec.call(this, sql);
    if (String(sql).includes(marker)) {
      process.stderr.write('paused\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    }
    return result;
  };
}

if (marker) {
  // Whichever library src/sqlite/driver.ts picks in the child: node:sqlite where this Node has it, else the addon.
  const nodeSqlite = process.getBuiltinModule?.('node:sqlite');
  if (nodeSqlite) pauseExecOf(nodeSqlite.DatabaseSync.prototype);
  try {
    pauseExecOf(
      require(path.join(__dirname, '../../node_modules/better-sqlite3/build/Release/better_sqlite3.node')).Database
        .prototype,
    );
  } catch (err) {
    // Built for another Node: this child runs on node:sqlite.
    if (!nodeSqlite) throw err;
  }
}
