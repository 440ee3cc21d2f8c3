// Test files share their worker's process (vitest's `isolate: false`): each file leaves the environment and the
// working directory as it found them, so a variable one file set (a GIT_DIR, a home) never reaches the next.
import { afterAll } from 'vitest';

const env = { ...process.env };
const cwd = process.cwd();

afterAll(() => {
  for (const name of Object.keys(process.env)) if (!(name in env)) delete process.env[name];
  Object.assign(process.env, env);
  if (process.cwd() !== cwd) process.chdir(cwd);
});
