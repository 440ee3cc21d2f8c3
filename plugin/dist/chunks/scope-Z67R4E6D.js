import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{locateScope,resolveScope}from"./chunk-H7TDI6SL.js";import"./chunk-UNHPFS6F.js";import"./chunk-DZZBFZOF.js";import"./chunk-WV4FM36M.js";export{locateScope,resolveScope};
