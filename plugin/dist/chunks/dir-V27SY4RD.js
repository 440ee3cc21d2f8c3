import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{MOVED_NOTE,earlierPluginStores,ensureHome,pluginDataFolders,resolveHome}from"./chunk-OWXCUZQ3.js";import"./chunk-XW2PC2ID.js";import"./chunk-WV4FM36M.js";export{MOVED_NOTE,earlierPluginStores,ensureHome,pluginDataFolders,resolveHome};
