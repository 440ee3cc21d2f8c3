import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{describeDriver,openDatabase,sqliteDriver}from"./chunk-6S7O3VQP.js";import"./chunk-VEG6G6HU.js";import"./chunk-OMVTC772.js";import"./chunk-4AKKL7JN.js";import"./chunk-4JUAQOYZ.js";import"./chunk-WV4FM36M.js";export{describeDriver,openDatabase,sqliteDriver};
