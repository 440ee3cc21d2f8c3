import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{STORE_OPERATIONS,lazyStore,sqliteStore}from"./chunk-NJTCNLFK.js";import"./chunk-WV4FM36M.js";export{STORE_OPERATIONS,lazyStore,sqliteStore};
