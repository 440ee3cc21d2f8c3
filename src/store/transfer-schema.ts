// The task store's export file (`taskhooks tasks export`): every row of every table, field for field, versioned, so an
// import into an empty store gives back exactly the store that was exported. The one shape of that file.
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

export const StoreExportSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: stamp,
  /** In the order the store keeps them: an import keeps that order, which ties in listings are broken by. */
  projects: z.array(ProjectSchema),
  branches: z.array(BranchSchema),
  tasks: z.array(TaskSchema),
  idCounters: z.array(IdCounterSchema),
  reservations: z.array(ReservationSchema),
});

export type StoreExport = z.infer<typeof StoreExportSchema>;
export type ExportedReservation = z.infer<typeof ReservationSchema>;
export type ExportedIdCounter = z.infer<typeof IdCounterSchema>;

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
  if (version !== EXPORT_VERSION)
    throw new Error(
      `${file} is export version ${JSON.stringify(version)}; this taskhooks reads version ${EXPORT_VERSION}: use the taskhooks that wrote it`,
    );
  const parsed = StoreExportSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${file} does not have the export's shape: ${issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : parsed.error.message}`,
    );
  }
  return parsed.data;
}
