import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./monitor-run-chunk-3A6SQUSW.js";import"./monitor-run-chunk-QYDYPHRE.js";import"./monitor-run-chunk-UELK36TR.js";export{firstPrompt,withStart};
