// A work record as the team's server reads one: every text and list is cut to its bound, so no home's record grows
// the team's database without end, and what is cut still reads back as a record.
import { describe, expect, it } from 'vitest';
import { WorkRecordJson, workOfJson } from '../../../src/server/agenthub/work-json.js';

const AT = '2026-11-27T10:00:00.000Z';

describe('WorkRecordJson', () => {
  it('cuts every text and list of an overlong record to its bound', () => {
    const long = 'x'.repeat(5000);
    const parsed = WorkRecordJson.parse({
      session_id: long,
      agent: long,
      branch: long,
      machine: long,
      started_at: AT,
      ended_at: AT,
      commits: Array.from({ length: 80 }, () => ({ hash: long, subject: long })),
      uncommitted: Array.from({ length: 150 }, () => long),
      status_to: long,
      status_changes: Array.from({ length: 80 }, () => ({ status: long, at: AT })),
      closing_words: long,
    });
    const record = workOfJson(parsed, { projectId: 'p', id: 'TASK-001' });
    expect([record.sessionId, record.agent, record.branch, record.machine].map((t) => t.length)).toEqual([
      500, 500, 500, 500,
    ]);
    expect(record.commits).toHaveLength(50);
    expect(record.commits[0]).toEqual({ hash: 'x'.repeat(64), subject: 'x'.repeat(500) });
    expect(record.uncommitted).toHaveLength(100);
    expect(record.statusTo).toBe('x'.repeat(64));
    expect(record.statusChanges).toHaveLength(50);
    expect(record.statusChanges[0]).toEqual({ status: 'x'.repeat(64), at: AT });
    expect(record.closingWords).toHaveLength(2000);
  });

  it('leaves a status or closing words it was not sent as unknown', () => {
    const parsed = WorkRecordJson.parse({ session_id: 's', started_at: AT, ended_at: AT });
    const record = workOfJson(parsed, { projectId: 'p', id: 'TASK-001' });
    expect(record).toMatchObject({ statusTo: null, closingWords: null, commits: [], statusChanges: [], agent: '' });
  });
});
