// Microsoft's description of the Work Item Tracking calls (test/fixtures/azure-devops/routes.json, cut from its npm
// clients by scripts/azure-devops-fixture.mjs) as the judge of the Azure DevOps stand-in's requests: each must be a
// described operation (its method, its route template, whose literal parts compare without case as the service
// routes them), with an api-version the operation has and only the query parameters it takes, and a JSON Patch body
// sent as application/json-patch+json.
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Operation {
  name: string;
  method: string;
  routeTemplate: string;
  apiVersion: string;
  routeValues: string[];
  queryParams: string[];
  contentType?: string;
}

/** Resources Microsoft's REST reference documents only in preview at 7.1: asked for without `-preview`, refused. */
const PREVIEW_ONLY = new Set(['getComments', 'addComment', 'getConnectionData']);

const { operations } = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'azure-devops', 'routes.json'), 'utf8'),
) as { operations: Operation[] };

/** A template as a pattern: every route value may be left out, as the service's routing allows. */
function pattern(template: string): RegExp {
  const parts = template.split('/').map((part) => {
    if (/^\{[^}]+\}$/.test(part)) return '(?:/[^/]+)?';
    const literal = part.replace(/\{[^}]+\}/g, '\u0000').replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    return `/${literal.replaceAll('\u0000', '[^/]+')}`;
  });
  return new RegExp(`^${parts.join('')}$`, 'i');
}

const COMPILED = operations.map((op) => ({ op, regex: pattern(op.routeTemplate) }));
const VERSION = /^(\d+)\.(\d+)(?:-preview(?:\.(\d+))?)?$/;

function versionProblem(op: Operation, asked: string | null): string | undefined {
  if (!asked) return 'no api-version';
  const want = VERSION.exec(op.apiVersion);
  const got = VERSION.exec(asked);
  if (!got || !want) return `api-version ${asked} is no version`;
  const [, gMajor, gMinor, gResource] = got.map(Number);
  const [, wMajor, wMinor, wResource] = want.map(Number);
  if ((gMajor as number) * 100 + (gMinor as number) > (wMajor as number) * 100 + (wMinor as number))
    return `api-version ${asked} is newer than ${op.apiVersion}`;
  if (gResource !== undefined && !Number.isNaN(gResource) && gResource > (wResource as number))
    return `api-version ${asked} names a resource version past ${op.apiVersion}`;
  if (PREVIEW_ONLY.has(op.name) && !asked.includes('-preview')) return `${op.name} is in preview: ask ${op.apiVersion}`;
  return undefined;
}

/** What is wrong with a request under the organization URL (`path` and `query` without it), and the operation it is. */
export function judgeRequest(req: {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string | undefined;
}): { operation: string | undefined; problems: string[] } {
  const matched = COMPILED.filter(
    ({ op, regex }) => op.method === req.method && regex.test(req.path.replace(/^\//, '/')),
  );
  const found = matched[0]?.op;
  if (!found) return { operation: undefined, problems: [`${req.method} ${req.path} is no described operation`] };
  const problems: string[] = [];
  const version = versionProblem(found, req.query.get('api-version'));
  if (version) problems.push(version);
  for (const name of req.query.keys())
    if (name !== 'api-version' && !found.queryParams.includes(name)) problems.push(`${found.name} takes no ${name}`);
  if (found.contentType && !req.contentType?.startsWith(found.contentType))
    problems.push(`${found.name} is sent as ${found.contentType}, not ${req.contentType ?? 'nothing'}`);
  return { operation: found.name, problems };
}
