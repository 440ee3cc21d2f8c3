// Registers loaded-hooks.mjs (`node --import ./bench/loaded.mjs …`).
import { register } from 'node:module';

register('./loaded-hooks.mjs', import.meta.url);
