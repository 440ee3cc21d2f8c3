import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./monitor-run-chunk-LS36I7K2.js";import"./monitor-run-chunk-DSMO73TX.js";import"./monitor-run-chunk-UELK36TR.js";export{firstPrompt,withStart};
