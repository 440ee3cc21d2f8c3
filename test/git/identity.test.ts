// A repository's identity read from its files: every spelling of one origin is one key, and the config file is read
// as git writes it.
import { describe, expect, it } from 'vitest';
import { hostedPath, normaliseOrigin, originOfConfig } from '../../src/git/identity.js';

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

  it.each([
    ['git@github.com:Acme/Shop.git', 'github.com/acme/shop'],
    ['https://GitLab.com/Acme/Group/Shop', 'gitlab.com/acme/group/shop'],
    ['git@bitbucket.org:Acme/Shop.git', 'bitbucket.org/acme/shop'],
    ['https://dev.azure.com/Acme/Web/_git/Shop', 'dev.azure.com/acme/web/_git/shop'],
    ['git@ssh.dev.azure.com:v3/Acme/Web/Shop', 'ssh.dev.azure.com/v3/acme/web/shop'],
    ['https://Acme.visualstudio.com/Web/_git/Shop', 'acme.visualstudio.com/web/_git/shop'],
  ])('folds the path of %s, on a host that tells no case, to %s', (url, key) => {
    expect(normaliseOrigin(url)).toBe(key);
  });

  it('keeps the case of a path on a server of its own, and of a local path', () => {
    expect(normaliseOrigin('https://git.example.com/Acme/Shop.git')).toBe('git.example.com/Acme/Shop');
    expect(normaliseOrigin('/srv/Git/Shop.git')).toBe('/srv/Git/Shop');
  });

  it('has no key for an empty URL', () => {
    expect(normaliseOrigin('  ')).toBeUndefined();
  });
});

describe('hostedPath', () => {
  it('is the owner and name on any host, an ssh alias too, and none for a local path or a first commit', () => {
    expect(hostedPath('github.com/acme/shop')).toBe('acme/shop');
    expect(hostedPath('github-work/Acme/Shop')).toBe('acme/shop');
    expect(hostedPath('/srv/git/shop')).toBeUndefined();
    expect(hostedPath('C:/repos/shop')).toBeUndefined();
    expect(hostedPath('../shop')).toBeUndefined();
    expect(hostedPath('commit:abcd')).toBeUndefined();
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
