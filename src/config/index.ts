export { ConfigSchema, ADAPTERS, GUARD_MODES, LOG_LEVELS } from './schema.js';
export type { Config, Adapter, ServerToken } from './schema.js';
export { loadConfig, resolveHome, ensureHome, describeOrigin, maskSecret, displayValue } from './load.js';
export type { LoadedConfig, ConfigProblem, Origin, LoadOptions } from './load.js';
export { ENV_BINDINGS, normalizeMcpUrl, isSecretKey } from './env.js';
export { findGitRoot, findProjectConfigFile } from './project.js';
export { allowedKeys, configKeys } from './keys.js';
export { planSource, sourceKey } from './source.js';
export type { SourcePlan } from './source.js';
