export {
  createAsyncFileLogger,
  createFileLogger,
  createStderrLogger,
  deferLogger,
  deferredLogger,
  logDir,
  rotateEvery,
} from './logger.js';
export type { Logger, FileLogger, LoggerSettings } from './logger.js';
export { registerSecret, scrub, scrubString } from './redact.js';
export { DEFAULT_LOG_LIMITS, type LogLimits } from './rotate.js';
