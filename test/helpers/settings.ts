// Narrow settings from a config object, the way every process gets them (src/config/settings.ts), for tests that
// drive a layer directly.
import { ConfigSchema, type Config } from '../../src/config/schema.js';
import { resolveSettings, type Settings } from '../../src/config/settings.js';
import type { SourceSettings } from '../../src/sources/plan.js';

export function settingsOf(config: Config | Record<string, unknown>, home = '/nonexistent-taskhooks-home'): Settings {
  return resolveSettings(ConfigSchema.parse(config), home);
}

export function sourceOf(config: Config | Record<string, unknown>): SourceSettings {
  return settingsOf(config).source;
}
