import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./monitor-run-chunk-6I7WL3YU.js";import"./monitor-run-chunk-PQUHW6DW.js";import"./monitor-run-chunk-UELK36TR.js";export{firstPrompt,withStart};
