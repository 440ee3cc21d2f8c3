import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{locateScope,resolveScope}from"./chunk-OZJGR5RG.js";import"./chunk-E4PRFJXM.js";import"./chunk-SZSQH72N.js";import"./chunk-SJMBUHMZ.js";import"./chunk-WV4FM36M.js";export{locateScope,resolveScope};
