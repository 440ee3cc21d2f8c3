// The state directory and the children's environment as a Windows user has them: TASKHOOKS_HOME in Git Bash's forms
// (through the platform seam), and variables in Windows' own spelling (`Path`, `SystemRoot`, `windir`), without which
// git is not found and Node's sockets do not start.
import { describe, expect, it } from 'vitest';
import { resolveHome } from '../../src/home/dir.js';
import { monitorEnvironment, programEnvironment, scrubbedEnvironment } from '../../src/log/child-env.js';

const PROFILE = 'C:\\Users\\Jo Smith';

describe('the state directory on Windows', () => {
  it("reads TASKHOOKS_HOME in Git Bash's /c/… and C:/… forms as the Windows path", () => {
    const want = 'C:\\Users\\Jo Smith\\.taskhooks';
    for (const given of ['/c/Users/Jo Smith/.taskhooks', 'C:/Users/Jo Smith/.taskhooks', want, `${want}\\`])
      expect(resolveHome({ TASKHOOKS_HOME: given }, 'win32'), given).toBe(want);
    expect(resolveHome({ TASKHOOKS_HOME: '\\\\server\\share\\th' }, 'win32')).toBe('\\\\server\\share\\th');
  });

  it("is never a plugin's data folder, which Claude Code deletes with the plugin; a POSIX path stays one off Windows", () => {
    const data = `${PROFILE}\\.claude\\plugins\\data\\taskhooks`;
    expect(resolveHome({ USERPROFILE: PROFILE, CLAUDE_PLUGIN_DATA: data }, 'win32')).toBe(resolveHome({}, 'win32'));
    expect(resolveHome({ CLAUDE_PLUGIN_DATA: '/data/taskhooks' }, 'linux')).toBe(resolveHome({}, 'linux'));
    // Linux and macOS keep a POSIX path as given.
    expect(resolveHome({ TASKHOOKS_HOME: '/c/x' }, 'linux')).toBe('/c/x');
  });
});

describe("children's environment on Windows", () => {
  const windowsEnv = {
    Path: 'C:\\Windows\\system32;C:\\Program Files\\Git\\cmd',
    SystemRoot: 'C:\\Windows',
    windir: 'C:\\Windows',
    TEMP: `${PROFILE}\\AppData\\Local\\Temp`,
    USERPROFILE: PROFILE,
    APPDATA: `${PROFILE}\\AppData\\Roaming`,
    Some_Api_Token: 'never passed on',
  };

  it("keeps git's and Node's variables in Windows' spelling, and still drops a secret", () => {
    for (const env of [
      scrubbedEnvironment({}, windowsEnv, 'win32'),
      programEnvironment({}, windowsEnv, 'win32'),
      monitorEnvironment(windowsEnv, 'win32'),
    ]) {
      expect(env).toMatchObject({ Path: windowsEnv.Path, SystemRoot: 'C:\\Windows', windir: 'C:\\Windows' });
      expect(env.TEMP).toBe(windowsEnv.TEMP);
      expect(env).not.toHaveProperty('Some_Api_Token');
    }
    expect(scrubbedEnvironment({}, windowsEnv, 'win32').APPDATA).toBe(windowsEnv.APPDATA);
    // A relative entry is the working folder there too; a drive's path is a folder, not a relative name.
    expect(scrubbedEnvironment({}, { Path: 'C:\\Git\\cmd;.;bin' }, 'win32').Path).toBe('C:\\Git\\cmd');
  });
});
