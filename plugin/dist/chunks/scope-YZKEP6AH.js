import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{locateScope,resolveScope}from"./chunk-BLGCJRX2.js";import"./chunk-7TX3HHBC.js";import"./chunk-4AKKL7JN.js";import"./chunk-WV4FM36M.js";export{locateScope,resolveScope};
