import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./chunk-AX3RRTND.js";import"./chunk-PYLYNJKU.js";import"./chunk-WV4FM36M.js";export{firstPrompt,withStart};
