// The task sources, listed in src/sources/source-list.ts (derived from their folders), and what follows from the list.
// Light: definitions only, so hooks, the config schema and install may read it.
import { SOURCES } from './source-list.js';

export { SOURCES };
export type SourceDefinitionOf = (typeof SOURCES)[number];
export type SourceName = SourceDefinitionOf['name'];

export const SOURCE_NAMES = SOURCES.map((d) => d.name) as readonly SourceName[] as readonly [
  SourceName,
  ...SourceName[],
];

const BY_NAME: ReadonlyMap<string, SourceDefinitionOf> = new Map(SOURCES.map((d) => [d.name, d]));

export function definitionOf<N extends SourceName>(name: N): Extract<SourceDefinitionOf, { name: N }> {
  return BY_NAME.get(name) as Extract<SourceDefinitionOf, { name: N }>;
}

export const isSourceName = (name: string): name is SourceName => BY_NAME.has(name);
