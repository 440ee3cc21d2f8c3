// `gh auth token` runs in the environment git gets: a `gh` first on PATH that writes down what it was given shows it
// sees gh's own settings (GH_HOST, GH_CONFIG_DIR, XDG_*, HOME, the session bus of its keyring) and none of the secrets
// taskhooks knows of or that are named like one, GitHub tokens included (the environment's token is looked at first).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { registerSecret } from '../../src/log/redact.js';
import { tokenFromGh } from '../../src/sources/github/token.js';
import { deadlineIn } from '../../src/util/deadline.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const secret = (label: string): string => `${label}-${randomBytes(10).toString('hex')}`;

/** A `gh` that records its environment and arguments, then answers with a token as the real one does. */
function recordingGh(): { dir: string; env: () => Record<string, string>; args: () => string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-fakegh-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const dump = path.join(dir, 'env.json');
  const args = path.join(dir, 'args');
  const script = `#!${process.execPath}
const fs = require('node:fs');
fs.writeFileSync(${JSON.stringify(dump)}, JSON.stringify(process.env));
fs.writeFileSync(${JSON.stringify(args)}, process.argv.slice(2).join(' '));
process.stdout.write('gho_fromtheghlogin\\n');
`;
  writeFileSync(path.join(dir, 'gh'), script);
  chmodSync(path.join(dir, 'gh'), 0o755);
  return {
    dir,
    env: () => JSON.parse(readFileSync(dump, 'utf8')) as Record<string, string>,
    args: () => readFileSync(args, 'utf8'),
  };
}

it('gh sees its own settings and none of the secrets taskhooks knows of', async () => {
  const gh = recordingGh();
  const registered = secret('registered');
  registerSecret(registered);
  const secrets = {
    MCP_API_TOKEN: secret('mcp'),
    KEYCLOAK_CLIENT_SECRET: secret('kc'),
    TASK_TRACKING_API_KEY: secret('tt'),
    LINEAR_API_KEY: secret('lin'),
    JIRA_API_TOKEN: secret('jira'),
    DATABASE_URL: `postgres://app:${secret('pgurl')}@db.example/tasks`,
    PGPASSWORD: secret('pgpw'),
    GH_ENTERPRISE_TOKEN: secret('ghe'),
    GITHUB_ENTERPRISE_TOKEN: secret('githubent'),
    GH_TOKEN: secret('ghtoken'),
    GITHUB_TOKEN: secret('githubtoken'),
    SOME_SETTING: `Bearer ${secret('header')}`,
    ELSEWHERE: registered,
  };
  const settings = {
    PATH: `${gh.dir}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: '/home/dana',
    XDG_CONFIG_HOME: '/home/dana/.config',
    GH_CONFIG_DIR: '/home/dana/.config/gh-work',
    GH_HOST: 'ghe.example',
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
    LANG: 'C.UTF-8',
  };
  const token = await tokenFromGh('ghe.example', { env: { ...secrets, ...settings }, deadline: deadlineIn(20_000) });
  expect(token).toEqual({ token: 'gho_fromtheghlogin', from: 'gh auth token' });
  expect(gh.args()).toBe('auth token --hostname ghe.example');
  const seen = gh.env();
  expect(seen).toMatchObject({ ...settings, GH_PROMPT_DISABLED: '1' });
  const leaked = Object.entries(secrets).filter(([, v]) => Object.values(seen).some((s) => s.includes(v)));
  expect(leaked.map(([k]) => k)).toEqual([]);
});

it('gh without a login for the host is no token', async () => {
  const gh = recordingGh();
  writeFileSync(path.join(gh.dir, 'gh'), '#!/bin/sh\necho "no oauth token found for ghe.example" >&2\nexit 1\n');
  const env = { PATH: `${gh.dir}${path.delimiter}${process.env.PATH ?? ''}`, HOME: '/home/dana' };
  expect(await tokenFromGh('ghe.example', { env, deadline: deadlineIn(20_000) })).toBeUndefined();
});
