#!/usr/bin/env node
import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import nodeModule from"node:module";import{fileURLToPath}from"node:url";var{enableCompileCache}=nodeModule;enableCompileCache?.(fileURLToPath(new URL("./.compile-cache",import.meta.url)));var words=process.argv.slice(2);var topOnly=words.length===0||words.length===1&&["--help","-h","help","--version","-v"].includes(words[0]??"");await(words[0]==="tasks"?import("./cli-tasks.js"):topOnly?import("./cli-help.js"):import("./chunks/start-ANETR635.js"));
