// What names a task-store export and its version, apart from the zod schema that reads one: writing an export (and
// every CLI start, which reaches the store) must not load zod's full build.
export const EXPORT_FORMAT = 'taskhooks-task-store';
export const EXPORT_VERSION = 2;
