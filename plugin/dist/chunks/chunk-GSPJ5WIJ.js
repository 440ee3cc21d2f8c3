import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
var STATUS_INPUT_STRINGS=["cwd"];var WORKSPACE_STRINGS=["current_dir","project_dir"];export{STATUS_INPUT_STRINGS,WORKSPACE_STRINGS};
