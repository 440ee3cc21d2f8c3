// A deadline's length is what it was set for, whatever the clock did while it was made: the messages that name it
// ("timed out after 300 ms") say the caller's number, not one a millisecond short.
import { afterEach, expect, it, vi } from 'vitest';
import { deadlineAt, deadlineIn } from '../../src/util/deadline.js';

afterEach(() => vi.restoreAllMocks());

it('keeps the length it was set for though the clock ticks while it is made', () => {
  let now = 1_000_000;
  // Each read of the clock a millisecond later, as on a busy machine.
  vi.spyOn(Date, 'now').mockImplementation(() => now++);
  expect(deadlineIn(300).ms).toBe(300);
  // A length worked out from a clock of fractions (performance.now) is a timer's whole milliseconds.
  const fractional = deadlineIn(299.6);
  expect(fractional.ms).toBe(300);
  expect(fractional.done()).toBe(false);
  // One set by its end says what is left of it.
  expect(deadlineAt(Date.now() + 500).ms).toBe(499);
});
