// A plugin session ends when its bridge's connection closes and its Claude Code has exited; a server reconnected in a
// live session keeps it, and a monitor's own stop ends nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bridgeEnds, type ClosedBridge } from '../../../src/monitor/serve/bridge-end.js';

const session: ClosedBridge = { sessionId: 's-1', cwd: '/work/shop', agentPid: 4242 };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("a bridged session's end", () => {
  /** The ends of closed bridges whose agent lives while `agent.alive`, and the sessions ended so far. */
  function watched(agent: { alive: boolean }): { ends: ReturnType<typeof bridgeEnds>; ended: ClosedBridge[] } {
    const ended: ClosedBridge[] = [];
    return {
      ends: bridgeEnds(
        (s) => ended.push(s),
        () => agent.alive,
      ),
      ended,
    };
  }

  it('comes once the agent has exited, not before', () => {
    const agent = { alive: true };
    const { ends, ended } = watched(agent);
    ends.closed(session);
    vi.advanceTimersByTime(2_000);
    expect(ended).toEqual([]);
    agent.alive = false;
    vi.advanceTimersByTime(250);
    expect(ended).toEqual([session]);
  });

  it('comes at once for an agent already gone', () => {
    const { ends, ended } = watched({ alive: false });
    ends.closed(session);
    expect(ended).toEqual([session]);
  });

  it('never comes while the agent lives on: its server was reconnected, the session goes on', () => {
    const { ends, ended } = watched({ alive: true });
    ends.closed(session);
    vi.advanceTimersByTime(60_000);
    expect(ended).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("never comes after the monitor's stop, whose own closes end nothing", () => {
    const agent = { alive: true };
    const { ends, ended } = watched(agent);
    ends.closed(session);
    ends.stop();
    agent.alive = false;
    ends.closed({ ...session, sessionId: 's-2' });
    vi.advanceTimersByTime(20_000);
    expect(ended).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
