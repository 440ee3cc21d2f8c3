import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./monitor-run-chunk-XMAAA467.js";import"./monitor-run-chunk-O35VP4V7.js";import"./monitor-run-chunk-UELK36TR.js";export{firstPrompt,withStart};
