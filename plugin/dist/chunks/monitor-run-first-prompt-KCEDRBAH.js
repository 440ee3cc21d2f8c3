import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./monitor-run-chunk-II37FNUG.js";import"./monitor-run-chunk-YM6IGAWD.js";import"./monitor-run-chunk-UELK36TR.js";export{firstPrompt,withStart};
