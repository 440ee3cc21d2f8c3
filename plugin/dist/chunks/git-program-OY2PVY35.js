import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{gitProgram}from"./chunk-NEEQW3FE.js";import"./chunk-7OVEKFYZ.js";import"./chunk-WV4FM36M.js";export{gitProgram};
