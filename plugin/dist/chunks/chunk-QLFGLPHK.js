import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
function shellWord(v){return/^[\w.@%+=:,/-]+$/.test(v)?v:`'${v.replaceAll("'",`'\\''`)}'`}export{shellWord};
