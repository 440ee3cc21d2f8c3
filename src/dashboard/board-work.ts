// The work records the board shows under each card: the last few of each shown task, read from the built-in store in
// one read, each one's newest commit checked against the project's branches where the board knows its folder.
import { workViews } from '../hooks/events/work-told.js';
import { findGitRoot } from '../git/repo.js';
import { homeFiles } from '../home/files.js';
import { readStore } from '../store/tasks-db/reader.js';
import type { WorkRecord } from '../store/work-records.js';
import type { BoardWork } from './board.js';

/** How many of a task's records its card shows: the last few sessions, as a session start is told. */
const SHOWN = 3;

export async function boardWork(
  home: string,
  project: string,
  taskIds: readonly string[],
  root: string | undefined,
): Promise<BoardWork> {
  const records =
    readStore(homeFiles(home).tasks, (reads) => {
      const p = reads.listProjects().find((x) => x.name === project);
      if (!p) return [];
      return taskIds.map((id) => reads.listWorkRecords({ projectId: p.id, id }).slice(0, SHOWN));
    }) ?? [];
  const gitRoot = root ? findGitRoot(root) : undefined;
  const shown = await Promise.all(records.map((r: WorkRecord[]) => workViews(r, gitRoot)));
  return new Map(taskIds.flatMap((id, i) => (shown[i]?.length ? [[id, shown[i]]] : [])));
}
