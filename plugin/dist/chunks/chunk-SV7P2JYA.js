import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
var SESSION_ID=/^([\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}|ses_\w{8,})$/i;function claimHolder(claimedBy,sessionId){const[person,session=person]=claimedBy.split("/");return session===sessionId?"":person!==session||!SESSION_ID.test(claimedBy)?person:void 0}export{claimHolder};
