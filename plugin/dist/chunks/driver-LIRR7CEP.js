import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{describeDriver,openDatabase,sqliteDriver}from"./chunk-2B4OQYZK.js";import"./chunk-VEG6G6HU.js";import"./chunk-OMVTC772.js";import"./chunk-4JUAQOYZ.js";import"./chunk-WV4FM36M.js";export{describeDriver,openDatabase,sqliteDriver};
