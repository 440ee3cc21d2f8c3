import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
var STORE_FD_ENV="TASKHOOKS_STORE_FD";function takeHandedListener(env){const value=env[STORE_FD_ENV];delete env[STORE_FD_ENV];const m=/^(\d+):(\d+)$/.exec(value??"");return m?{fd:Number(m[1]),port:Number(m[2])}:void 0}export{STORE_FD_ENV,takeHandedListener};
