#!/usr/bin/env node
// `taskhooks tasks …`, the commands people run most, come from a build of their own (scripts/bundles.mjs): the whole
// CLI's split build cuts them into some seventy files and Node's module loader pays for each. The build is chosen
// here, before anything of either loads, so no module of one runs beside its copy in the other.
await (process.argv[2] === 'tasks' ? import('./cli-tasks.js') : import('./start.js'));
