import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
var isOverdue=(due,now)=>due.slice(0,10)<new Date(now).toISOString().slice(0,10);export{isOverdue};
