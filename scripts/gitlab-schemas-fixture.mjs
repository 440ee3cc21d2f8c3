// Writes test/fixtures/gitlab/gitbeaker-schemas.json: GitLab's API v4 shapes as the GitLab stand-in is judged by them,
// turned into JSON Schema from the TypeScript declarations of npm @gitbeaker/core (its typed model of GitLab's API:
// IssueSchema, NoteSchema, the options of Issues.create/edit/all…), so the tests need neither that package nor the
// network. The operations' methods and paths are GitLab's (its Issues, Notes and Users API pages); what each sends
// and answers is the declaration named beside it. Option keys are sent snake_cased, as gitbeaker sends them.
//   npm pack @gitbeaker/core@43.8.0 && tar xzf gitbeaker-core-43.8.0.tgz
//   node scripts/gitlab-schemas-fixture.mjs package
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const OUT = path.join(import.meta.dirname, '..', 'test', 'fixtures', 'gitlab', 'gitbeaker-schemas.json');
const [pkg] = process.argv.slice(2);
if (!pkg) {
  console.error('usage: node scripts/gitlab-schemas-fixture.mjs DIR (the unpacked @gitbeaker/core package)');
  process.exit(2);
}
const version = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')).version;
const file = ts.createSourceFile('index.d.ts', readFileSync(path.join(pkg, 'dist', 'index.d.ts'), 'utf8'), 99, true);

/**
 * Fields gitbeaker declares as always set that GitLab's own API pages show as null (an issue without a description,
 * due date or milestone): null is allowed beside the declared type.
 */
const NULLABLE = {
  IssueSchema: ['description', 'due_date', 'milestone', 'closed_at', 'closed_by', 'weight', 'epic', 'health_status'],
  MilestoneSchema: ['description', 'due_date', 'start_date'],
};

/**
 * The operations the GitLab source and doctor call: GitLab's method and path, the declarations a request's query or
 * JSON body is made of (a method's positional parameter, such as Issues.create's `title`, as a required field), and
 * the declaration of the answer.
 */
const OPERATIONS = {
  'GET /user': { query: ['Sudo'], response: { 200: 'ExpandedUserSchema' } },
  'GET /projects/{id}/issues': {
    query: ['AllIssuesOptions', 'OffsetPaginationRequestOptions', 'BasePaginationRequestOptions', 'Sudo'],
    response: { 200: ['IssueSchema'] },
  },
  'POST /projects/{id}/issues': {
    body: ['Issues.create', 'CreateIssueOptions'],
    response: { 201: 'IssueSchema' },
  },
  'GET /projects/{id}/issues/{issue_iid}': { query: ['Sudo'], response: { 200: 'IssueSchema' } },
  'PUT /projects/{id}/issues/{issue_iid}': { body: ['EditIssueOptions'], response: { 200: 'IssueSchema' } },
  'GET /projects/{id}/issues/{issue_iid}/notes': {
    query: ['ResourceNotes.all', 'OffsetPaginationRequestOptions', 'BasePaginationRequestOptions'],
    response: { 200: ['IssueNoteSchema'] },
  },
  'POST /projects/{id}/issues/{issue_iid}/notes': {
    body: ['ResourceNotes.create'],
    response: { 201: 'IssueNoteSchema' },
  },
};
/** Options gitbeaker itself reads and never sends. */
const CLIENT_SIDE = new Set(['showExpanded', 'pagination', 'maxPages', 'asStream', 'isForm']);
/** A method's parameters naming the resource in the path, not sent in the query or body. */
const PATH_PARAMS = new Set(['projectId', 'issueIId', 'resourceId', 'resource2Id', 'options']);

const snake = (key) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const declarations = new Map();
ts.forEachChild(file, (node) => {
  if ((ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isClassDeclaration(node)) && node.name)
    if (!declarations.has(node.name.text)) declarations.set(node.name.text, node);
});
const definitions = {};
const wanted = [];

function ref(name) {
  if (!(name in definitions) && !wanted.includes(name)) wanted.push(name);
  return { $ref: `#/definitions/${name}` };
}

/** A declaration's own properties (and those it extends), as one object schema; `open` when it extends a Record. */
function objectOf(members, heritage = []) {
  const out = { type: 'object', properties: {}, required: [], open: false };
  for (const h of heritage.flatMap((c) => c.types)) {
    const name = h.expression.getText(file);
    if (name === 'Record') out.open = true;
    else merge(out, declared(name));
  }
  for (const m of members) {
    if (ts.isIndexSignatureDeclaration(m)) out.open = true;
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const key = m.name.getText(file);
    out.properties[key] = schemaOf(m.type);
    if (!m.questionToken && !out.required.includes(key)) out.required.push(key);
    else if (m.questionToken) out.required = out.required.filter((k) => k !== key);
  }
  return out;
}

