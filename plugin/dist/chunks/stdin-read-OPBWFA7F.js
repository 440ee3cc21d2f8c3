import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{MAX_HOOK_INPUT_BYTES,readStdinOnce}from"./chunk-QI5PMU6U.js";import"./chunk-PYLYNJKU.js";import"./chunk-WV4FM36M.js";export{MAX_HOOK_INPUT_BYTES,readStdinOnce};
