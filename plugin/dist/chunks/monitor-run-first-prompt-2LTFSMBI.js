import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./monitor-run-chunk-YZSMZ376.js";import"./monitor-run-chunk-S2MMUREW.js";import"./monitor-run-chunk-UELK36TR.js";export{firstPrompt,withStart};
