import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{locateScope,resolveScope}from"./chunk-IKPRZSH3.js";import"./chunk-WQMEBONN.js";import"./chunk-RY435IPL.js";import"./chunk-PYLYNJKU.js";import"./chunk-WV4FM36M.js";export{locateScope,resolveScope};
