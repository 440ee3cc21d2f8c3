// The README is what a user reads first, so it stays short; reference material lives in docs/. Moving a section
// between files breaks links silently, so every relative link must land on a file that exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './helpers.js';

const README = path.join(root, 'README.md');
const DOCS = path.join(root, 'docs');

function documents(): string[] {
  return [
    README,
    ...readdirSync(DOCS)
      .filter((f) => f.endsWith('.md'))
      .map((f) => path.join(DOCS, f)),
  ];
}

/** Relative link targets in a markdown file, without their `#anchor`; code spans and blocks are not links. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const targets = [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] ?? '');
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#')).map((t) => t.split('#')[0] ?? t);
}

describe('README and docs/', () => {
  // Each fact stated once and linked: pages that repeat themselves go stale one copy at a time.
  it('README, ARCHITECTURE, CHANGELOG and docs/ hold at most 35,000 words together', () => {
    const pages = [...documents(), path.join(root, 'ARCHITECTURE.md'), path.join(root, 'CHANGELOG.md')];
    const words = pages.reduce((n, f) => n + readFileSync(f, 'utf8').split(/\s+/).filter(Boolean).length, 0);
    expect(words).toBeGreaterThan(0);
    expect(words).toBeLessThanOrEqual(35_000);
  });

  it('README.md stays under 250 lines', () => {
    const lines = readFileSync(README, 'utf8').split('\n').length;
    expect(lines).toBeLessThan(250);
  });

  it('finds relative links and ignores URLs, anchors and code', () => {
    const sample = '[a](docs/x.md) [b](y.md#part) [c](https://e.org) [d](#top) `[e](z.md)`\n```\n[f](w.md)\n```';
    expect(relativeLinks(sample)).toEqual(['docs/x.md', 'y.md']);
  });

  it('every relative link in README.md and docs/*.md points at a file that exists', () => {
    const broken: string[] = [];
    for (const file of documents()) {
      for (const target of relativeLinks(readFileSync(file, 'utf8'))) {
        if (!existsSync(path.resolve(path.dirname(file), decodeURIComponent(target))))
          broken.push(`${path.relative(root, file)} → ${target}`);
      }
    }
    expect(documents().length).toBeGreaterThan(1);
    expect(broken).toEqual([]);
  });
});
