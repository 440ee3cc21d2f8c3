// The facts a person acts on (which files install writes for each agent and scope, how each event is answered) are
// written into the pages from the built CLI's own dry run; a page that says otherwise fails here.
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script, run as it is by npm run docs:facts
import * as facts from '../../scripts/docs-facts.mjs';

const { pagesOutOfDate, installTable, transportTable, contextExample } = facts as {
  pagesOutOfDate: (write: boolean) => string[];
  installTable: () => string;
  transportTable: () => string;
  contextExample: () => string;
};

describe('the generated facts in the pages', () => {
  it('name every file install writes, with the ones outside the project marked', () => {
    const table = installTable();
    expect(table).toContain('| claude | local | `<project>/.claude/settings.local.json` | the project | hooks |');
    expect(table).toMatch(/\| codex \| project \| `~\/\.codex\/config\.toml` \| your home: \*\*every folder\*\* \|/);
    expect(transportTable()).toMatch(/\| SessionStart \| .* \| the monitor over its socket/);
  });

  it("show the README's example session as `taskhooks context` prints it", () => {
    const example = contextExample();
    expect(example).toContain('Task in progress: TASK-001 "Fix login outage" — priority critical.');
    expect(example).toContain('- TASK-003 "Update payment SDK" [blocked, medium, every branch]');
    expect(example).not.toContain('Why:');
  });

  it('are what the built CLI says (run `npm run bundle && npm run docs:facts` when this fails)', () => {
    expect(pagesOutOfDate(false)).toEqual([]);
  });
});
