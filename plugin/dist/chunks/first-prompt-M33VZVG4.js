import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./chunk-TSLTSGS2.js";import"./chunk-UPKTB7JF.js";import"./chunk-FJ3GKJKC.js";import"./chunk-47TEDYGS.js";import"./chunk-FNHICGFU.js";import"./chunk-ZQIKFL6S.js";import"./chunk-PYLYNJKU.js";import"./chunk-WV4FM36M.js";export{firstPrompt,withStart};
