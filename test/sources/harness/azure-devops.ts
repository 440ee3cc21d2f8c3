// Azure DevOps Boards against its loopback stand-in held to Microsoft's description of the Work Item Tracking calls:
// the organization URL and project configured, the token in the environment, and the stand-in seeded, made to fail,
// or answering one work item off its shape.
import { refusedUrl } from '../../helpers/fault-server.js';
import { startAzureStandin, type AzureStandin } from '../../helpers/azure-standin.js';
import { standinFault } from './trackers.js';
import { tempHome } from './context.js';
import type { Failure, Harness, Opened, SeedTask } from './types.js';

const STATE = { todo: 'New', in_progress: 'Active', done: 'Closed' } as const;
const PRIORITY = { high: 1, medium: 2, low: 3 } as const;

function seed(s: AzureStandin, tasks: SeedTask[], extra: number): string[] {
  const ids = tasks.map((t) =>
    String(
      s.addItem({
        title: t.title,
        description: t.description ?? null,
        state: STATE[t.status],
        priority: PRIORITY[t.priority],
      }).id,
    ),
  );
  for (let i = 0; i < extra; i++) s.addItem({ title: `Bulk item ${i}`, priority: 4 });
  return ids;
}

/** Two work items, "Broken" and "Still shown", and the stand-in made to answer "Broken" off its shape. */
function spoil(s: AzureStandin): void {
  s.addItem({ title: 'Broken' });
  s.addItem({ title: 'Still shown' });
  s.tamper = (body) => {
    for (const item of (body as { value?: { fields: Record<string, unknown> }[] }).value ?? [])
      if (item?.fields?.['System.Title'] === 'Broken') item.fields['System.State'] = { name: 'New' };
    return body;
  };
}

async function opened(tasks: SeedTask[], extra: number, failure?: Failure | { kind: 'bad-item' }): Promise<Opened> {
  const home = tempHome('th-conf-azure-');
  const server = await startAzureStandin();
  const ids = seed(server, tasks, extra);
  if (failure?.kind === 'bad-item') spoil(server);
  else if (failure && failure.kind !== 'refused' && failure.kind !== 'bad-token') server.always(standinFault(failure));
  const orgUrl = failure?.kind === 'refused' ? await refusedUrl() : server.orgUrl;
  const config = { source: { adapter: 'azure-devops', 'azure-devops': { orgUrl, project: 'Widgets' } } };
  const env = { AZURE_DEVOPS_EXT_PAT: failure?.kind === 'bad-token' ? 'wrong-token-0000' : server.token };
  const source = home.open(config, home.dir, { env });
  return {
    source,
    scope: { projectRoot: home.dir, project: 'demo', branch: 'main' },
    ids,
    close: async () => {
      await source.close();
      await server.close();
      home.close();
      // Whatever the case, every request the source sent was one Microsoft's description allows.
      if (server.invalid.length > 0)
        throw new Error(`the Azure DevOps stand-in saw: ${JSON.stringify(server.invalid)}`);
    },
  };
}

export const azureDevops: Harness = {
  name: 'azure-devops',
  // Short enough that a Retry-After of seconds is refused at once, not waited out.
  timeoutMs: 5_000,
  open: (tasks, extra = 0) => opened(tasks, extra),
  failing: (failure) => opened([], 0, failure),
  badItem: () => opened([], 0, { kind: 'bad-item' }),
};
