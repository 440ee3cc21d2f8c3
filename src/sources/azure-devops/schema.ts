// Azure DevOps' answers as taskhooks reads them (Work Item Tracking 7.1): one zod schema per shape, the fields the
// adapter asks for. Field values are keyed by their reference names.
import { z } from 'zod';
import { trackerFieldShape, type TrackerFieldNames } from '../issues/tracker-fields.js';

/** The declared fields Azure DevOps keeps, by their reference names (a due date is a date-time, UTC). */
export const AZURE_TASK_FIELDS = { dueDate: 'Microsoft.VSTS.Scheduling.DueDate' } as const satisfies TrackerFieldNames;

export const F = {
  title: 'System.Title',
  state: 'System.State',
  type: 'System.WorkItemType',
  assignedTo: 'System.AssignedTo',
  description: 'System.Description',
  tags: 'System.Tags',
  created: 'System.CreatedDate',
  changed: 'System.ChangedDate',
  priority: 'Microsoft.VSTS.Common.Priority',
} as const;

/** The fields every read asks for: what a Task is made of. */
export const AZURE_FIELDS = ['System.Id', ...Object.values(F), ...Object.values(AZURE_TASK_FIELDS)];

/** An identity as a field holds it: System.AssignedTo. */
const IdentityRef = z.looseObject({
  displayName: z.string().optional(),
  uniqueName: z.string().optional(),
  id: z.string().optional(),
});

export const WorkItem = z.looseObject({
  id: z.number().int().positive(),
  rev: z.number().optional(),
  fields: z.looseObject({
    [F.title]: z.string(),
    [F.state]: z.string(),
    [F.type]: z.string(),
    [F.assignedTo]: IdentityRef.nullish(),
    /** HTML. */
    [F.description]: z.string().nullish(),
    /** `a; b`. */
    [F.tags]: z.string().nullish(),
    [F.created]: z.string().nullish(),
    [F.changed]: z.string().nullish(),
    [F.priority]: z.number().nullish(),
    ...trackerFieldShape(AZURE_TASK_FIELDS),
  }),
});
export type WorkItem = z.infer<typeof WorkItem>;

/** A WIQL query's answer: the ids it found, in its order (the items are read in batches after). */
export const WiqlResult = z.looseObject({
  workItems: z.array(z.looseObject({ id: z.number().int() })),
});

/** A batch of work items, each kept as it came: one that does not read is skipped, not the batch. */
export const WorkItemBatch = z.looseObject({ value: z.array(z.unknown()) });

export const TypeStates = z.looseObject({
  value: z.array(z.looseObject({ name: z.string(), category: z.string() })),
});
export type TypeState = z.infer<typeof TypeStates>['value'][number];

export const TypeCategory = z.looseObject({
  defaultWorkItemType: z.looseObject({ name: z.string() }).nullish(),
});

export const CommentList = z.looseObject({
  comments: z.array(z.looseObject({ text: z.string().nullish() })),
});

export const Comment = z.looseObject({ id: z.number() });

export const ConnectionData = z.looseObject({
  authenticatedUser: z.looseObject({
    id: z.string(),
    providerDisplayName: z.string().nullish(),
    properties: z.looseObject({ Account: z.looseObject({ $value: z.string().nullish() }).nullish() }).nullish(),
  }),
});
