import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{programToRun}from"./chunk-7B4V27AQ.js";var gitProgram=()=>programToRun("git");export{gitProgram};
