import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{SILENT_MONITOR_FIX,STRANGER_FIX,probeMonitor,silentMonitorLine,strangerLine}from"./tasks-chunk-EJIFOVBY.js";import"./tasks-chunk-AK5SGXIU.js";export{SILENT_MONITOR_FIX,STRANGER_FIX,probeMonitor,silentMonitorLine,strangerLine};
