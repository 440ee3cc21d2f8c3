import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
var HOOK_DEADLINE_DEFAULTS={sessionStartDeadlineMs:1500,preToolUseDeadlineMs:1e3};export{HOOK_DEADLINE_DEFAULTS};
