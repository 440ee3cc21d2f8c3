import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
var MONITOR_LATE_ENV="TASKHOOKS_MONITOR_LATE";var monitorLateIn=env=>env[MONITOR_LATE_ENV]==="1";var ASK_MONITOR_ARG="--ask-monitor";export{MONITOR_LATE_ENV,monitorLateIn,ASK_MONITOR_ARG};
