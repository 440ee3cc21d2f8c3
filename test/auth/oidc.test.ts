// OIDC client credentials against a real oidc-provider and the reference server on 127.0.0.1: the token is obtained,
// shared through the cache, refreshed once when refused, and neither it nor the secret reaches a log.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { readToken, writeToken } from '../../src/cache/tokens.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { createFileLogger, type FileLogger } from '../../src/log/index.js';
import { openSource } from '../../src/sources/open.js';
import { taskSourceFailure } from '../helpers/errors.js';
import { startOidcProvider, type RunningOidcProvider } from '../helpers/oidc.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { sourceOf } from '../helpers/settings.js';

const AUDIENCE = 'urn:taskhooks:client-test';
const SECRET = 'client-secret-for-hooks-42';

let server: ReferenceServer;
let oidc: RunningOidcProvider;
let home: string;
let cache: Cache;
let logger: FileLogger;

beforeAll(async () => {
  oidc = await startOidcProvider({
    audience: AUDIENCE,
    clients: [{ client_id: 'claude-hooks', client_secret: SECRET, scope: 'tasks:all' }],
  });
  server = await startReferenceServer({
    issuer: oidc.issuer,
    audience: AUDIENCE,
    seed: (db) => {
      const p = db.createProject({ name: 'demo' });
      const main = db.createBranch({ projectId: p.id, name: 'main' });
      db.createTask({ projectId: p.id, gitBranchId: main.id, title: 'Fix outage', priority: 'urgent' });
    },
  });
  home = mkdtempSync(path.join(os.tmpdir(), 'th-oidc-'));
  cache = openCache({ home });
  logger = createFileLogger({ home, file: 'cli.log', sync: true, level: 'debug' });
});

afterAll(async () => {
  cache?.close();
  await server?.close();
  await oidc?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

const scope = (branch: string, project = 'demo') => ({ projectRoot: home, project, branch });
const jwtConfig = (secret = SECRET) =>
  ConfigSchema.parse({
    source: { servers: [server.url] },
    auth: { issuer: oidc.issuer, clientId: 'claude-hooks', clientSecret: secret, scope: 'tasks:all' },
  });

describe('agenthub adapter (OIDC client credentials)', () => {
  it('obtains a JWT from the issuer, caches it in the store and reuses it', async () => {
    const src = openSource({ source: sourceOf(jwtConfig()), home, cache, log: logger.logger, projectRoot: home });
    expect((await src.pending(scope('main'))).tasks.length).toBeGreaterThan(0);
    const first = readToken(cache, oidc.issuer, 'claude-hooks');
    expect(first?.accessToken.split('.')).toHaveLength(3);
    await src.close();
    const again = openSource({ source: sourceOf(jwtConfig()), home, cache, log: logger.logger, projectRoot: home });
    await again.pending(scope('main'));
    expect(readToken(cache, oidc.issuer, 'claude-hooks')?.accessToken).toBe(first?.accessToken);
    await again.close();
  });

  it('a cached token the server rejects is refreshed exactly once and the call succeeds', async () => {
    writeToken(cache, {
      issuer: oidc.issuer,
      clientId: 'claude-hooks',
      accessToken: 'revoked.token.value',
      tokenType: 'bearer',
      expiresAt: Date.now() + 3_600_000,
    });
    const src = openSource({ source: sourceOf(jwtConfig()), home, cache, log: logger.logger, projectRoot: home });
    expect((await src.pending(scope('main'))).tasks.length).toBeGreaterThan(0);
    expect(readToken(cache, oidc.issuer, 'claude-hooks')?.accessToken).not.toBe('revoked.token.value');
    await src.close();
  });

  it('a wrong client secret is "Authentication failed at <issuer>: invalid_client"', async () => {
    const otherHome = mkdtempSync(path.join(os.tmpdir(), 'th-sources-bad-'));
    const other = openCache({ home: otherHome });
    const src = openSource({
      source: sourceOf(jwtConfig('not-the-secret-xyz')),
      home,
      cache: other,
      log: logger.logger,
      projectRoot: home,
    });
    try {
      const err = await taskSourceFailure(src.pending(scope('main')));
      expect(err.kind).toBe('auth');
      expect(err.message).toMatch(new RegExp(`^Authentication failed at ${oidc.issuer}: invalid_client`));
    } finally {
      await src.close();
      other.close();
      rmSync(otherHome, { recursive: true, force: true });
    }
  });

  it('never writes the client secret or a token to the log', () => {
    logger.flush();
    const token = readToken(cache, oidc.issuer, 'claude-hooks')?.accessToken as string;
    for (const f of readdirSync(path.join(home, 'logs'))) {
      const text = readFileSync(path.join(home, 'logs', f), 'utf8');
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(token);
      expect(text).not.toContain(server.token);
    }
  });
});
