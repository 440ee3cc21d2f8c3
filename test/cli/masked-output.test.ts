// What a command prints passes through one masking step (maskedOut): credentials go, the colour and line-clearing
// codes the CLI writes itself stay, and the stream is otherwise the one it wraps.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { maskedOut, paint } from '../../src/cli/output.js';

function captured(): { stream: PassThrough; text(): string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe("the CLI's output", () => {
  it('masks URL credentials on stdout and stderr, keeping its own colours and what is no secret', () => {
    const stdout = captured();
    const stderr = captured();
    const out = maskedOut(stdout.stream, stderr.stream, true);
    out.stdout.write(
      `${paint(out, 'green', 'source:')} https://jo:pa55word-x@tracker.test/api?private_token=abc123&page=2\n`,
    );
    out.stderr.write('cannot reach https://tracker.test/api?access_token=zzz999 (refused)\n');
    expect(stdout.text()).toBe('\u001b[32msource:\u001b[0m https://tracker.test/api?private_token=[redacted]&page=2\n');
    expect(stderr.text()).toBe('cannot reach https://tracker.test/api?access_token=[redacted] (refused)\n');
    // The unmasked stream is the one given, for what a command exists to show.
    expect(out.unmasked).toBe(stdout.stream);
  });

  it('masks what its end writes too, and leaves the rest of the stream as it was: its events, bytes as bytes', async () => {
    const stdout = captured();
    const out = maskedOut(stdout.stream, new PassThrough(), false);
    const ended = new Promise((resolve) => out.stdout.once('finish', resolve));
    out.stdout.write(Buffer.from('raw bytes\n'));
    out.stdout.end('last: https://jo:pa55word-x@tracker.test/\n');
    await ended;
    expect(stdout.text()).toBe('raw bytes\nlast: https://tracker.test/\n');
  });
});
