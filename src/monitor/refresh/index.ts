// The monitor's refreshing core as the parts that start it see it: the job lane, the change and push watches, the
// refresh cycle, its git reads and the schedules; each in the file named after it.
export { watchChanges, type ChangeWatch } from './changes.js';
export type { CollectGitStateFn } from './git-reads.js';
export { coalesced, createLane, type Lane, type WhileRunning } from './lane.js';
export { watchPushes, type PushOptions, type PushWatch, type SubscribeFn } from './push.js';
export { refreshTaskCycle, type CycleReport, type RefreshDeps, type RefreshTasksFn } from './refresh.js';
export { nextRunAfter, scheduleJob, type Schedule } from './schedule.js';
