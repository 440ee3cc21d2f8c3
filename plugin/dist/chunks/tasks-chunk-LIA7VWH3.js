import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
var WORK_COMMENTS=["off","done","ended"];export{WORK_COMMENTS};
