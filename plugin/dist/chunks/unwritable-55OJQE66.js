import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{logFallbackLine,stateDirLine,stateDirProblem,unwritableReason}from"./chunk-SKAYNFWU.js";import"./chunk-WV4FM36M.js";export{logFallbackLine,stateDirLine,stateDirProblem,unwritableReason};
