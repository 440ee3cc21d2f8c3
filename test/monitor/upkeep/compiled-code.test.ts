// The monitor's compiled code written once, some seconds after its start: not at once (its first sessions' hooks load
// more), never twice, not after a stop, and a failure logged, never thrown.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KEEP_COMPILED_AFTER_MS, keepCompiledCode } from '../../../src/monitor/upkeep/compiled-code.js';
import { recordingLogger } from '../../helpers/cache.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('keepCompiledCode', () => {
  it('writes the compiled code once, after the delay', () => {
    const flush = vi.fn();
    keepCompiledCode(recordingLogger([]), { flush });
    vi.advanceTimersByTime(KEEP_COMPILED_AFTER_MS - 1);
    expect(flush).not.toHaveBeenCalled();
    vi.advanceTimersByTime(KEEP_COMPILED_AFTER_MS * 10);
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('writes nothing once cancelled by a stop', () => {
    const flush = vi.fn();
    const cancel = keepCompiledCode(recordingLogger([]), { flush });
    cancel();
    vi.advanceTimersByTime(KEEP_COMPILED_AFTER_MS * 2);
    expect(flush).not.toHaveBeenCalled();
  });

  it('logs a write that fails, and the monitor carries on', () => {
    const lines: string[] = [];
    keepCompiledCode(recordingLogger(lines), {
      flush: () => {
        throw new Error('EACCES: permission denied');
      },
    });
    expect(() => vi.advanceTimersByTime(KEEP_COMPILED_AFTER_MS)).not.toThrow();
    expect(lines).toEqual([expect.stringContaining('its next start compiles it again')]);
  });
});
