// A repository's identity read from its files: every spelling of one origin is one key, and the config file is read
// as git writes it.
import { describe, expect, it } from 'vitest';
import { normaliseOrigin, originOfConfig } from '../../src/git/identity.js';

describe('normaliseOrigin', () => {
  it.each([
    ['https://github.com/acme/shop.git', 'github.com/acme/shop'],
    ['https://github.com/acme/shop', 'github.com/acme/shop'],
    ['https://github.com/acme/shop/', 'github.com/acme/shop'],
    ['https://user:secret@GitHub.COM/acme/shop.git', 'github.com/acme/shop'],
    ['git@github.com:acme/shop.git', 'github.com/acme/shop'],
    ['GIT@GitHub.com:acme/shop', 'github.com/acme/shop'],
    ['ssh://git@github.com:22/acme/shop.git', 'github.com/acme/shop'],
    ['git://github.com/acme/shop.git/', 'github.com/acme/shop'],
    ['/srv/git/shop.git', '/srv/git/shop'],
    ['file:///srv/git/shop.git', '/srv/git/shop'],
    ['C:\\repos\\shop.git', 'C:/repos/shop'],
  ])('%s is %s', (url, key) => {
    expect(normaliseOrigin(url)).toBe(key);
  });

  it('keeps the path as written: two owners are two repositories', () => {
    expect(normaliseOrigin('https://github.com/acme/shop')).not.toBe(normaliseOrigin('https://github.com/bob/shop'));
  });

  it('has no key for an empty URL', () => {
    expect(normaliseOrigin('  ')).toBeUndefined();
  });
});

describe('originOfConfig', () => {
  it('reads the first url of [remote "origin"], quoted or not, a comment after it dropped', () => {
    const config = [
      '[core]',
      '\turl = not-this',
      '[remote "upstream"]',
      '\turl = https://example.com/upstream.git',
      '[remote "origin"]',
      '\tfetch = +refs/heads/*:refs/remotes/origin/*',
      '\turl = "git@github.com:acme/shop.git" ; the team\'s',
      '\turl = https://mirror.example.com/shop.git',
      '[branch "main"]',
    ].join('\n');
    expect(originOfConfig(config)).toBe('git@github.com:acme/shop.git');
  });

  it('skips an empty url, and takes the remote named origin exactly, as git does', () => {
    expect(originOfConfig('[Remote "origin"]\n\turl =\n\turl = https://example.com/a.git\n')).toBe(
      'https://example.com/a.git',
    );
    expect(originOfConfig('[remote "Origin"]\n\turl = https://example.com/a.git\n')).toBeUndefined();
  });

  it('has none without an origin', () => {
    expect(originOfConfig('[core]\n\tbare = false\n[remote "upstream"]\n\turl = x\n')).toBeUndefined();
  });
});
