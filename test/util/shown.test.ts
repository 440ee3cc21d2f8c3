// Paths and command lines in the reader's words, with the platform injected: Windows gets real paths and double
// quotes (cmd.exe keeps single quotes as part of a word), a POSIX shell `~/…` and single quotes.
import { describe, expect, it } from 'vitest';
import { shownHome } from '../../src/home/dir.js';
import { commandLine, inHomeFolder, type Reader, shellWord, shownPath } from '../../src/util/shown.js';

const windows: Reader = { platform: 'win32', env: {}, homedir: 'C:\\Users\\Jo Doe' };
const linux: Reader = { platform: 'linux', env: {}, homedir: '/home/jo' };

describe('a path as the reader writes it', () => {
  it('is `~/…` under a POSIX home and the path itself elsewhere', () => {
    expect(shownPath('/home/jo/.taskhooks/logs', linux)).toBe('~/.taskhooks/logs');
    expect(shownPath('/home/jo', linux)).toBe('~');
    expect(shownPath('/home/joanna/x', linux)).toBe('/home/joanna/x');
    expect(shownPath('/srv/th', linux)).toBe('/srv/th');
  });

  it('is a plain Windows path on Windows, never `~`', () => {
    expect(shownPath('C:/Users/Jo Doe/.taskhooks/', windows)).toBe('C:\\Users\\Jo Doe\\.taskhooks');
    expect(shownPath('\\\\?\\C:\\Users\\Jo Doe\\x', windows)).toBe('C:\\Users\\Jo Doe\\x');
    expect(inHomeFolder(['src', 'shop'], windows)).toBe('C:\\Users\\Jo Doe\\src\\shop');
    expect(inHomeFolder(['src', 'shop'], linux)).toBe('~/src/shop');
  });

  it("names the state directory's files where they are: the default, or TASKHOOKS_HOME", () => {
    expect(shownHome(['logs', 'cli.log'], windows)).toBe('C:\\Users\\Jo Doe\\.taskhooks\\logs\\cli.log');
    expect(shownHome(['logs', 'cli.log'], linux)).toBe('~/.taskhooks/logs/cli.log');
    expect(shownHome([], { ...windows, env: { TASKHOOKS_HOME: 'D:/th' } })).toBe('D:\\th');
    expect(shownHome(['config.json'], { ...linux, env: { TASKHOOKS_HOME: '/srv/th' } })).toBe('/srv/th/config.json');
  });
});

describe('a command line as the reader pastes it', () => {
  it('double-quotes a word on Windows, as cmd.exe and PowerShell both read it', () => {
    expect(commandLine(['taskhooks', 'tasks', 'add', 'A title'], 'win32')).toBe('taskhooks tasks add "A title"');
    expect(shellWord('C:\\Users\\Jo Doe\\src', 'win32')).toBe('"C:\\Users\\Jo Doe\\src"');
    expect(shellWord('C:\\src\\shop', 'win32')).toBe('C:\\src\\shop');
    // A quote inside as \", and backslashes before the closing quote doubled, as a program's argv parser reads them.
    expect(shellWord('say "hi"', 'win32')).toBe('"say \\"hi\\""');
    expect(shellWord('C:\\My Dir\\', 'win32')).toBe('"C:\\My Dir\\\\"');
    expect(shellWord("it's", 'win32')).toBe('"it\'s"');
  });

  it('single-quotes a word for a POSIX shell, a leading `~/` left outside the quotes to expand', () => {
    expect(commandLine(['taskhooks', 'tasks', 'add', 'A title'], 'linux')).toBe("taskhooks tasks add 'A title'");
    expect(shellWord("it's $HOME", 'darwin')).toBe("'it'\\''s $HOME'");
    expect(commandLine(['taskhooks', 'context', '--dir', '~/My Projects/shop'], 'linux')).toBe(
      "taskhooks context --dir ~/'My Projects/shop'",
    );
  });
});
