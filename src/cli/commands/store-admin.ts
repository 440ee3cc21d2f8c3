// `taskhooks tasks export|import|backup|restore|undelete`: the embedded task store as a whole (`$TASKHOOKS_HOME/tasks.db`, or
// `--db FILE` or a PostgreSQL URL for export and import), whatever task source is configured. The work is
// src/sources/embedded/store-admin.ts's, which loads the server module only when a command runs.
import path from 'node:path';
import { homeFiles } from '../../home/files.js';
import {
  backupHomeStore,
  importExportFile,
  listHomeBackups,
  openAnyStore,
  restoreHomeStore,
  type BackupInfo,
  type ImportReport,
} from '../../sources/embedded/store-admin.js';
import { formatAge } from '../../util/age.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { defineCommand, UsageError } from '../args.js';
import type { CliContext, Command } from '../command.js';
import { JSON_FLAG } from '../flags.js';
import { formatBytes, paint, printJson, table } from '../output.js';
import { stripControls } from '../../context/sanitize.js';
import { TASK_FLAGS, taskTarget } from './tasks-source.js';
import { ID_ARG } from './tasks-status.js';

const DB_FLAG = {
  type: 'string',
  placeholder: 'STORE',
  description: 'another task store: a file, or a postgres:// URL, instead of $TASKHOOKS_HOME/tasks.db',
} as const;

/** `tasks restore` without a name: the backups there are, newest first, and how to bring one back. */
function printBackups(ctx: CliContext, backups: readonly BackupInfo[], json: boolean): number {
  const { home } = ctx.settings;
  const dir = homeFiles(home).backups;
  if (json) {
    printJson(ctx.out, {
      dir,
      backups: backups.map((b) => ({
        name: b.name,
        file: b.file,
        takenAt: b.takenAt.toISOString(),
        reason: b.reason,
        bytes: b.bytes,
      })),
    });
    return 0;
  }
  if (backups.length === 0) {
    ctx.out.stdout.write(
      `No backups in ${dir} yet: the monitor takes one when it starts and every few hours while tasks change (\`taskhooks tasks backup\` takes one now).\n`,
    );
    return 0;
  }
  const now = Date.now();
  ctx.out.stdout.write(`Backups of ${homeFiles(home).tasks}, newest first (in ${dir}):\n`);
  ctx.out.stdout.write(
    table(
      ctx.out,
      ['BACKUP', 'TAKEN', 'WHY', 'SIZE'],
      backups.map((b) => [b.name, `${formatAge(now - b.takenAt.getTime())} ago`, b.reason, formatBytes(b.bytes)]),
    ),
  );
  ctx.out.stdout.write(
    'Restore one with `taskhooks tasks restore BACKUP`: the current store is moved aside first, never deleted.\n',
  );
  return 0;
}

/** How many of each kind an export holds or an import adds, as one phrase. */
function counts(a: Record<keyof ImportReport['added'], number>): string {
  return `${a.projects} projects, ${a.branches} branches, ${a.tasks} tasks, ${a.idCounters} id counters, ${a.reservations} reservations, ${a.notes} notes, ${a.workRecords} work records, ${a.repositories} repositories`;
}

function describeImport(
  ctx: CliContext,
  file: string,
  r: ImportReport,
  flags: { dryRun: boolean; overwrite: boolean },
): number {
  const say = (line: string): void => void ctx.out.stdout.write(`${line}\n`);
  const list = (items: string[]): void => items.forEach((i) => say(`  - ${i}`));
  const notKept = ({ notKept: left }: ImportReport): void => {
    if (left.length === 0) return;
    say('Not imported, as this store has no place for them:');
    list(left);
  };
  if (r.clashes.length > 0) {
    say(paint(ctx.out, 'red', `Nothing imported from ${file}: ${r.clashes.length} record(s) clash with this store:`));
    list(r.clashes);
    say('Rename or remove them on one side (no flag resolves a clash).');
    return 1;
  }
  if (flags.dryRun) {
    say(`Dry run, nothing changed. ${file} would add ${counts(r.added)}; ${r.unchanged} unchanged.`);
    notKept(r);
    if (r.overwrites.length > 0) {
      say(
        `It would overwrite ${r.overwrites.length} record(s) here${flags.overwrite ? '' : ' (only with --overwrite; without it nothing is imported)'}:`,
      );
      list(r.overwrites);
    }
    return 0;
  }
  if (!r.applied) {
    say(
      paint(
        ctx.out,
        'yellow',
        `Nothing imported from ${file}: ${r.overwrites.length} record(s) here differ from the file's and would be overwritten:`,
      ),
    );
    list(r.overwrites);
    say('Pass --overwrite to replace them with the file’s version (--dry-run shows what would change).');
    return 1;
  }
  say(
    `Imported from ${file}: ${counts(r.added)}; ${r.unchanged} unchanged${r.overwrites.length ? `; ${r.overwrites.length} overwritten` : ''}.`,
  );
  notKept(r);
  return 0;
}

