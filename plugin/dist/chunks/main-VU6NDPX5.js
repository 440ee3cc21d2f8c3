import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{main}from"./chunk-IJGTTKV5.js";import"./chunk-JD2S7LQU.js";import"./chunk-P256TPUG.js";import"./chunk-4JUAQOYZ.js";import"./chunk-E3MHMVN4.js";import"./chunk-6GYBPYCU.js";import"./chunk-HJOQ3P5P.js";import"./chunk-WV4FM36M.js";export{main};
