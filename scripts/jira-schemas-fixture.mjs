// Writes test/fixtures/jira/schemas.mjs and schemas.d.mts: the zod models of Jira's REST API (npm jira.js, generated
// from Atlassian's OpenAPI description) that the Jira stand-in is judged by, so the tests need neither that package,
// whose engines field (Node 22+) makes `npm ci` warn on Node 20, nor the network. zod stays an import: the tests' own.
//   npm pack jira.js@6.2.0 && tar xzf jira.js-6.2.0.tgz
//   node scripts/jira-schemas-fixture.mjs package
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** What test/helpers/jira-standin.ts imports. */
const SCHEMAS = [
  'CommentInputSchema',
  'CommentSchema',
  'CreatedIssueSchema',
  'DashboardUserSchema',
  'IssueSchema',
  'IssueUpdateDetailsSchema',
  'PrioritySchema',
  'SearchAndReconcileRequestSchema',
  'SearchAndReconcileResultsSchema',
  'StatusDetailsSchema',
  'TransitionsSchema',
  'UserDetailsSchema',
];
const OUT = path.join(import.meta.dirname, '..', 'test', 'fixtures', 'jira');

const [pkgDir] = process.argv.slice(2);
if (!pkgDir) {
  console.error('usage: node scripts/jira-schemas-fixture.mjs DIR (the unpacked jira.js package)');
  process.exit(2);
}
// Real, so the bundle's path comments are the package's own (dist/…), wherever it was unpacked.
const dir = realpathSync(pkgDir);
const { version, license } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
const copyright = /^Copyright .*$/m.exec(readFileSync(path.join(dir, 'LICENSE'), 'utf8'))?.[0] ?? '';
const header = (how) =>
  [
    `// The zod models of Jira Cloud's REST API v3 that test/helpers/jira-standin.ts is judged by, ${how}`,
    `// from npm jira.js ${version} (${license}, ${copyright}; https://github.com/MrRefactoring/jira.js),`,
    "// whose models are generated from Atlassian's Jira Cloud platform REST API OpenAPI description. Do not edit:",
    '// regenerate with scripts/jira-schemas-fixture.mjs (test/fixtures/README.md says how).',
  ].join('\n');

mkdirSync(OUT, { recursive: true });
const bundle = await build({
  stdin: {
    contents: `export { ${SCHEMAS.join(', ')} } from ${JSON.stringify(path.join(dir, 'dist', 'cloud', 'index.js'))};`,
    resolveDir: dir,
    loader: 'js',
  },
  absWorkingDir: dir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['zod'],
  treeShaking: true,
  legalComments: 'none',
  banner: { js: header('bundled by esbuild') },
  write: false,
});
const js = bundle.outputFiles[0].text;
writeFileSync(path.join(OUT, 'schemas.mjs'), js);

// Each model's declaration file is self-contained (its nested schemas inlined, zod its only import), so the
// declarations are theirs verbatim, with the type each one infers.
const declarations = SCHEMAS.map((name) => {
  const base = name.replace(/Schema$/, '');
  const file = path.join(dir, 'dist', 'cloud', 'models', `${base[0].toLowerCase()}${base.slice(1)}.d.ts`);
  const text = readFileSync(file, 'utf8');
  if (!text.includes(`export declare const ${name}:`)) throw new Error(`${file} does not declare ${name}`);
  const body = text
    .split('\n')
    .filter((line) => !/^import .* from 'zod';$/.test(line) && !line.startsWith('//# sourceMappingURL='))
    .join('\n')
    .trim();
  if (/^import /m.test(body)) throw new Error(`${file} imports more than zod`);
  return body;
});
writeFileSync(
  path.join(OUT, 'schemas.d.mts'),
  `${header('their declarations copied')}\nimport { z } from 'zod';\n\n${declarations.join('\n\n')}\n`,
);
console.log(`schemas.mjs: ${Buffer.byteLength(js)} bytes; schemas.d.mts: ${SCHEMAS.length} schemas`);
