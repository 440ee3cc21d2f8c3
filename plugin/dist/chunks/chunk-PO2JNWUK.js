import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{writeSync}from"./chunk-PYLYNJKU.js";function writeOutUntilFailed(bytes){let written=0;try{while(written<bytes.length)written+=writeSync(1,bytes,written)}catch(err){return{written,err}}return void 0}export{writeOutUntilFailed};
