import { VIA_MONITOR } from '../../cache/snapshots.js';
import { commandLine } from '../../util/shown.js';

/**
 * The embedded store knows a project once its first task is added: until then there is nothing wrong, only nothing
 * yet, and the session is told how to add one: its add_task tool (a plugin user has no `taskhooks` on PATH), or the
 * CLI where it is installed, quoted for the reader's shell (cmd.exe keeps single quotes). No angle brackets: the
 * context's sanitizer turns those into lookalikes, as it does for any text a source sends.
 */
export const firstTaskNote = (project: string, platform: NodeJS.Platform = process.platform): string =>
  `no tasks yet in project ${project}: the add_task tool adds one, as does \`${commandLine(['taskhooks', 'tasks', 'add', 'A title'], platform)}\` where taskhooks is installed`;

/**
 * What the context, `doctor`, `monitor status` and the CLI call the built-in store (config's `source.adapter:
 * embedded`) as the server that answered: in process, or through the monitor's store server.
 */
export const BUILT_IN_STORE = 'built-in store';
export const BUILT_IN_VIA_MONITOR = `${BUILT_IN_STORE}${VIA_MONITOR}`;
