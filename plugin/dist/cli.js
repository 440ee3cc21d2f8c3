#!/usr/bin/env node
import { createRequire as __thCreateRequire } from 'node:module'; const require = __thCreateRequire(import.meta.url);
import nodeModule from"node:module";import{fileURLToPath}from"node:url";var{enableCompileCache}=nodeModule;enableCompileCache?.(fileURLToPath(new URL("./.compile-cache",import.meta.url)));await(process.argv[2]==="tasks"?import("./cli-tasks.js"):import("./chunks/start-DAGON2YB.js"));
