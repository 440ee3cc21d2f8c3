// The monitor following 20 GitHub repositories with nothing changing (./forge-monitor.mjs): every list after the
// first is a conditional request, answered 304 with no body and no rate limit spent.
import { forgeMonitorBench, ISSUES } from './forge-monitor.mjs';

const TOKEN = 'gh-token-bench';

await forgeMonitorBench({
  name: 'github',
  service: 'GitHub',
  helper: 'github-standin.ts',
  start: ({ startGitHubStandin }) => startGitHubStandin({ tokens: { [TOKEN]: 'dana' } }),
  env: { GH_TOKEN: TOKEN },
  unset: ['GITHUB_TOKEN', 'GITHUB_API_URL', 'GH_HOST'],
  seed: (standin, name) => {
    const { issues } = standin.repo(`acme/${name}`);
    for (let n = 1; n <= ISSUES; n++)
      issues.push({
        number: n,
        title: `${name} issue ${n}`,
        body: `What issue ${n} of ${name} is about, in a sentence or two.`,
        state: 'open',
        labels: n % 5 === 0 ? ['priority: high'] : [],
        assignees: ['dana'],
      });
    return `https://github.com/acme/${name}.git`;
  },
  source: (standin) => ({ adapter: 'github', github: { api: standin.url, host: 'github.com' } }),
  isList: (r) => r.operation === 'GET /repos/{owner}/{repo}/issues',
  isRefresh: (r) => r.operation === 'GET /repos/{owner}/{repo}/issues' && r.status === 304,
  quiet: 'headers only',
});
