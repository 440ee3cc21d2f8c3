#!/usr/bin/env node
import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
await(process.argv[2]==="tasks"?import("./cli-tasks.js"):import("./chunks/start-SKFGDI6T.js"));
