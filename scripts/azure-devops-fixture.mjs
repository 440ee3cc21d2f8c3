// Writes test/fixtures/azure-devops/: what the Azure DevOps stand-in is judged by, cut from Microsoft's own clients on
// npm. routes.json: each Work Item Tracking operation the source and doctor call, with its HTTP method, its route
// template (from azure-devops-extension-api's client, which names them), its API version, route values and query
// parameters (from azure-devops-node-api's client, the newer API); *.d.ts: azure-devops-node-api's interfaces the
// stand-in's answers are typed by, and the ones they import.
//   npm pack azure-devops-node-api@17.0.1 azure-devops-extension-api@5.276.0
//   mkdir node ext && tar xzf azure-devops-node-api-17.0.1.tgz -C node && tar xzf azure-devops-extension-api-5.276.0.tgz -C ext
//   node scripts/azure-devops-fixture.mjs node/package ext/package
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const OUT = path.join(import.meta.dirname, '..', 'test', 'fixtures', 'azure-devops');
/** The operations called, by their name in both clients, and the client file of each. */
const OPERATIONS = {
  WorkItemTracking: [
    'queryByWiql',
    'getWorkItemsBatch',
    'getWorkItem',
    'updateWorkItem',
    'createWorkItem',
    'getWorkItemTypeStates',
    'getWorkItemTypeCategory',
    'getComments',
    'addComment',
  ],
  Locations: ['getConnectionData'],
};
/**
 * The comments API (7.x) came after azure-devops-extension-api's client was generated, which has only the 5.0 route
 * of the same name: its template is the one Microsoft's REST reference gives ("Comments - Add", "Comments - Get Comments").
 */
const NEWER_ROUTES = {
  getComments: '{project}/_apis/wit/workItems/{workItemId}/comments/{commentId}',
  addComment: '{project}/_apis/wit/workItems/{workItemId}/comments/{commentId}',
};
const INTERFACES = [
  'WorkItemTrackingInterfaces',
  'LocationsInterfaces',
  'IdentitiesInterfaces',
  'GraphInterfaces',
  'common/VSSInterfaces',
];
const VERBS = { get: 'GET', create: 'POST', update: 'PATCH', replace: 'PUT', del: 'DELETE' };

const [nodeApi, extensionApi] = process.argv.slice(2);
if (!nodeApi || !extensionApi) {
  console.error('usage: node scripts/azure-devops-fixture.mjs NODE_API_DIR EXTENSION_API_DIR (see the header)');
  process.exit(2);
}
const versionOf = (dir) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;

/** A method's body in a compiled client: from `    name(` to the next method at the same indentation. */
function body(text, name) {
  const start = text.indexOf(`\n    ${name}(`);
  if (start < 0) throw new Error(`no method ${name}`);
  const next = text.slice(start + 1).search(/\n {4}[A-Za-z]\w*\(/);
  return text.slice(start, next < 0 ? undefined : start + 1 + next);
}
const keys = (block) => (block ? [...block.matchAll(/^\s*'?([$\w-]+)'?:/gm)].map((m) => m[1]) : []);

function operation(area, name) {
  const node = body(readFileSync(path.join(nodeApi, `${area}Api.js`), 'utf8'), name);
  const [, apiVersion, , locationId] = /getVersioningData\("([^"]+)", "([^"]+)", "([^"]+)"/.exec(node) ?? [];
  const verb = /this\.rest\.(get|create|update|replace|del)\(/.exec(node)?.[1];
  const routeValues = keys(/let routeValues = \{([^}]*)\}/.exec(node)?.[1]);
  const queryParams = keys(/let queryValues = \{([^}]*)\}/.exec(node)?.[1]);
  const ext = body(
    readFileSync(path.join(extensionApi, area, `${area}Client.js`), 'utf8'),
    name.replace('addComment', 'getComments'),
  );
  const routeTemplate = NEWER_ROUTES[name] ?? /routeTemplate: "([^"]+)"/.exec(ext)?.[1];
  const contentType = /"Content-Type": "([^"]+)"/.exec(ext)?.[1];
  if (!apiVersion || !verb || !routeTemplate) throw new Error(`${area}.${name}: not found in the clients`);
  return {
    name,
    method: VERBS[verb],
    routeTemplate,
    apiVersion,
    locationId,
    routeValues,
    queryParams,
    ...(contentType ? { contentType } : {}),
  };
}

mkdirSync(OUT, { recursive: true });
const fixture = {
  source: `npm azure-devops-node-api ${versionOf(nodeApi)} (versions, route values, query parameters), azure-devops-extension-api ${versionOf(extensionApi)} (route templates, content types); both MIT, © Microsoft`,
  operations: Object.entries(OPERATIONS).flatMap(([area, names]) => names.map((n) => operation(area, n))),
};
writeFileSync(path.join(OUT, 'routes.json'), `${JSON.stringify(fixture, null, 2)}\n`);
for (const file of INTERFACES) {
  mkdirSync(path.dirname(path.join(OUT, 'interfaces', file)), { recursive: true });
  const header = `// interfaces/${file}.d.ts of npm azure-devops-node-api ${versionOf(nodeApi)} (MIT, © Microsoft), as it is; copied by scripts/azure-devops-fixture.mjs.\n`;
  const text = readFileSync(path.join(nodeApi, 'interfaces', `${file}.d.ts`), 'utf8');
  writeFileSync(path.join(OUT, 'interfaces', `${file}.d.ts`), header + text);
}
console.log(
  `wrote ${path.relative(process.cwd(), OUT)}: ${fixture.operations.length} operations, ${INTERFACES.length} interface files`,
);
