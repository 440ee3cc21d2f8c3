import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./monitor-run-chunk-YRE5O26L.js";import"./monitor-run-chunk-GZWIGWZD.js";import"./monitor-run-chunk-UELK36TR.js";export{firstPrompt,withStart};
