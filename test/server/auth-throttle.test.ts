// Guessing a server's token is hopeless: every wrong attempt is answered late, many guessers at once share two answers
// a second, and a client with the right token is never kept waiting behind them.
import { afterEach, describe, expect, it } from 'vitest';
import { failureThrottle } from '../../src/server/auth-throttle.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';

describe('the failure throttle (a fake clock)', () => {
  it('answers 20 concurrent guessers no more than twice a second in all', () => {
    const now = 1_000_000;
    const throttle = failureThrottle(() => now);
    // 20 addresses, 10 guesses in flight each, all at the same instant.
    const delays = Array.from({ length: 20 }, (_, a) => `10.0.0.${a}`).flatMap((address) =>
      Array.from({ length: 10 }, () => throttle.failed(address)),
    );
    expect(delays).toHaveLength(200);
    const answeredWithin = (ms: number): number => delays.filter((d) => d <= ms).length;
    expect(answeredWithin(1000)).toBeLessThanOrEqual(2);
    expect(answeredWithin(10_000)).toBeLessThanOrEqual(20);
    // No two answers share a slot.
    expect(new Set(delays).size).toBe(delays.length);
  });

  it('slows every wrong attempt of one address, not every other one', () => {
    let now = 0;
    const throttle = failureThrottle(() => now);
    const answeredAt: number[] = [];
    for (let i = 0; i < 8; i++) {
      const wait = throttle.failed('192.0.2.1');
      expect(wait).toBeGreaterThanOrEqual(500);
      now += wait;
      answeredAt.push(now);
    }
    const gaps = answeredAt.slice(1).map((t, i) => t - (answeredAt[i] ?? 0));
    expect(gaps.every((g) => g >= 1000)).toBe(true);
  });
});

describe('a server under guessing', () => {
  let ref: ReferenceServer | undefined;
  afterEach(async () => {
    await ref?.close();
    ref = undefined;
  });

  it('answers the right token while twenty wrong ones wait their turn', async () => {
    ref = await startReferenceServer();
    const health = new URL('/health', ref.url).toString();
    let wrongAnswered = 0;
    const wrong = Array.from({ length: 20 }, (_, i) =>
      fetch(health, { headers: { authorization: `Bearer wrong-${i}-${'x'.repeat(40)}` } })
        .then(async (r) => {
          // A wrong token at /health gets the public answer only.
          expect(await r.json()).toEqual({ status: 'ok' });
          wrongAnswered++;
        })
        .catch(() => undefined),
    );
    const right = await fetch(health, { headers: { authorization: `Bearer ${ref.token}` } });
    expect(await right.json()).toMatchObject({ status: 'ok', auth: 'required' });
    // From one address, the twenty wrong ones are answered a second apart: most are still waiting.
    expect(wrongAnswered).toBeLessThan(20);
    await ref.close();
    ref = undefined;
    await Promise.all(wrong);
  });
});
