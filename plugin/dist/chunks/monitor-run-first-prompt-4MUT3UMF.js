import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./monitor-run-chunk-FDH6P72H.js";import"./monitor-run-chunk-FW2SH6BP.js";import"./monitor-run-chunk-UELK36TR.js";export{firstPrompt,withStart};
