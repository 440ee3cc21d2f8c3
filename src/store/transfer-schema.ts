// The task store's export file (`taskhooks tasks export`): every row of every table that holds people's data, field
// for field, versioned, so an import into an empty store gives back exactly the store that was exported. The live
// store's own bookkeeping stays out: change sequences and tombstones, request ids, the generation, doubts told once.
import * as z from 'zod';
import { fieldProblem, fieldSpec, TASK_FIELD_NAMES, type StoredValue, type TaskFieldName } from '../tasks/fields.js';
import { TASK_PRIORITIES, TASK_STATUSES } from '../tasks/task.js';
import { EXPORT_FORMAT, EXPORT_VERSION } from './transfer-format.js';

const id = z.string().min(1);
const stamp = z.string().min(1);
const count = z.number().int().min(0);

const ProjectSchema = z.strictObject({
  id,
  name: z.string().min(1),
  description: z.string(),
  createdAt: stamp,
  updatedAt: stamp,
});

const BranchSchema = z.strictObject({
  id,
  projectId: id,
  name: z.string().min(1),
  description: z.string(),
  createdAt: stamp,
  updatedAt: stamp,
});

/**
 * The plain fields by their declaration; one a file written before it was declared lacks is read as empty. A value is
 * held to its kind as `tasks add` holds it (a due date of 2026-02-30 is refused here too).
 */
const fieldSchemas = Object.fromEntries(
  TASK_FIELD_NAMES.map((name) => {
    const { empty, kind } = fieldSpec(name);
    const value = z.string().superRefine((v, ctx) => {
      const problem = v === '' ? undefined : fieldProblem(kind, v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
    return [name, empty === null ? value.nullable().default(null) : value.default(empty)];
  }),
) as {
  [K in TaskFieldName]: null extends StoredValue<K>
    ? z.ZodDefault<z.ZodNullable<z.ZodString>>
    : z.ZodDefault<z.ZodString>;
};

const TaskSchema = z.strictObject({
  id,
  projectId: id,
  gitBranchId: id.nullable(),
  title: z.string().min(1),
  description: z.string(),
  ...fieldSchemas,
  status: z.enum(TASK_STATUSES),
  priority: z.enum(TASK_PRIORITIES),
  assignees: z.array(z.string()),
  labels: z.array(z.string()),
  dependencies: z.array(z.string()),
  createdAt: stamp,
  updatedAt: stamp,
  completedAt: z.string().nullable(),
  completionSummary: z.string().nullable(),
});

const IdCounterSchema = z.strictObject({ projectId: id, artifactType: z.string().min(1), lastAssigned: count });

const ReservationSchema = z.strictObject({
  id,
  projectId: id,
  artifactType: z.string().min(1),
  firstNumber: count,
  count,
  createdAt: stamp,
  expiresAt: stamp,
});

/** A note on a task. Its number in the store is not kept: nothing refers to it, and an import numbers it anew. */
const NoteSchema = z.strictObject({
  projectId: id,
  taskId: id,
  author: z.string(),
  text: z.string().min(1),
  createdAt: stamp,
});

/** What a session did on a task (work-records.ts), as `tasks show` reads it back. */
const WorkRecordSchema = z.strictObject({
  projectId: id,
  taskId: id,
  sessionId: z.string().min(1),
  agent: z.string(),
  branch: z.string(),
  machine: z.string(),
  startedAt: stamp,
  endedAt: stamp,
  commits: z.array(z.strictObject({ hash: z.string(), subject: z.string() })),
  uncommitted: z.array(z.string()),
  statusTo: z.string().nullable(),
  statusChanges: z.array(z.strictObject({ status: z.string(), at: stamp })),
  closingWords: z.string().nullable(),
});

/** Which project a repository is (repositories.ts): by its identity, with its first commit and where it was seen. */
const RepositorySchema = z.strictObject({
  repository: z.string().min(1),
  project: z.string().min(1),
  firstCommit: z.string().nullable(),
  seenIn: z.string().nullable(),
});

/** Version 1: projects, branches, tasks, id counters and reservations. Still read: nothing in it changed since. */
const StoreExportV1Schema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  exportedAt: stamp,
  /** In the order the store keeps them: an import keeps that order, which ties in listings are broken by. */
  projects: z.array(ProjectSchema),
  branches: z.array(BranchSchema),
  tasks: z.array(TaskSchema),
  idCounters: z.array(IdCounterSchema),
  reservations: z.array(ReservationSchema),
});

/** Version 2 adds the tasks' notes and work records and the repositories' projects, each in the store's order. */
export const StoreExportSchema = z.strictObject({
  ...StoreExportV1Schema.shape,
  version: z.literal(EXPORT_VERSION),
  notes: z.array(NoteSchema),
  workRecords: z.array(WorkRecordSchema),
  repositories: z.array(RepositorySchema),
});

export type StoreExport = z.infer<typeof StoreExportSchema>;
export type ExportedReservation = z.infer<typeof ReservationSchema>;
export type ExportedIdCounter = z.infer<typeof IdCounterSchema>;
export type ExportedNote = z.infer<typeof NoteSchema>;
export type ExportedRepository = z.infer<typeof RepositorySchema>;

/** Each version this taskhooks reads, by its shape, as the current one: an older file holds none of what came later. */
const VERSIONS: Record<number, z.ZodType<StoreExport>> = {
  1: StoreExportV1Schema.transform((older) => ({
    ...older,
    version: EXPORT_VERSION,
    notes: [],
    workRecords: [],
    repositories: [],
  })),
  [EXPORT_VERSION]: StoreExportSchema,
};

/** Parses an export file's text: the data, or one line saying what is wrong with it and where. */
export function parseExport(text: string, file: string): StoreExport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const format = (raw as { format?: unknown; version?: unknown } | null)?.format;
  if (format !== EXPORT_FORMAT)
    throw new Error(
      `${file} is not a taskhooks task export (its "format" is ${JSON.stringify(format)}, expected "${EXPORT_FORMAT}")`,
    );
  const version = (raw as { version?: unknown }).version;
  const read = typeof version === 'number' ? VERSIONS[version] : undefined;
  if (!read)
    throw new Error(
      `${file} is export version ${JSON.stringify(version)}; this taskhooks reads versions ${Object.keys(VERSIONS).join(' and ')}: use the taskhooks that wrote it`,
    );
  const parsed = read.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${file} does not have the export's shape: ${issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : parsed.error.message}`,
    );
  }
  return parsed.data;
}
