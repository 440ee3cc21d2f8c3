// glab's login as the GitLab token: `glab config get token --host HOST` run in the environment git gets (no secret
// taskhooks knows of, no GitLab token variable), an OAuth login (glab's browser flow) known by `is_oauth2`.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { tokenFromEnv, tokenFromGlab } from '../../src/sources/gitlab/token.js';
import { deadlineIn } from '../../src/util/deadline.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A `glab` that records each call's arguments and environment, and answers `token` and `is_oauth2` as given. */
function fakeGlab(
  token: string,
  oauth: boolean,
): { env: NodeJS.ProcessEnv; calls: () => string[]; seen: () => string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-fakeglab-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const log = path.join(dir, 'calls');
  const env = path.join(dir, 'env');
  writeFileSync(
    path.join(dir, 'glab'),
    `#!${process.execPath}
const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(log)}, process.argv.slice(2).join(' ') + '\\n');
fs.writeFileSync(${JSON.stringify(env)}, JSON.stringify(process.env));
const key = process.argv[4];
process.stdout.write(key === 'token' ? ${JSON.stringify(`${token}\n`)} : key === 'is_oauth2' ? ${JSON.stringify(`${oauth}\n`)} : '');
`,
  );
  chmodSync(path.join(dir, 'glab'), 0o755);
  return {
    env: { PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}`, HOME: '/home/dana' },
    calls: () => readFileSync(log, 'utf8').trim().split('\n'),
    seen: () => readFileSync(env, 'utf8'),
  };
}

it('an access token from glab is sent as PRIVATE-TOKEN; glab sees no token of the environment', async () => {
  const glab = fakeGlab('glpat-fromglab0123456789ab', false);
  const env = { ...glab.env, LINEAR_API_KEY: 'lin_api_secret_value_1234', GH_TOKEN: 'ghp_notforglab' };
  const token = await tokenFromGlab('gitlab.example.com', { env, deadline: deadlineIn(20_000) });
  expect(token).toEqual({ token: 'glpat-fromglab0123456789ab', kind: 'private', from: 'glab config get token' });
  // An access token is known by its prefix: glab is not asked whether it is OAuth.
  expect(glab.calls()).toEqual(['config get token --host gitlab.example.com']);
  expect(glab.seen()).not.toContain('lin_api_secret_value_1234');
  expect(glab.seen()).not.toContain('ghp_notforglab');
});

it('an OAuth login from glab is sent as Bearer', async () => {
  const glab = fakeGlab('a1b2c3d4e5f6oauthtoken', true);
  const token = await tokenFromGlab('https://gitlab.example.com', { env: glab.env, deadline: deadlineIn(20_000) });
  expect(token).toMatchObject({ kind: 'oauth', from: 'glab config get token' });
  expect(glab.calls()).toEqual([
    'config get token --host gitlab.example.com',
    'config get is_oauth2 --host gitlab.example.com',
  ]);
});

it('glab without a login, or no glab, is no token; the environment comes first, in glab’s order', async () => {
  const glab = fakeGlab('', false);
  expect(await tokenFromGlab('gitlab.example.com', { env: glab.env, deadline: deadlineIn(20_000) })).toBeUndefined();
  const none = { PATH: '/nonexistent', HOME: '/home/dana' };
  expect(await tokenFromGlab('gitlab.example.com', { env: none, deadline: deadlineIn(20_000) })).toBeUndefined();
  expect(tokenFromEnv({ GITLAB_ACCESS_TOKEN: 'b', GITLAB_TOKEN: 'a' })).toMatchObject({
    token: 'a',
    from: 'GITLAB_TOKEN',
  });
  expect(tokenFromEnv({ OAUTH_TOKEN: 'c' })).toMatchObject({ kind: 'oauth', from: 'OAUTH_TOKEN' });
  expect(tokenFromEnv({})).toBeUndefined();
});
