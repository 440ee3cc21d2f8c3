import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
var UserError=class extends Error{kind;fix;constructor(message,kind="failed",options){super(message,options?.cause===void 0?void 0:{cause:options.cause});this.name="UserError";this.kind=kind===2?"usage":kind===1?"failed":kind;this.fix=options?.fix}};export{UserError};
