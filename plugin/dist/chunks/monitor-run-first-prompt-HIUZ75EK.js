import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./monitor-run-chunk-RREPSUP3.js";import"./monitor-run-chunk-3W3IK5B7.js";import"./monitor-run-chunk-UELK36TR.js";export{firstPrompt,withStart};
