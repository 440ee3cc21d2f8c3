import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{locateScope,resolveScope}from"./chunk-3JMXU3VZ.js";import"./chunk-BII3XH24.js";import"./chunk-OUIX3BNZ.js";import"./chunk-PYLYNJKU.js";import"./chunk-WV4FM36M.js";export{locateScope,resolveScope};
