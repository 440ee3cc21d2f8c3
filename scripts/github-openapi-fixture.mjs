// Writes test/fixtures/github/<description>.json: the part of GitHub's OpenAPI description (npm @octokit/openapi) that
// the GitHub stand-in is judged by, the paths below and every component they reach, so the tests need neither that
// 385 MB package nor the network. Examples are left out: nothing judges by them.
//   npm pack @octokit/openapi@23.0.2 && tar xzf octokit-openapi-23.0.2.tgz
//   node scripts/github-openapi-fixture.mjs package/generated
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const DESCRIPTIONS = ['api.github.com', 'ghes-3.19'];
/** The operations taskhooks' GitHub source and `doctor` call, and their neighbours a wrong request could land on. */
const PATHS = /^\/(user|rate_limit|repos\/\{owner\}\/\{repo\}(\/(issues|labels)(\/.*)?)?)$/;
const OUT = path.join(import.meta.dirname, '..', 'test', 'fixtures', 'github');

const [generated] = process.argv.slice(2);
if (!generated) {
  console.error('usage: node scripts/github-openapi-fixture.mjs DIR (the generated/ folder of @octokit/openapi)');
  process.exit(2);
}
const version = JSON.parse(readFileSync(path.join(generated, '..', 'package.json'), 'utf8')).version;

/** `node` without its examples. */
function withoutExamples(node) {
  if (Array.isArray(node)) return node.map(withoutExamples);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => k !== 'examples' && k !== 'example')
      .map(([k, v]) => [k, withoutExamples(v)]),
  );
}

for (const name of DESCRIPTIONS) {
  const spec = JSON.parse(readFileSync(path.join(generated, `${name}.json`), 'utf8'));
  const paths = Object.fromEntries(
    Object.entries(spec.paths)
      .filter(([p]) => PATHS.test(p))
      .map(([p, v]) => [p, withoutExamples(v)]),
  );
  const components = {};
  const seen = new Set();
  const reach = (node) => {
    if (Array.isArray(node)) return node.forEach(reach);
    if (node === null || typeof node !== 'object') return;
    const ref = node.$ref;
    if (typeof ref === 'string' && !seen.has(ref)) {
      seen.add(ref);
      const [, kind, key] = /^#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? [];
      if (!kind) throw new Error(`${name}: a reference outside components: ${ref}`);
      const target = withoutExamples(spec.components[kind][key]);
      components[kind] ??= {};
      components[kind][key] = target;
      reach(target);
    }
    for (const v of Object.values(node)) reach(v);
  };
  reach(paths);
  for (const kind of Object.keys(components))
    components[kind] = Object.fromEntries(Object.entries(components[kind]).sort(([a], [b]) => a.localeCompare(b)));
  const fixture = {
    openapi: spec.openapi,
    info: spec.info,
    'x-taskhooks-fixture': {
      from: `@octokit/openapi@${version}, generated/${name}.json`,
      paths: PATHS.source,
      written: 'by scripts/github-openapi-fixture.mjs; examples left out',
    },
    paths,
    components,
  };
  writeFileSync(path.join(OUT, `${name}.json`), `${JSON.stringify(fixture, null, 1)}\n`);
  console.log(`${name}: ${Object.keys(paths).length} paths, ${seen.size} components`);
}
