// Ages in git's words, so a cached commit list reads as `git log --date=relative` would.
import { describe, expect, it } from 'vitest';
import { gitRelativeAge } from '../../src/util/age.js';

describe('gitRelativeAge', () => {
  it("rounds as git's --date=relative does, singular and plural", () => {
    const s = 1000;
    expect(gitRelativeAge(1 * s)).toBe('1 second ago');
    expect(gitRelativeAge(89 * s)).toBe('89 seconds ago');
    expect(gitRelativeAge(90 * s)).toBe('2 minutes ago');
    expect(gitRelativeAge(60 * 60 * s)).toBe('60 minutes ago');
    expect(gitRelativeAge(90 * 60 * s)).toBe('2 hours ago');
    expect(gitRelativeAge(36 * 3600 * s)).toBe('2 days ago');
    expect(gitRelativeAge(20 * 86_400 * s)).toBe('3 weeks ago');
    expect(gitRelativeAge(100 * 86_400 * s)).toBe('3 months ago');
    expect(gitRelativeAge(400 * 86_400 * s)).toBe('1 year, 1 month ago');
    expect(gitRelativeAge(730 * 86_400 * s)).toBe('2 years ago');
    expect(gitRelativeAge(3000 * 86_400 * s)).toBe('8 years ago');
    expect(gitRelativeAge(-5 * s)).toBe('in the future');
  });
});
