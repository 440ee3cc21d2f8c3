import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{gitProgram}from"./chunk-BODCASZB.js";import"./chunk-A6FMJIVA.js";import"./chunk-SJMBUHMZ.js";import"./chunk-WV4FM36M.js";export{gitProgram};
