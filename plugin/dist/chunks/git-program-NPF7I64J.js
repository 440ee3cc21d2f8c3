import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{gitProgram}from"./chunk-GDF2LZYB.js";import"./chunk-7B4V27AQ.js";import"./chunk-PYLYNJKU.js";import"./chunk-WV4FM36M.js";export{gitProgram};
