import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{main}from"./chunk-NQLIHIVW.js";import"./chunk-3FO5MHGV.js";import"./chunk-P256TPUG.js";import"./chunk-6GYBPYCU.js";import"./chunk-4JUAQOYZ.js";import"./chunk-OP3CKKQU.js";import"./chunk-HJOQ3P5P.js";import"./chunk-WV4FM36M.js";export{main};
