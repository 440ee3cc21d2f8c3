import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./monitor-run-chunk-PJBD5RSI.js";import"./monitor-run-chunk-6PIM6BFC.js";import"./monitor-run-chunk-UELK36TR.js";export{firstPrompt,withStart};
