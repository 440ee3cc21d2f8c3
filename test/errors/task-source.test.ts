// The usual remedies of src/errors are generic: what a source knows of its own failures stands beside its adapter.
import { expect, it } from 'vitest';
import { TaskSourceError, type TaskSourceErrorKind, withFix } from '../../src/errors/task-source.js';
import { SOURCE_NAMES } from '../../src/sources/registry.js';

const KINDS: readonly TaskSourceErrorKind[] = [
  'unavailable',
  'timeout',
  'auth',
  'not_found',
  'protocol',
  'server',
  'breaker_open',
  'rate_limited',
  'config',
];

it("names no source, nor a source's own settings, in a kind's usual remedy", () => {
  for (const kind of KINDS) {
    const err = new TaskSourceError(kind, 'failed', { short: 'failed' });
    expect(err.usualFix).toBe(true);
    expect(err.fix.length, kind).toBeGreaterThan(0);
    for (const name of SOURCE_NAMES) expect(err.fix, kind).not.toMatch(new RegExp(`\\b${name}\\b`, 'i'));
    expect(err.fix, kind).not.toMatch(/MCP_|KEYCLOAK|TASK_TRACKING|\.mcp\.json/);
  }
});

it('keeps everything but the remedy when a better one is given', () => {
  const cause = new Error('ECONNREFUSED');
  const err = new TaskSourceError('unavailable', 'refused at here', {
    short: 'refused',
    place: 'here',
    transient: true,
    status: 503,
    retryAfterMs: 1000,
    cause,
  });
  const fixed = withFix(err, 'start it');
  expect(fixed).toMatchObject({
    kind: 'unavailable',
    message: 'refused at here',
    short: 'refused',
    place: 'here',
    transient: true,
    status: 503,
    retryAfterMs: 1000,
    fix: 'start it',
    usualFix: false,
  });
  expect(fixed.cause).toBe(cause);
  expect(fixed.stack).toBe(err.stack);
});
