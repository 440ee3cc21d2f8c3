// toldBefore and its after, called in process on a real cache: the run that takes the event's lease records what
// arrived and later what it told; a second run of the same event is refused and writes nothing; a preview neither
// reads nor writes. The hooks as built are driven through the same path in ./told.test.ts.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTold, pendingDeliveries, recordTold } from '../../src/told/table.js';
import { toldBefore } from '../../src/told/told.js';
import { cacheEachTest, recordingLogger, T0 } from '../helpers/cache.js';

const ctx = cacheEachTest();

function answer(text: string) {
  return { output: { hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: text } }, trace: [] };
}

describe('toldBefore', () => {
  it('records what arrived before the event, and what it told after it', () => {
    const cache = ctx.open();
    recordTold(cache, { sessionId: 's1', event: 'SessionStart', text: 'tasks [mk-1]', marker: '[mk-1]', at: T0 });
    const transcript = path.join(ctx.dir, 'transcript.jsonl');
    writeFileSync(transcript, `${JSON.stringify({ type: 'attachment', content: 'tasks [mk-1]' })}\n`);
    const deps = { cache, log: recordingLogger([]), settings: { home: ctx.home }, now: () => T0 + 1 };

    const told = toldBefore({ session_id: 's1', transcript_path: transcript }, deps, 'key-1');
    expect(told).toBeDefined();
    expect(pendingDeliveries(cache, 's1')).toEqual([]);
    const result = answer('news [mk-2]');
    expect(told?.after(result, '[mk-2]')).toBe(result);

    const byEvent = new Map(listTold(cache).map((t) => [t.event, t]));
    expect(byEvent.get('SessionStart')?.delivery?.state).toBe('delivered');
    expect(byEvent.get('UserPromptSubmit')).toMatchObject({ text: 'news [mk-2]', delivery: { state: 'pending' } });
  });

  it('refuses a second run of the same event, which writes nothing of what it was told', () => {
    const cache = ctx.open();
    const deps = { cache, log: recordingLogger([]), settings: { home: ctx.home } };
    expect(toldBefore({ session_id: 's1' }, deps, 'key-1')).toBeDefined();
    expect(toldBefore({ session_id: 's1' }, deps, 'key-1')).toBeUndefined();
  });

  it('keeps nothing for a preview, nor for an answer whose context lacks its marker', () => {
    const cache = ctx.open();
    const lines: string[] = [];
    const deps = { cache, log: recordingLogger(lines), settings: { home: ctx.home } };
    toldBefore({ session_id: 's1' }, { ...deps, dryRun: true }, 'key-1')?.after(answer('news [mk-3]'), '[mk-3]');
    toldBefore({ session_id: 's1' }, deps, 'key-1')?.after(answer('news without it'), '[mk-4]');
    expect(listTold(cache)).toEqual([]);
    expect(lines).toContain('the context carries no marker: whether it arrives is not followed');
  });
});
