import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{gitProgram}from"./chunk-RHUY3EW6.js";import"./chunk-6SQIHIVM.js";import"./chunk-KOSD5I5K.js";import"./chunk-PYLYNJKU.js";import"./chunk-WV4FM36M.js";export{gitProgram};
