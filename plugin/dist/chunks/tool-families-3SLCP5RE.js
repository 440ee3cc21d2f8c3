import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{COMPATIBILITY,SESSION,SESSION_TOOL_NAMES,TOOLS_WORDS,familiesAsked,toolsOfUrl}from"./chunk-5EPBSX6U.js";import"./chunk-WV4FM36M.js";export{COMPATIBILITY,SESSION,SESSION_TOOL_NAMES,TOOLS_WORDS,familiesAsked,toolsOfUrl};
