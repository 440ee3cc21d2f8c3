import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
var UserError=class extends Error{constructor(message,exitCode=1,options){super(message,options);this.exitCode=exitCode;this.name="UserError"}exitCode};export{UserError};
