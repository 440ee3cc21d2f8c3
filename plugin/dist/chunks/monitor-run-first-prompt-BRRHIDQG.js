import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./monitor-run-chunk-6KZ6Y3LH.js";import"./monitor-run-chunk-3UQRENQD.js";import"./monitor-run-chunk-UELK36TR.js";export{firstPrompt,withStart};
