import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./monitor-run-chunk-LV2MDDUF.js";import"./monitor-run-chunk-WKHEMRSA.js";import"./monitor-run-chunk-UELK36TR.js";export{firstPrompt,withStart};
