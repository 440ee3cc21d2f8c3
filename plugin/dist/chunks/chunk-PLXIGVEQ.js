import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
var HOOK_INPUT_STRINGS=["session_id","transcript_path","cwd","hook_event_name","source","tool_name"];var TOOL_INPUT_STRINGS=["file_path","notebook_path","command"];export{HOOK_INPUT_STRINGS,TOOL_INPUT_STRINGS};
