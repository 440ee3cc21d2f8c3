import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./monitor-run-chunk-OHAUQVNO.js";import"./monitor-run-chunk-2WZDWYNZ.js";import"./monitor-run-chunk-UELK36TR.js";export{firstPrompt,withStart};
