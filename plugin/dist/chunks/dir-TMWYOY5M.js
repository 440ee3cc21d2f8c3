import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{ensureHome,resolveHome}from"./chunk-JQ6Y6XHV.js";import"./chunk-WV4FM36M.js";export{ensureHome,resolveHome};
