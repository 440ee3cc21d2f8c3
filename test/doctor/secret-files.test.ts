// doctor's secret files step on each system: a config file holding a secret is exposed when its mode lets others read
// it, or on Windows (where Node says 0666 for any file it may write) when its ACL does; the fix is the command that
// makes it its owner's alone there, never a chmod on Windows.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exposedFailure, exposedSecretFiles } from '../../src/doctor/config-steps.js';
import { silentLogger } from '../helpers/cache.js';
import { tempDir } from '../foundation/helpers.js';

let tmp: ReturnType<typeof tempDir>;
let secret: string;
let plain: string;
beforeEach(() => {
  tmp = tempDir();
  secret = path.join(tmp.dir, 'config.json');
  plain = path.join(tmp.dir, 'taskhooks.json');
  writeFileSync(secret, JSON.stringify({ auth: { token: 'tok-0123456789abcdef' } }));
  writeFileSync(plain, JSON.stringify({ source: { servers: ['http://127.0.0.1:1/mcp'] } }));
  // What Node reports for any file it may write on Windows.
  for (const f of [secret, plain]) chmodSync(f, 0o666);
});
afterEach(() => tmp.remove());

const JO = { USERNAME: 'Jo Doe', USERDOMAIN: 'SHOP' };

describe('on Windows', () => {
  it('a config file whose ACL lets only its owner in is not flagged, whatever its mode says', () => {
    const asked: string[] = [];
    const ownerOnly = (file: string) => {
      asked.push(file);
      return {};
    };
    expect(exposedSecretFiles([secret, plain], silentLogger(), 'win32', ownerOnly)).toEqual([]);
    // icacls is run only for the file that holds a secret.
    expect(asked).toEqual([secret]);
  });

  it('one whose ACL lets others in is flagged by it, with the icacls line that makes it owner-only', () => {
    const users = () => ({ others: 'BUILTIN\\Users' });
    const exposed = exposedSecretFiles([secret, plain], silentLogger(), 'win32', users);
    expect(exposed).toEqual([{ file: secret, by: 'its ACL lets BUILTIN\\Users in' }]);
    const failure = exposedFailure(exposed, 'win32', JO);
    expect(failure.message).toBe(
      `${secret} (its ACL lets BUILTIN\\Users in) holds a secret and is readable by other users`,
    );
    expect(failure.fix).toBe(`icacls ${secret} /inheritance:r /grant:r "SHOP\\Jo Doe:F"`);
    expect(failure.fix).not.toContain('chmod');
  });

  it('an ACL it could not read is logged, not flagged', () => {
    const warned: unknown[] = [];
    const log = { ...silentLogger(), warn: (o: unknown) => warned.push(o) } as ReturnType<typeof silentLogger>;
    const broken = () => ({ unchecked: 'icacls: not found' });
    expect(exposedSecretFiles([secret], log, 'win32', broken)).toEqual([]);
    expect(warned).toEqual([{ file: secret, unchecked: 'icacls: not found' }]);
  });

  it('names each file to fix with its own icacls line, quoted as cmd and PowerShell read it', () => {
    const exposed = [
      { file: 'C:\\Users\\Jo Doe\\.taskhooks\\config.json', by: 'its ACL lets Everyone in' },
      { file: 'C:\\src\\shop\\.mcp.json', by: 'its ACL lets BUILTIN\\Users in' },
    ];
    expect(exposedFailure(exposed, 'win32', { USERNAME: 'jo' }).fix).toBe(
      'icacls "C:\\Users\\Jo Doe\\.taskhooks\\config.json" /inheritance:r /grant:r jo:F, then ' +
        'icacls C:\\src\\shop\\.mcp.json /inheritance:r /grant:r jo:F',
    );
  });
});

describe('elsewhere', () => {
  it('the mode says it, and chmod fixes it; a private file is not read', () => {
    const never = () => {
      throw new Error('icacls is for Windows');
    };
    const exposed = exposedSecretFiles([secret, plain], silentLogger(), 'linux', never);
    expect(exposed).toEqual([{ file: secret, by: 'mode 666' }]);
    expect(exposedFailure(exposed, 'linux').fix).toBe(`chmod 600 "${secret}"`);
    chmodSync(secret, 0o600);
    expect(exposedSecretFiles([secret], silentLogger(), 'linux', never)).toEqual([]);
  });
});
