import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import{AsyncLocalStorage}from"node:async_hooks";var writer=new AsyncLocalStorage;function actingFor(sessionId,fn){return sessionId?writer.run(sessionId,fn):fn()}var actor=()=>writer.getStore();export{actingFor,actor};
