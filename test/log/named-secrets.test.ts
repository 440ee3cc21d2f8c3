// A value given a secret's name in free text (`password=…`, `"api_key": "…"`, `--token …`) is masked with its name
// kept, wherever text is scrubbed: a session's closing words, a tracker's task text, a log line, the CLI's answers.
// Prose that only mentions a secret's name is left as it was written.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenFormats, mayHoldToken, scrubData, scrubString } from '../../src/log/redact.js';
import { createFileLogger } from '../../src/log/index.js';
import { readLogs, tempDir } from '../foundation/helpers.js';

const MASKED: Array<[string, string, string]> = [
  ['an assignment', 'set password=hunter2secret and retried', 'set password=[redacted] and retried'],
  ['a name in capitals after a colon', 'PASSWORD: hunter2secret', 'PASSWORD: [redacted]'],
  ['a JSON pair', 'body {"api_key": "k-29fj3k", "user": "ann"}', 'body {"api_key": "[redacted]", "user": "ann"}'],
  ['a quoted value holding spaces', "secret: 'correct horse battery'", "secret: '[redacted]'"],
  [
    'a flag and its value',
    'ran login --password hunter2secret --user ann',
    'ran login --password [redacted] --user ann',
  ],
  ['a flag with =', 'ran login --token=abc123def', 'ran login --token=[redacted]'],
  ['a token named in a form body', 'sent token=abc123def&user=ann', 'sent token=[redacted]&user=ann'],
  ['a client secret', 'client_secret=9f8e7d6c5b4a', 'client_secret=[redacted]'],
  ['an exported variable', 'export DB_PASSWORD=hunter2secret', 'export DB_PASSWORD=[redacted]'],
  ['a YAML line', 'db:\n  secret: s3cr3t-value\n  host: db1', 'db:\n  secret: [redacted]\n  host: db1'],
  ['an INI line with spaces', 'password = hunter2secret', 'password = [redacted]'],
  ['a camelCase key', 'clientSecret: x7Yz9Q', 'clientSecret: [redacted]'],
  ['a header', 'X-Api-Key: abc123def456', 'X-Api-Key: [redacted]'],
  ['a value in backticks', 'the env had `PGPASSWORD=hunter2secret`', 'the env had `PGPASSWORD=[redacted]`'],
  ['markdown bold', '**Password:** hunter2secret', '**Password:** [redacted]'],
  ['a libpq string', 'host=db password=hunter2secret dbname=shop', 'host=db password=[redacted] dbname=shop'],
  ['an escape-quoted JSON pair', 'got {\\"token\\":\\"abc123def\\"}', 'got {\\"token\\":\\"[redacted]\\"}'],
  ['a word at the line end', 'The password: swordfish', 'The password: [redacted]'],
  ['an auth scheme not known as a bearer', 'Authorization: Token abc123def', 'Authorization: Token [redacted]'],
];

const KEPT: Array<[string, string]> = [
  ['a name without a value', 'the password field is empty'],
  ['a count of tokens', 'max_tokens: 4096, input_tokens=1200, token counts: 12'],
  ['a name ending in something else', 'password_file=/run/pw token_url=https://x.test/t secretName: db'],
  ['nothing after =', 'export PASSWORD= and go'],
  ['an empty quoted value', 'password: ""'],
  ['a value that says there is none', 'secret: none, token=null, password: false'],
  ['a variable read for the value', 'export TOKEN=$GITHUB_TOKEN; password=${DB_PASSWORD}'],
  ['a placeholder', 'pass --token TOKEN or --token <token>; GITLAB_TOKEN=… taskhooks sources'],
  ['a sentence after a colon', "Fixed the token: it expired early. The password: see the vault's entry"],
  ['a sentence after a flag', 'warning: --token on the command line is seen; the token from --token must be long'],
  ['a masked bearer', 'Authorization: Bearer [redacted]'],
  ['an already masked config value', '"apiKey": "****x1"'],
];

// Loaded with the token-format rules (the CLI, the monitor and the network stack load them at start).
beforeAll(() => loadTokenFormats());

describe('a secret-named value in text', () => {
  it.each(MASKED)('makes a hook load the rules that mask it: %s', (_what, text) => {
    expect(mayHoldToken(text)).toBe(true);
  });

  it.each(MASKED)('is masked, its name kept: %s', (_what, text, want) => {
    expect(scrubString(text)).toBe(want);
  });

  it.each(KEPT)('prose is left as it is: %s', (_what, text) => {
    expect(scrubString(text)).toBe(text);
  });

  it("is masked in a tracker's task text", () => {
    const task = { id: 'T-1', title: 'Rotate creds', description: 'old one was password=hunter2secret' };
    expect(scrubData(task)).toEqual({ ...task, description: 'old one was password=[redacted]' });
  });

  it('is masked in a log message and in logged data', () => {
    const tmp = tempDir();
    try {
      const { logger, flush } = createFileLogger({ home: tmp.dir, file: 'cli.log', sync: true, level: 'info' });
      logger.info({ detail: 'stderr: PGPASSWORD=hunter2secret' }, 'ran psql with password=hunter2secret');
      flush();
      const text = readLogs(tmp.dir);
      expect(text).toContain('password=[redacted]');
      expect(text).toContain('PGPASSWORD=[redacted]');
      expect(text).not.toContain('hunter2secret');
    } finally {
      tmp.remove();
    }
  });
});
