// GitHub's own OpenAPI description (npm @octokit/openapi; the part the stand-in answers for, in test/fixtures/github)
// as the judge of the GitHub stand-in: every request the adapter sends must match a described operation (path,
// method, path and query parameters, JSON body, headers), and every answer the stand-in gives must be one described
// for it (status, JSON body, headers).
//
// The description is OpenAPI 3.0.3: schemas are JSON Schema draft-04/07-like with OpenAPI's `nullable`. Ajv 8's
// default class (draft-07) reads `nullable: true` as "or null", which is exactly 3.0's meaning; ajv/dist/2020 would
// not (3.1 dropped `nullable`). `strict: false` lets the description's own keywords (`example`, `x-github`) pass.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'github');

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Json;
}
interface Operation {
  method: string;
  template: string;
  regex: RegExp;
  names: string[];
  op: Json;
  params: Parameter[];
}

export type SpecName = 'api.github.com' | 'ghes-3.19';

export interface OpenApiJudge {
  /** The operation a request is, and what is wrong with it (empty when nothing). */
  checkRequest(req: {
    method: string;
    path: string;
    query: URLSearchParams;
    headers: Record<string, string | string[] | undefined>;
    body: unknown;
  }): { operation: string | undefined; problems: string[] };
  /** What is wrong with an answer to that operation (empty when nothing). */
  checkResponse(operation: string, status: number, headers: Record<string, string>, body: unknown): string[];
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const judges = new Map<SpecName, OpenApiJudge>();

/** The judge for one of GitHub's descriptions, loaded once per test file. */
export function openApiJudge(name: SpecName = 'api.github.com'): OpenApiJudge {
  const found = judges.get(name);
  if (found) return found;
  const spec = prepared(JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Json);
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(spec, 'spec');
  const components = spec.components as Record<string, Record<string, Json>>;
  const resolve = <T>(o: Json): T => {
    const ref = o.$ref;
    if (typeof ref !== 'string') return o as T;
    const [, kind, key] = /^spec#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? [];
    return resolve<T>(components[kind as string]?.[key as string] as Json);
  };
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(spec.paths as Record<string, Json>)) {
    const names: string[] = [];
    const regex = new RegExp(
      `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, n: string) => {
        names.push(n);
        return '([^/]+)';
      })}$`,
    );
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters') continue;
      const params = [...((item.parameters as Json[]) ?? []), ...(((op as Json).parameters as Json[]) ?? [])].map((p) =>
        resolve<Parameter>(p),
      );
      operations.push({ method: method.toUpperCase(), template, regex, names, op: op as Json, params });
    }
  }
  const compiled = new Map<Json, ValidateFunction>();
  const validator = (schema: Json): ValidateFunction => {
    let v = compiled.get(schema);
    if (!v) {
      v = ajv.compile(schema);
      compiled.set(schema, v);
    }
    return v;
  };
  const errors = (v: ValidateFunction): string =>
    (v.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
      .join('; ');
  const byKey = new Map(operations.map((o) => [`${o.method} ${o.template}`, o]));

  const judge: OpenApiJudge = {
    checkRequest({ method, path, query, headers, body }) {
      const op = operations.find((o) => o.method === method && o.regex.test(path));
      if (!op) return { operation: undefined, problems: [`${method} ${path}: no operation described`] };
      const problems: string[] = [];
      const key = `${op.method} ${op.template}`;
      const values = op.regex.exec(path)?.slice(1) ?? [];
      op.names.forEach((n, i) => {
        const p = op.params.find((x) => x.in === 'path' && x.name === n);
        const value = decodeURIComponent(values[i] ?? '');
        if (!p) problems.push(`${key}: path parameter ${n} not described`);
        else if (p.schema && !valueFits(p.schema, value, validator))
          problems.push(`${key}: path ${n}=${value} invalid`);
      });
      for (const [k, v] of query) {
        const p = op.params.find((x) => x.in === 'query' && x.name === k);
        if (!p) problems.push(`${key}: query parameter ${k} not described`);
        else if (p.schema && !valueFits(p.schema, v, validator)) problems.push(`${key}: query ${k}=${v} invalid`);
      }
      for (const p of op.params) {
        if (p.required && p.in === 'query' && !query.has(p.name)) problems.push(`${key}: query ${p.name} missing`);
      }
      const reqBody = op.op.requestBody ? resolve<Json>(op.op.requestBody as Json) : undefined;
      const schema = (reqBody?.content as Record<string, Json> | undefined)?.['application/json']?.schema as
        | Json
        | undefined;
      if (body !== undefined && !schema) problems.push(`${key}: sent a body, none described`);
      if (schema) {
        if (body === undefined && reqBody?.required) problems.push(`${key}: body required`);
        else if (body !== undefined) {
          const v = validator(schema);
          if (!v(body)) problems.push(`${key}: body ${errors(v)}`);
        }
      }
      const accept = String(headers.accept ?? '');
      if (!/^application\/(vnd\.github(\.[a-z0-9.+-]+)?|json)/.test(accept))
        problems.push(`${key}: accept ${accept} is not a GitHub media type`);
      if (!headers['user-agent']) problems.push(`${key}: no User-Agent (GitHub refuses requests without one)`);
      const version = headers['x-github-api-version'];
      if (version !== undefined && version !== '2022-11-28') problems.push(`${key}: API version ${version} unknown`);
      if (body !== undefined && !String(headers['content-type'] ?? '').startsWith('application/json'))
        problems.push(`${key}: body sent without a JSON content type`);
      return { operation: key, problems };
    },
    checkResponse(operation, status, headers, body) {
      const op = byKey.get(operation);
      if (!op) return [`${operation}: no operation`];
      const responses = op.op.responses as Record<string, Json>;
      const described = responses[String(status)] ?? responses.default;
      if (!described) return [`${operation}: status ${status} not described`];
      const response = resolve<Json>(described);
      const problems: string[] = [];
      const schema = (response.content as Record<string, Json> | undefined)?.['application/json']?.schema as
        | Json
        | undefined;
      if (schema) {
        const v = validator(schema);
        if (!v(body)) problems.push(`${operation} ${status}: body ${errors(v)}`);
      } else if (body !== undefined) problems.push(`${operation} ${status}: body where none is described`);
      for (const [name, h] of Object.entries((response.headers as Record<string, Json> | undefined) ?? {})) {
        const header = resolve<Json>(h);
        const value = headers[name.toLowerCase()];
        if (value !== undefined && header.schema && !valueFits(header.schema as Json, value, validator))
          problems.push(`${operation} ${status}: header ${name} invalid`);
      }
      const link = headers.link;
      if (
        link !== undefined &&
        !/^<[^>]+>; rel="(next|last|prev|first)"(, <[^>]+>; rel="(next|last|prev|first)")*$/.test(link)
      )
        problems.push(`${operation} ${status}: Link header malformed`);
      return problems;
    },
  };
  judges.set(name, judge);
  return judge;
}

