import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{ensureHome,resolveHome}from"./chunk-4NM4QMRW.js";import"./chunk-WV4FM36M.js";export{ensureHome,resolveHome};