function merge(into, from) {
  if (from?.type !== 'object') return into;
  Object.assign(into.properties, from.properties);
  for (const k of from.required) if (!into.required.includes(k)) into.required.push(k);
  into.open ||= from.open;
  return into;
}

/** A declaration by name as an object schema (undefined when it is no object: a generic, a conditional type). */
function declared(name) {
  const d = declarations.get(name);
  if (!d) return undefined;
  if (ts.isInterfaceDeclaration(d)) return objectOf(d.members, d.heritageClauses);
  if (ts.isTypeAliasDeclaration(d) && ts.isTypeLiteralNode(d.type)) return objectOf(d.type.members);
  return undefined;
}

function schemaOf(node) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { type: 'number' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.NullKeyword:
      return { type: 'null' };
  }
  if (ts.isLiteralTypeNode(node)) {
    if (node.literal.kind === ts.SyntaxKind.NullKeyword) return { type: 'null' };
    if (node.literal.kind === ts.SyntaxKind.TrueKeyword) return { const: true };
    if (node.literal.kind === ts.SyntaxKind.FalseKeyword) return { const: false };
    return { const: node.literal.text };
  }
  if (ts.isParenthesizedTypeNode(node)) return schemaOf(node.type);
  if (ts.isUnionTypeNode(node)) return { anyOf: node.types.map(schemaOf) };
  if (ts.isArrayTypeNode(node)) return { type: 'array', items: schemaOf(node.elementType) };
  if (ts.isTypeLiteralNode(node)) return closed(objectOf(node.members));
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText(file);
    const args = node.typeArguments ?? [];
    if (name === 'Record') return { type: 'object', additionalProperties: schemaOf(args[1]) };
    if (name === 'MappedOmit') {
      const base = declared(args[0].getText(file));
      const drop = args[1]
        .getText(file)
        .replace(/['"]/g, '')
        .split('|')
        .map((s) => s.trim());
      for (const k of drop) delete base.properties[k];
      base.required = base.required.filter((k) => !drop.includes(k));
      return closed(base);
    }
    if (declarations.has(name) && declared(name)) return ref(name);
  }
  return {}; // a generic parameter, a conditional type: anything
}

/** An object schema as JSON Schema: an open one (GitLab adds fields) allows properties it does not name. */
function closed(o) {
  const { open, required, ...rest } = o;
  return { ...rest, ...(required.length ? { required } : {}), additionalProperties: open };
}

/** What a request sends: the declarations' and methods' option fields, snake_cased; nothing else is allowed. */
function requestOf(parts) {
  const out = { type: 'object', properties: {}, required: [], open: false };
  for (const part of parts) {
    const [cls, method] = part.split('.');
    if (!method) {
      merge(out, declared(part));
      continue;
    }
    const found = declarations.get(cls).members.find((m) => m.name?.getText(file) === method);
    for (const p of found.parameters) {
      const name = p.name.getText(file);
      if (PATH_PARAMS.has(name)) {
        // The options parameter: its type literal's fields (the rest of the intersection is named in OPERATIONS).
        const literals = ts.isIntersectionTypeNode(p.type) ? p.type.types : [p.type];
        for (const l of literals) if (ts.isTypeLiteralNode(l)) merge(out, objectOf(l.members));
        continue;
      }
      out.properties[name] = schemaOf(p.type);
      out.required.push(name);
    }
  }
  for (const k of Object.keys(out.properties)) {
    if (CLIENT_SIDE.has(k)) delete out.properties[k];
    else if (snake(k) !== k) {
      out.properties[snake(k)] = out.properties[k];
      delete out.properties[k];
    }
  }
  out.required = out.required.map(snake);
  out.open = false;
  return closed(out);
}

const operations = {};
for (const [key, op] of Object.entries(OPERATIONS)) {
  operations[key] = {
    ...(op.query ? { query: requestOf(op.query) } : {}),
    ...(op.body ? { body: requestOf(op.body) } : {}),
    responses: Object.fromEntries(
      Object.entries(op.response).map(([status, s]) => [
        status,
        Array.isArray(s) ? { type: 'array', items: ref(s[0]) } : ref(s),
      ]),
    ),
  };
}
while (wanted.length > 0) {
  const name = wanted.shift();
  const schema = closed(declared(name));
  for (const k of NULLABLE[name] ?? []) schema.properties[k] = { anyOf: [schema.properties[k], { type: 'null' }] };
  definitions[name] = schema;
}
const fixture = {
  'x-taskhooks-fixture': {
    from: `npm @gitbeaker/core@${version}, dist/index.d.ts (its TypeScript model of GitLab's REST API v4)`,
    written: 'by scripts/gitlab-schemas-fixture.mjs, which names each operation and the declarations it is made of',
  },
  operations,
  definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b))),
};
writeFileSync(OUT, `${JSON.stringify(fixture, null, 1)}\n`);
console.log(`${Object.keys(operations).length} operations, ${Object.keys(definitions).length} definitions`);
