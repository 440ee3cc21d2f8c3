import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{createRequire}from"node:module";var childProcess=()=>createRequire(import.meta.url)("node:child_process");export{childProcess};
