// Issue keys in branch names, as Linear and Jira name branches.
import { describe, expect, it } from 'vitest';
import { issueKeysIn } from '../../src/sources/issues/issue-keys.js';

describe('issueKeysIn', () => {
  it('finds keys in any case, upper-cased, first one first', () => {
    expect(issueKeysIn('sam/eng-123-fix-login')).toEqual(['ENG-123']);
    expect(issueKeysIn('feature/ABC-7_login')).toEqual(['ABC-7']);
    expect(issueKeysIn('ABC-12')).toEqual(['ABC-12']);
    expect(issueKeysIn('fix/ops-2-and-eng-0040')).toEqual(['OPS-2', 'ENG-40']);
    expect(issueKeysIn('fix/ops-2-again-ops-2')).toEqual(['OPS-2']);
  });

  it('is no key: a version, a bare number, a branch without one', () => {
    expect(issueKeysIn('release/v-2')).toEqual([]);
    expect(issueKeysIn('main')).toEqual([]);
    expect(issueKeysIn('123-fix')).toEqual([]);
    expect(issueKeysIn('')).toEqual([]);
  });

  it('keeps only the configured prefixes when given', () => {
    expect(issueKeysIn('sam/eng-1-and-ops-2', ['ops'])).toEqual(['OPS-2']);
    expect(issueKeysIn('sam/eng-1', ['OPS'])).toEqual([]);
  });
});
