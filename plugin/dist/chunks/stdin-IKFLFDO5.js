import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{MAX_HOOK_INPUT_BYTES,hookStdinOf,readHookStdin}from"./chunk-CCEDDMRP.js";import"./chunk-BYE3PIHQ.js";import"./chunk-6TMWNOCN.js";import"./chunk-WV4FM36M.js";export{MAX_HOOK_INPUT_BYTES,hookStdinOf,readHookStdin};