export const storeCommands: Command[] = [
  defineCommand({
    name: 'tasks export',
    summary: 'Write the whole task store as JSON',
    description:
      'The built-in store as a whole, whatever task source is configured; `taskhooks tasks import` reads it back exactly.',
    flags: {
      out: {
        type: 'string',
        placeholder: 'FILE',
        description: 'write the export to FILE (mode 0600) instead of stdout',
      },
      db: DB_FLAG,
    },
    examples: [
      {
        command: 'taskhooks tasks export --out ~/tasks-backup.json',
        description: 'a copy of every task to keep elsewhere',
      },
      { command: 'taskhooks tasks export | jq ".tasks | length"', description: 'count the tasks' },
    ],
    async run(ctx, { values }) {
      const { store } = await openAnyStore({ home: ctx.settings.home, log: ctx.log(), cwd: ctx.cwd, db: values.db });
      try {
        const data = await store.exportData();
        const text = `${JSON.stringify(data, null, 2)}\n`;
        if (!values.out) {
          ctx.out.stdout.write(text);
          return 0;
        }
        const out = path.resolve(ctx.cwd, values.out);
        // The file holds people's work, like the store itself.
        writeFileAtomic(out, text, 0o600);
        const held = {
          projects: data.projects.length,
          branches: data.branches.length,
          tasks: data.tasks.length,
          notes: data.notes.length,
          workRecords: data.workRecords.length,
          idCounters: data.idCounters.length,
          reservations: data.reservations.length,
          repositories: data.repositories.length,
        };
        ctx.out.stdout.write(`Exported ${counts(held)} to ${out}\n`);
        return 0;
      } finally {
        await store.close();
      }
    },
  }),
  defineCommand({
    name: 'tasks import',
    summary: 'Restore an export into an empty task store, or merge it into one (--merge)',
    description:
      'Into an empty store everything is added; into one with tasks only with --merge, and a record that differs only with --overwrite.',
    args: [{ name: 'FILE', description: 'a file `taskhooks tasks export` wrote' }],
    flags: {
      merge: {
        type: 'boolean',
        description: 'add to a store that already has tasks: what is missing is added, identical records are left',
      },
      overwrite: {
        type: 'boolean',
        description:
          'with --merge: replace records that differ from the file (without it, any difference imports nothing)',
      },
      'dry-run': { type: 'boolean', description: 'say what would be added and overwritten, change nothing' },
      db: DB_FLAG,
      json: JSON_FLAG,
    },
    examples: [
      { command: 'taskhooks tasks import ~/tasks-backup.json', description: 'into a new, empty store' },
      {
        command: 'taskhooks tasks import other.json --merge --dry-run',
        description: 'what merging would add and overwrite',
      },
    ],
    async run(ctx, { values, positionals: [given] }) {
      if (values.overwrite && !values.merge)
        throw new UsageError(
          '--overwrite only makes sense with --merge: an import into an empty store overwrites nothing',
        );
      const file = path.resolve(ctx.cwd, given as string);
      const report = await importExportFile({
        home: ctx.settings.home,
        log: ctx.log(),
        cwd: ctx.cwd,
        db: values.db,
        file,
        merge: values.merge === true,
        overwrite: values.overwrite === true,
        dryRun: values['dry-run'] === true,
      });
      if (values.json) {
        printJson(ctx.out, { file, dryRun: values['dry-run'] === true, ...report });
        return report.clashes.length > 0 || (!report.applied && !values['dry-run']) ? 1 : 0;
      }
      return describeImport(ctx, file, report, {
        dryRun: values['dry-run'] === true,
        overwrite: values.overwrite === true,
      });
    },
  }),
  defineCommand({
    name: 'tasks backup',
    summary: 'Take a checked backup of the task store now (the monitor also takes them on its own)',
    description:
      'Written to $TASKHOOKS_HOME/backups/ (0600), checked before it counts; the oldest beyond monitor.backupKeep are dropped.',
    flags: { json: JSON_FLAG },
    examples: [{ command: 'taskhooks tasks backup', description: 'before something risky' }],
    async run(ctx, { values }) {
      const { backup, tasks, ms, pruned } = await backupHomeStore({
        home: ctx.settings.home,
        log: ctx.log(),
        reason: 'manual',
        monitor: ctx.settings.monitor,
      });
      if (values.json) printJson(ctx.out, { file: backup.file, bytes: backup.bytes, tasks, ms, pruned });
      else
        ctx.out.stdout.write(
          `Backed up ${tasks} tasks to ${backup.file} (${formatBytes(backup.bytes)}, checked) in ${ms} ms\n`,
        );
      return 0;
    },
  }),
  defineCommand({
    name: 'tasks restore',
    summary: 'List the task store backups, or restore one (the current store is moved aside, never deleted)',
    description:
      'Without BACKUP the backups are listed, newest first. A restore moves the current store aside first and marks the cache stale.',
    args: [
      {
        name: 'BACKUP',
        optional: true,
        description: 'a backup name from the list (or the path of any copy of tasks.db)',
      },
    ],
    flags: { json: JSON_FLAG },
    examples: [
      { command: 'taskhooks tasks restore', description: 'list the backups' },
      {
        command: 'taskhooks tasks restore tasks-20261122T084100.000Z-scheduled.db',
        description: 'bring that one back',
      },
    ],
    async run(ctx, { values, positionals }) {
      const { home } = ctx.settings;
      const backups = await listHomeBackups(home);
      const [wanted] = positionals;
      if (!wanted) return printBackups(ctx, backups, values.json === true);
      const source = backups.find((b) => b.name === wanted)?.file ?? path.resolve(ctx.cwd, wanted);
      const restored = await restoreHomeStore({ home, log: ctx.log(), source });
      const summary = {
        restoredFrom: source,
        tasksFile: restored.tasksFile,
        movedTo: restored.movedTo ?? null,
        projects: restored.projects,
        tasks: restored.tasks,
      };
      if (values.json) printJson(ctx.out, summary);
      else {
        ctx.out.stdout.write(
          `Restored ${restored.tasksFile} from ${source}: ${summary.tasks} tasks in ${summary.projects} projects.\n`,
        );
        if (restored.movedTo) ctx.out.stdout.write(`The store it replaced is kept as ${restored.movedTo}.\n`);
      }
      return 0;
    },
  }),
  defineCommand({
    name: 'tasks undelete',
    summary: 'Bring back a task deleted from the built-in store: that task alone, with its notes',
    description:
      'Every `tasks delete` on the built-in store keeps the task it deletes (the newest 100 deletions); this puts it back\n' +
      'with its id, fields and notes, and the tasks that depended on it depend on it again. Nothing else changes.',
    args: [ID_ARG],
    flags: { dir: TASK_FLAGS.dir, project: TASK_FLAGS.project, json: JSON_FLAG },
    examples: [{ command: 'taskhooks tasks undelete TASK-003' }],
    async run(ctx, { values, positionals: [id] }) {
      const target = await taskTarget(ctx, values);
      if (target.settings.source.plan.kind !== 'embedded')
        throw new UsageError('undelete brings back tasks of the built-in store; this project uses another task source');
      const { restoreDeletedTask } = await import('../../sources/embedded/deleted-tasks.js');
      const back = await restoreDeletedTask({
        home: ctx.settings.home,
        log: ctx.log(),
        project: target.scope.project,
        id: id as string,
      });
      if (values.json) printJson(ctx.out, back);
      else {
        const deps = back.dependents.length ? `; ${back.dependents.join(', ')} depend on it again` : '';
        ctx.out.stdout.write(
          `Brought back ${stripControls(back.id)}: ${stripControls(back.title)} (${back.notes} note${back.notes === 1 ? '' : 's'}${deps})\n`,
        );
      }
      return 0;
    },
  }),
];
