// Adding a hook event is one file and a task source one folder: every list of them is derived from the definitions,
// and each derived file equals what `npm run derive` makes of them (a failure shows the text to expect).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOOK_EVENTS } from '../../src/hooks/events/events.js';
import { compactedHandler, mcpToolHandler, PLUGIN_MCP_SERVER } from '../../src/hooks/hosts/mcp-tool-input.js';
import { ADAPTERS } from '../../src/sources/adapters.js';
import { SOURCE_NAMES, type SourceName } from '../../src/sources/registry.js';
import { ROOT } from '../helpers/hooks.js';
// @ts-expect-error a plain .mjs script, run as it is by npm run derive
import * as derived from '../../scripts/derived-files.mjs';

const { derivedFiles, entrySource, eventTable, findHookDefinitions, findSources } = derived;

interface Definition {
  name: string;
  exportName: string;
}
const definitions = findHookDefinitions(ROOT) as Definition[];
const sources = findSources(ROOT) as string[];
const files = derivedFiles(ROOT, definitions, HOOK_EVENTS, sources, {
  compactedHandler,
  mcpToolHandler,
  PLUGIN_MCP_SERVER,
}) as Record<string, string>;

describe('files derived from the hook definitions', () => {
  it('finds one definition per file that calls defineHook, and HOOK_EVENTS holds exactly those', () => {
    const defining = readdirSync(path.join(ROOT, 'src/hooks/events')).filter((f) =>
      /^export const \w+ = defineHook\(/m.test(readFileSync(path.join(ROOT, 'src/hooks/events', f), 'utf8')),
    );
    expect(definitions.map((d) => `${d.name}.ts`)).toEqual(defining.sort());
    expect(HOOK_EVENTS.map((e) => e.name)).toEqual(definitions.map((d) => d.name));
  });

  it.each(Object.keys(files))('%s is what npm run derive writes', (file) => {
    expect(readFileSync(path.join(ROOT, file), 'utf8'), `${file}: run npm run derive`).toBe(files[file]);
  });

  it('finds one source per folder with a definition, named as its folder, each with an adapter', () => {
    expect(SOURCE_NAMES).toEqual(sources);
    for (const name of sources) expect(ADAPTERS[name as SourceName], name).toBeDefined();
  });

  it('has no entry in hooks/ but the events’ and the status line’s', () => {
    const entries = readdirSync(path.join(ROOT, 'hooks')).filter((f) => f.endsWith('.ts'));
    expect(entries.sort()).toEqual([...HOOK_EVENTS.map((e) => `${e.name}.ts`), 'status-line.ts'].sort());
  });

  it('writes an entry that runs every input without gates, and turns away what no gate lets on with them', () => {
    const spec = { name: 'stop', event: 'Stop', matcher: '', timeout: 5, http: false, mcpTool: false, async: false };
    expect(entrySource(spec, 'stopHook')).toContain('runCommandHook(stopHook, readHookStdin());');
    const gated = entrySource(
      {
        ...spec,
        gates: [
          { module: 'guards/prefilter', check: 'mayBeWatched' },
          { module: 'news/news-gate', check: 'mayHaveNews', env: true },
        ],
      },
      'stopHook',
    ) as string;
    expect(gated).toContain("import { mayBeWatched } from '../src/hooks/guards/prefilter.js';");
    expect(gated).toContain(
      'if (!mayBeWatched(stdin.value) && !mayHaveNews(stdin.value, process.env)) process.exit(0);',
    );
    expect(gated).toContain("import('../src/hooks/events/stop.js')");
    expect(eventTable([{ ...spec, matcher: 'a|b', async: true }])).toContain(
      '| Stop | `src/hooks/events/stop.ts` | `a\\|b` | 5 s | command | command | yes | none |',
    );
  });
});
