import { describe, expect, it } from 'vitest';
import { tokenBuckets } from '../../src/util/token-bucket.js';

describe('token buckets', () => {
  it('grants a burst up to capacity, then says how long until the next token, per key', () => {
    let t = 0;
    const b = tokenBuckets(3, 2, () => t); // 3 tokens, 2 a second
    expect([b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 0]);
    expect(b.take('a')).toBe(500);
    expect(b.take('b')).toBe(0); // another key has its own bucket
    t = 499;
    expect(b.take('a')).toBe(2); // 0.998 tokens refilled: 2 ms short of one
    t = 500;
    expect(b.take('a')).toBe(0);
    expect(b.take('a', 3)).toBe(1500); // several at once: the wait for all of them
    t = 10_000;
    expect(b.take('a', 3)).toBe(0); // refilled, but never beyond capacity
    expect(b.take('a')).toBe(500);
  });

  it('forgets full, idle buckets once it holds many keys, and keeps the ones still draining', () => {
    let t = 0;
    const b = tokenBuckets(1, 1, () => t);
    for (let i = 0; i < 1100; i++) b.take(`k${i}`);
    expect(b.size()).toBe(1100);
    t = 500; // half refilled: nothing to forget yet
    b.take('drained');
    expect(b.size()).toBe(1101);
    t = 2000; // all refilled: the next take prunes them
    expect(b.take('drained')).toBe(0);
    expect(b.size()).toBe(1);
  });
});
