// The monitor following 20 GitLab projects with nothing changing (./forge-monitor.mjs). GitLab ignores
// If-None-Match: every list after the first asks only for the issues updated since the latest one kept
// (`updated_after`, a millisecond past it), answered `[]` when nothing changed.
import { forgeMonitorBench, ISSUES } from './forge-monitor.mjs';

const TOKEN = 'glpat-bench0123456789abcdef';

await forgeMonitorBench({
  name: 'gitlab',
  service: 'GitLab',
  helper: 'gitlab-standin.ts',
  start: ({ startGitLabStandin }) => startGitLabStandin({ tokens: { [TOKEN]: 'dana' } }),
  env: { GITLAB_TOKEN: TOKEN },
  unset: ['GITLAB_API_URL', 'GITLAB_HOST', 'GITLAB_ACCESS_TOKEN', 'OAUTH_TOKEN'],
  seed: (standin, name) => {
    const { issues } = standin.project(`acme/platform/${name}`);
    for (let n = 1; n <= ISSUES; n++)
      issues.push({
        iid: n,
        title: `${name} issue ${n}`,
        description: `What issue ${n} of ${name} is about, in a sentence or two.`,
        state: 'opened',
        labels: n % 5 === 0 ? ['priority::high'] : [],
        assignees: ['dana'],
      });
    return `git@gitlab.example.com:acme/platform/${name}.git`;
  },
  source: (standin) => ({ adapter: 'gitlab', gitlab: { api: standin.url, host: 'gitlab.example.com' } }),
  isList: (r) => r.operation === 'GET /projects/{id}/issues',
  isRefresh: (r) => r.operation === 'GET /projects/{id}/issues' && r.query.includes('updated_after'),
  quiet: 'each `[]` and headers',
});
