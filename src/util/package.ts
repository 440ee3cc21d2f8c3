import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A package.json's name and version, or undefined when it is missing or broken. */
function readPackage(dir: string): { name?: unknown; version?: unknown } | undefined {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return undefined; // an unrelated or broken package.json on the way up: not ours
  }
}

/**
 * The folder holding taskhooks' package.json, found by walking up from `fromUrl`: bundles (dist/, dist/chunks/,
 * dist/hooks/) and the sources sit at different depths below it.
 */
export function packageRoot(fromUrl: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (readPackage(dir)?.name === 'taskhooks') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find taskhooks' package.json above ${fileURLToPath(fromUrl)}`);
    dir = parent;
  }
}

let version: string | undefined;

/** taskhooks' version, for `--version`, the MCP client's and the server's introductions. */
export function packageVersion(): string {
  if (version === undefined) {
    let found: unknown;
    try {
      found = readPackage(packageRoot())?.version;
    } catch {
      found = undefined; // a copy of the code outside its package: say so rather than fail
    }
    version = typeof found === 'string' ? found : 'unknown';
  }
  return version;
}

/** Set by the build for all its bundles alike (scripts/bundles.mjs); absent when the sources run as they are (tests). */
declare const __TASKHOOKS_BUILD__: string | undefined;
declare const __TASKHOOKS_COMMIT__: string | undefined;

/** The built code's identity: two builds of one version (a clone and a global install) differ in buildId. */
export interface BuildIdentity {
  version: string;
  /** A hash of the built bundles and the commit; undefined when the sources run unbuilt (tests). */
  buildId?: string;
  /** The git commit built from, `-dirty` with changes; undefined outside a checkout. */
  commit?: string;
}

/** This build's id alone: no file read, for what runs on every hook. */
export function thisBuildId(): string | undefined {
  return typeof __TASKHOOKS_BUILD__ === 'string' ? __TASKHOOKS_BUILD__ : undefined;
}

/** This process's version, build id and commit. */
export function buildIdentity(): BuildIdentity {
  const identity: BuildIdentity = { version: packageVersion() };
  const buildId = thisBuildId();
  if (buildId !== undefined) identity.buildId = buildId;
  if (typeof __TASKHOOKS_COMMIT__ === 'string' && __TASKHOOKS_COMMIT__ !== '') identity.commit = __TASKHOOKS_COMMIT__;
  return identity;
}

/** "0.2.0 (build 1a2b3c4d5e6f, commit 0123abcd4567)", as `--version` prints it and the logs name a build. */
export function describeBuild(b: Partial<BuildIdentity>): string {
  const parts = [b.buildId ? `build ${b.buildId}` : 'no build id', ...(b.commit ? [`commit ${b.commit}`] : [])];
  return `${b.version ?? '(version unknown)'} (${parts.join(', ')})`;
}
