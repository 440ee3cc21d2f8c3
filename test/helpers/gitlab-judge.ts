// GitLab's API shapes (test/fixtures/gitlab/gitbeaker-schemas.json, cut from npm @gitbeaker/core's typed model of
// GitLab's REST API v4) as the judge of the GitLab stand-in: every request the adapter sends must be one of the
// operations described (method and path, query parameters, JSON body, a token header), and every answer the stand-in
// gives must be the declared shape for it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;
interface Operation {
  query?: Json;
  body?: Json;
  responses: Record<string, Json>;
}
interface Fixture {
  operations: Record<string, Operation>;
  definitions: Record<string, Json>;
}

export interface GitLabJudge {
  /** The operation a request is (`GET /projects/{id}/issues`), and what is wrong with it (empty when nothing). */
  checkRequest(req: {
    method: string;
    path: string;
    query: URLSearchParams;
    headers: Record<string, string | string[] | undefined>;
    body: unknown;
  }): { operation: string | undefined; problems: string[] };
  /** What is wrong with an answer to that operation (empty when nothing). */
  checkResponse(operation: string, status: number, body: unknown): string[];
}

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'gitlab', 'gitbeaker-schemas.json');
let judge: GitLabJudge | undefined;

/** A query value as its schema's type: numbers and booleans arrive as text, a list as one value or `key[]`. */
function queryValue(schema: Json, text: string): unknown {
  const types = JSON.stringify(schema);
  if (schema.type === 'array') return [text];
  if (/"type":"number"/.test(types) && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (schema.type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

export function gitlabJudge(): GitLabJudge {
  if (judge) return judge;
  const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema({ definitions: fixture.definitions }, 'gitlab');
  const compiled = new Map<Json, ValidateFunction>();
  const validator = (schema: Json): ValidateFunction => {
    let v = compiled.get(schema);
    if (!v) {
      // The definitions are referenced by the document they live in.
      v = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/definitions/', '"gitlab#/definitions/')));
      compiled.set(schema, v);
    }
    return v;
  };
  const errors = (v: ValidateFunction): string =>
    (v.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
      .join('; ');
  const routes = Object.keys(fixture.operations).map((key) => {
    const [method, template] = key.split(' ') as [string, string];
    const regex = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return { key, method, regex };
  });
  judge = {
    checkRequest({ method, path: p, query, headers, body }) {
      const route = routes.find((r) => r.method === method && r.regex.test(p));
      if (!route) return { operation: undefined, problems: [`${method} ${p}: no operation described`] };
      const op = fixture.operations[route.key] as Operation;
      const problems: string[] = [];
      const params = ((op.query?.properties ?? {}) as Record<string, Json>) ?? {};
      for (const [k, text] of query) {
        const name = k.replace(/\[\]$/, '');
        const schema = params[name];
        if (!schema) problems.push(`${route.key}: query parameter ${name} not described`);
        else if (!validator(schema)(queryValue(schema, text)))
          problems.push(`${route.key}: query ${name}=${text} invalid`);
      }
      if (op.body) {
        const v = validator(op.body);
        if (body === undefined) problems.push(`${route.key}: no body`);
        else if (!v(body)) problems.push(`${route.key}: body ${errors(v)}`);
        if (!String(headers['content-type'] ?? '').startsWith('application/json'))
          problems.push(`${route.key}: body sent without a JSON content type`);
      } else if (body !== undefined) problems.push(`${route.key}: sent a body, none described`);
      const token = headers['private-token'];
      const bearer = /^Bearer \S+$/.test(String(headers.authorization ?? ''));
      if (!token && !bearer) problems.push(`${route.key}: no PRIVATE-TOKEN and no Authorization: Bearer`);
      if (token && headers.authorization) problems.push(`${route.key}: two credentials sent`);
      return { operation: route.key, problems };
    },
    checkResponse(operation, status, body) {
      const schema = fixture.operations[operation]?.responses[String(status)];
      if (!schema) return [`${operation}: status ${status} not described`];
      const v = validator(schema);
      return v(body) ? [] : [`${operation} ${status}: body ${errors(v)}`];
    },
  };
  return judge;
}
