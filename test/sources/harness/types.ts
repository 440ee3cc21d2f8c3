// What the conformance suite asks of each source's harness: the source opened on seeded tasks, and for a source
// reached over HTTP, the same source against a loopback stand-in that misbehaves.
import type { Fault } from '../../helpers/fault-server.js';
import type { SourceName } from '../../../src/sources/registry.js';
import type { Scope, TaskSource } from '../../../src/sources/source.js';
import type { TaskPriority } from '../../../src/tasks/task.js';

export interface SeedTask {
  title: string;
  status: 'todo' | 'in_progress' | 'done';
  priority: Exclude<TaskPriority, 'critical' | 'urgent'>;
  description?: string;
}

export interface Opened {
  source: TaskSource;
  scope: Scope;
  /** The seeded tasks' ids, in seed order. */
  ids: string[];
  close(): Promise<void>;
}

/** How a source is made to fail: a fault of the stand-in, or its server gone. */
export type Failure = Fault | { kind: 'refused' } | { kind: 'bad-token' };

export interface Harness {
  name: SourceName;
  /** Opens the source on a fresh store holding `tasks` (and `extra` more todo tasks, for pagination). */
  open(tasks: SeedTask[], extra?: number): Promise<Opened>;
  /** The source against a stand-in failing this way; a source with no such stand-in says why instead. */
  failing: ((failure: Failure) => Promise<Opened>) | string;
  /** The source whose list holds one item its schema refuses among good ones (one titled "Still shown"). */
  badItem: (() => Promise<Opened>) | string;
  /** How long a call may take: a program that starts cold takes longer than a loopback server. */
  timeoutMs: number;
}
