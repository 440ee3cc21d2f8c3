// Claude Code SessionStart hook entry point (bundled to dist/hooks/session-start.js).
import { readFileSync } from 'node:fs';
import { loadConfig } from '../src/config/load.js';
import { deferredLogger } from '../src/log/logger.js';

const input = readFileSync(0, 'utf8');
const { home, config } = loadConfig();
const logger = deferredLogger({ home, file: 'hooks.log', sync: true, level: config.log.level, name: 'session-start' });
logger.info({ bytes: input.length }, 'SessionStart input received');
