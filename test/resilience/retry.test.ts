// withRetry as the local store's busy wait uses it: only what the caller names is retried, and the pauses stop
// growing at the cap while the deadline lasts.
import { describe, expect, it } from 'vitest';
import { TaskSourceError, unavailable } from '../../src/errors/task-source.js';
import { withRetry } from '../../src/resilience/retry.js';
import { deadlineIn } from '../../src/util/deadline.js';

const busy = (): TaskSourceError => unavailable('embedded', 'task store busy');
const policy = { retries: Number.POSITIVE_INFINITY, baseDelayMs: 5, jitterRatio: 0 };

describe('withRetry', () => {
  it('keeps asking past the policy of three with pauses capped, until the answer comes', async () => {
    const delays: number[] = [];
    let calls = 0;
    const value = await withRetry(
      async () => {
        calls++;
        if (calls < 7) throw busy();
        return 'landed';
      },
      {
        policy,
        deadline: deadlineIn(60_000),
        retryable: (err) => err instanceof TaskSourceError && err.short === 'task store busy',
        maxDelayMs: 20,
        onRetry: (_err, _n, delayMs) => delays.push(delayMs),
      },
    );
    expect({ value, calls, delays }).toEqual({ value: 'landed', calls: 7, delays: [5, 10, 20, 20, 20, 20] });
  });

  it('gives a failure the caller does not name back at once, transient or not', async () => {
    let calls = 0;
    const refused = unavailable('embedded', 'connection refused');
    await expect(
      withRetry(
        async () => {
          calls++;
          throw refused;
        },
        { policy, deadline: deadlineIn(60_000), retryable: (err) => err !== refused },
      ),
    ).rejects.toBe(refused);
    expect(calls).toBe(1);
  });
});
