import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{gitProgram}from"./monitor-run-chunk-O35VP4V7.js";import"./monitor-run-chunk-UELK36TR.js";export{gitProgram};