/** A parameter's text as its schema's type: GitHub's integers and booleans arrive as query text. */
function valueFits(schema: Json, text: string, validator: (s: Json) => ValidateFunction): boolean {
  const type = schema.type;
  const value =
    type === 'integer' || type === 'number'
      ? /^-?\d+(\.\d+)?$/.test(text)
        ? Number(text)
        : text
      : type === 'boolean'
        ? text === 'true'
          ? true
          : text === 'false'
            ? false
            : text
        : text;
  return validator(schema)(value);
}

/**
 * The description made ready for ajv, in place, once: its `#/components/…` references name the document (`spec#…`)
 * so any schema in it compiles on its own; and `nullable` beside no `type` (next to `allOf`, `$ref`), which ajv
 * refuses, becomes what OpenAPI 3.0 means by it, "this, or null".
 */
function prepared(spec: Json): Json {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Json;
    for (const v of Object.values(o)) walk(v);
    if (typeof o.$ref === 'string' && o.$ref.startsWith('#/')) o.$ref = `spec${o.$ref}`;
    // ajv checks `enum` before `nullable`: OpenAPI 3.0 lets null through all the same.
    if (o.nullable === true && Array.isArray(o.enum) && !o.enum.includes(null)) o.enum = [...o.enum, null];
    if (o.nullable === true && o.type === undefined) {
      const rest = { ...o };
      delete rest.nullable;
      for (const k of Object.keys(o)) delete o[k];
      o.anyOf = [rest, { type: 'null' }];
    }
  };
  walk(spec);
  return spec;
}
