import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{firstPrompt,withStart}from"./chunk-BRW5IO6R.js";import"./chunk-SJOARWGT.js";import"./chunk-OP5EH3E3.js";import"./chunk-47TEDYGS.js";import"./chunk-DA4ZNVP2.js";import"./chunk-ZQIKFL6S.js";import"./chunk-PYLYNJKU.js";import"./chunk-WV4FM36M.js";export{firstPrompt,withStart};
