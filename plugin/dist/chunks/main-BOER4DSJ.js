import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{main}from"./chunk-Z3YF5YBB.js";import"./chunk-454BGCDE.js";import"./chunk-P256TPUG.js";import"./chunk-4JUAQOYZ.js";import"./chunk-TBND5S6E.js";import"./chunk-6GYBPYCU.js";import"./chunk-HJOQ3P5P.js";import"./chunk-WV4FM36M.js";export{main};
