// A config file's line as install and uninstall show it in a diff: values under keys named like secrets are masked as
// `taskhooks config` masks them, in JSON and in TOML, and nothing else moves.
import { describe, expect, it } from 'vitest';
import { displayConfigLine } from '../../src/config/display.js';

const TOKEN = '9bb1464ba4015b6c811bc238db41e5369ffeee88054ccbf3b51d3d572b4ae7a0';

describe('displayConfigLine', () => {
  it("masks a header's token, an Authorization and a server's key in JSON, keeping the rest of the line", () => {
    expect(displayConfigLine(`-   "X-Taskhooks-Token": "${TOKEN}",`)).toBe('-   "X-Taskhooks-Token": "****a0",');
    expect(displayConfigLine(`{ "Authorization": "Bearer ${TOKEN}", "url": "http://x" }`)).toBe(
      '{ "Authorization": "****a0", "url": "http://x" }',
    );
    expect(displayConfigLine('"GITHUB_API_KEY":"short"')).toBe('"GITHUB_API_KEY":"****"');
  });

  it('masks TOML pairs, bare or quoted keys, basic or literal strings, inline tables too', () => {
    expect(displayConfigLine(`+ LINEAR_TOKEN = "${TOKEN}"`)).toBe('+ LINEAR_TOKEN = "****a0"');
    expect(displayConfigLine(`env = { "API_KEY" = '${TOKEN}', MODE = "x" }`)).toBe(
      `env = { "API_KEY" = "****a0", MODE = "x" }`,
    );
  });

  it('leaves lines without a secret-named key as they are, escaped quotes included', () => {
    const helper = `"headersHelper": "printf '{\\"Authorization\\":\\"Bearer %s\\"}' \\"$(cat '/h/hook-token')\\""`;
    for (const line of [helper, '"command": "/usr/bin/node"', 'command = "node"', '  …'])
      expect(displayConfigLine(line)).toBe(line);
  });
});
