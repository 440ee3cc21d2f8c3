import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
var EXPORT_FORMAT="taskhooks-task-store";var EXPORT_VERSION=2;export{EXPORT_FORMAT,EXPORT_VERSION};
