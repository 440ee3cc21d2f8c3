// A plugin session ends when its bridge's connection closes and its Claude Code has exited; a server reconnected in a
// live session keeps it, and a monitor's own stop ends nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bridgeEnds, type ClosedBridge } from '../../../src/monitor/serve/bridge-end.js';

const session: ClosedBridge = { sessionId: 's-1', cwd: '/work/shop', agentPid: 4242 };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("a bridged session's end", () => {
  it('comes once the agent has exited, not before', () => {
    let alive = true;
    const ended: ClosedBridge[] = [];
    const ends = bridgeEnds(
      (s) => ended.push(s),
      () => alive,
    );
    ends.closed(session);
    vi.advanceTimersByTime(2_000);
    expect(ended).toEqual([]);
    alive = false;
    vi.advanceTimersByTime(250);
    expect(ended).toEqual([session]);
  });

  it('comes at once for an agent already gone', () => {
    const ended: ClosedBridge[] = [];
    bridgeEnds(
      (s) => ended.push(s),
      () => false,
    ).closed(session);
    expect(ended).toEqual([session]);
  });

  it('never comes while the agent lives on: its server was reconnected, the session goes on', () => {
    const ended: ClosedBridge[] = [];
    const ends = bridgeEnds(
      (s) => ended.push(s),
      () => true,
    );
    ends.closed(session);
    vi.advanceTimersByTime(60_000);
    expect(ended).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("never comes after the monitor's stop, whose own closes end nothing", () => {
    let alive = true;
    const ended: ClosedBridge[] = [];
    const ends = bridgeEnds(
      (s) => ended.push(s),
      () => alive,
    );
    ends.closed(session);
    ends.stop();
    alive = false;
    ends.closed({ ...session, sessionId: 's-2' });
    vi.advanceTimersByTime(20_000);
    expect(ended).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
