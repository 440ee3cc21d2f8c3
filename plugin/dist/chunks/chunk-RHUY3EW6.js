import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{programToRun}from"./chunk-6SQIHIVM.js";var gitProgram=()=>programToRun("git");export{gitProgram};
