import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./monitor-run-chunk-VY6MYGHF.js";import"./monitor-run-chunk-W2SKCJ4T.js";import"./monitor-run-chunk-UELK36TR.js";export{firstPrompt,withStart};
