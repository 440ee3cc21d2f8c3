import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{main}from"./chunk-NYVD2FCW.js";import"./chunk-4DPGJ5U4.js";import"./chunk-BRTGIQPI.js";import"./chunk-WRUS3MIC.js";import"./chunk-TBND5S6E.js";import"./chunk-6GYBPYCU.js";import"./chunk-HJOQ3P5P.js";import"./chunk-WV4FM36M.js";export{main};
