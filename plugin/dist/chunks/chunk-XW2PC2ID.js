import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{readdirSync}from"node:fs";import path from"node:path";function namesIn(dir){try{return readdirSync(dir)}catch{return[]}}function isWithin(p,root){const rel=path.relative(root,p);return rel===""||!rel.startsWith("..")&&!path.isAbsolute(rel)}export{namesIn,isWithin};
