// `install --agent all` says which agents it looked for and where, and which it found: a person with Claude Code alone
// learns the others were looked for, and where one would have to be.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { agentsLookedFor, agentsPresent } from '../../src/install/planning/detect-agents.js';
import { makeWorld, type World } from './cli.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-agents-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it('names each agent looked for, its command and folder, and which were found', () => {
  const home = path.join(root, 'home');
  mkdirSync(path.join(home, '.claude'), { recursive: true });
  const env = { HOME: home, PATH: path.join(root, 'bin') };
  expect(agentsPresent(env).map((a) => a.id)).toEqual(['claude']);
  const said = agentsLookedFor(env);
  expect(said).toMatch(/^--agent all looked for Claude Code \(`claude` on the PATH, or ~\/\.claude\); Codex \(`codex`/);
  for (const label of ['Gemini CLI', 'Qwen Code', 'Copilot CLI', 'OpenCode']) expect(said).toContain(`; ${label} (`);
  expect(said).toMatch(/: found Claude Code; not Codex, Gemini CLI, Qwen Code, Copilot CLI, OpenCode$/);
});

let w: World | undefined;
afterEach(() => w?.cleanup());

it('is the first line install --agent all prints, and the error when it finds none', async () => {
  w = makeWorld();
  mkdirSync(path.join(w.home, '.claude'));
  // No agent's command on the PATH: only the folders decide.
  const noPath = { env: { PATH: path.join(w.root, 'no-bin') } };
  const dry = await w.runHere(['install', '--agent', 'all', '--dry-run'], noPath);
  expect(dry.code, dry.stderr).toBe(0);
  expect(dry.stdout.split('\n')[0]).toMatch(/^--agent all looked for Claude Code .*: found Claude Code; not Codex/);
  rmSync(path.join(w.home, '.claude'), { recursive: true });
  const none = await w.runHere(['install', '--agent', 'all', '--dry-run'], noPath);
  expect(none.code).toBe(2);
  expect(none.stderr).toMatch(/--agent all looked for Claude Code .*: found none: name one with --agent/);
});
