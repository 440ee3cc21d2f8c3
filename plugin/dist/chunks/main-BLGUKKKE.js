import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{main}from"./chunk-KORBSGQ2.js";import"./chunk-4VGE6AEN.js";import"./chunk-P256TPUG.js";import"./chunk-6GYBPYCU.js";import"./chunk-5ATVQXT6.js";import"./chunk-HJOQ3P5P.js";import"./chunk-4JUAQOYZ.js";import"./chunk-WV4FM36M.js";export{main};
