import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{programToRun}from"./chunk-A6FMJIVA.js";var gitProgram=()=>programToRun("git");export{gitProgram};
