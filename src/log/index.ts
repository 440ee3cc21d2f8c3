export { createFileLogger, deferredLogger, logDir } from './logger.js';
export type { Logger, FileLogger, LoggerSettings } from './logger.js';
export { registerSecret, scrub, scrubString } from './redact.js';
