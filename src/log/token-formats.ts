// Tokens taskhooks was never told of, found by their published formats (ghp_…, github_pat_…, sk-ant-…, xoxb-…,
// AKIA…): the rules a secret scanner keeps (./secret-rules.ts, vendored from gitleaks). A rule runs only on text that
// holds one of its keywords, and is compiled the first time it does: the hot path pays a substring search, no more.
import { SECRET_RULES } from './secret-rules.js';

interface Compiled {
  re: RegExp;
  group: number;
  entropy: number;
}

let byKeyword: Map<string, number[]> | undefined;
const compiled = new Map<number, Compiled>();

function keywordIndex(): Map<string, number[]> {
  if (byKeyword) return byKeyword;
  byKeyword = new Map();
  SECRET_RULES.forEach(([, keywords], i) => {
    for (const k of keywords) byKeyword?.set(k, [...(byKeyword.get(k) ?? []), i]);
  });
  return byKeyword;
}

function compile(i: number): Compiled {
  let rule = compiled.get(i);
  if (!rule) {
    const [, , source, flags, group, entropy] = SECRET_RULES[i] as (typeof SECRET_RULES)[number];
    rule = { re: new RegExp(source, `${flags}gd`), group, entropy };
    compiled.set(i, rule);
  }
  return rule;
}

/** Shannon entropy in bits per character: how the scanner tells a real token from a placeholder of one letter. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/** Where the secret of one match lies: its rule's group, else the first group that matched, else the whole match. */
function secretSpan(m: RegExpExecArray, group: number): [number, number] | undefined {
  const indices = m.indices;
  if (!indices) return undefined;
  if (group > 0) return indices[group];
  for (let g = 1; g < indices.length; g++) if (indices[g]) return indices[g];
  return indices[0];
}

/** `text` with every token of a known format replaced by `mask`. */
export function redactTokenFormats(text: string, mask: string): string {
  const lower = text.toLowerCase();
  const rules = new Set<number>();
  for (const [keyword, ids] of keywordIndex()) if (lower.includes(keyword)) for (const id of ids) rules.add(id);
  if (rules.size === 0) return text;
  const spans: Array<[number, number]> = [];
  for (const id of rules) {
    const rule = compile(id);
    for (const m of text.matchAll(rule.re)) {
      const span = secretSpan(m, rule.group);
      if (!span || span[1] <= span[0]) continue;
      if (rule.entropy > 0 && entropy(text.slice(span[0], span[1])) < rule.entropy) continue;
      spans.push(span);
    }
  }
  if (spans.length === 0) return text;
  // Overlapping matches (two rules on one token) become one mask.
  const merged: Array<[number, number]> = [];
  for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  let out = '';
  let at = 0;
  for (const [start, end] of merged) {
    out += text.slice(at, start) + mask;
    at = end;
  }
  return out + text.slice(at);
}
