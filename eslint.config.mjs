// ESLint over the whole tree (apps, libs, test, bench, scripts): typescript-eslint's recommended
// rules everywhere, plus the architecture boundaries (docs/architecture.md, "Boundaries") on
// production code. Folder-level cycles are checked by scripts/check-folder-cycles.ts.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'];

/** Production code, one element per architectural part; the first matching pattern wins. */
const ELEMENTS = [
  { type: 'domain', pattern: 'libs/domain/src/**', partialMatch: false },
  { type: 'domain-testing', pattern: 'libs/domain/testing/**', partialMatch: false },
  { type: 'event-store', pattern: 'libs/event-store/src/**', partialMatch: false },
  { type: 'read-models', pattern: 'libs/read-models/src/**', partialMatch: false },
  { type: 'config', pattern: 'libs/config/src/**', partialMatch: false },
  { type: 'api-client', pattern: 'libs/api-client/src/**', partialMatch: false },
  { type: 'api-write-side', pattern: 'apps/api/src/conventions/**', partialMatch: false },
  { type: 'api-read-side', pattern: 'apps/api/src/read-side/**', partialMatch: false },
  { type: 'api', pattern: 'apps/api/src/**', partialMatch: false },
  { type: 'projector', pattern: 'apps/projector/src/**', partialMatch: false },
];

const DOMAIN = ['domain', 'domain-testing'];

/** Data files that code may read, classified apart from the elements. */
const FILES = [{ category: 'example-data', pattern: 'docs/examples/*.json' }];

/** Evaluated in order, the last matching policy decides; what no policy matches is allowed. */
const BOUNDARY_POLICIES = [
  // 1. The domain is pure: its own files and decimal.js, nothing else (no package, no node
  //    built-in, no other part of the tree). domain-testing may use the domain; the domain may
  //    not use its testing helpers.
  {
    from: { element: { types: DOMAIN } },
    disallow: { to: [{ module: { origin: ['local', 'external', 'core'] } }] },
    message: "the domain imports only decimal.js and its own files, not '{{ dependency.source }}'",
  },
  {
    from: { element: { types: DOMAIN } },
    allow: { to: [{ element: { type: 'domain' } }, { module: { origin: 'external', source: 'decimal.js' } }] },
  },
  // The testing helpers also read the seed convention's HTTP body (docs/examples), shared with
  // the end-to-end tests and the README: data, not code.
  {
    from: { element: { type: 'domain-testing' } },
    allow: { to: [{ element: { type: 'domain-testing' } }, { file: { categories: 'example-data' } }] },
  },
  // 2. The event store knows nothing of the domain nor of the read models.
  {
    from: { element: { type: 'event-store' } },
    disallow: {
      to: [
        { element: { types: ['domain', 'domain-testing', 'read-models'] } },
        // Only reached if the alias failed to resolve and looked like a package.
        { module: { source: ['@cl/domain', '@cl/read-models'] } },
      ],
    },
    message: "the event store does not import the domain nor the read models: '{{ dependency.source }}'",
  },
  // 3. The read side does not import write-side files.
  {
    from: { element: { types: ['read-models', 'api-read-side'] } },
    disallow: { to: { element: { type: 'api-write-side' } } },
    message: "the read side does not import write-side files (apps/api/src/conventions): '{{ dependency.source }}'",
  },
  // 4. The typed client is what integrators import: openapi-fetch and its generated types only,
  //    never server code.
  {
    from: { element: { type: 'api-client' } },
    disallow: { to: [{ module: { origin: ['local', 'external', 'core'] } }] },
    message: "the API client imports only openapi-fetch and its own files, not '{{ dependency.source }}'",
  },
  {
    from: { element: { type: 'api-client' } },
    allow: { to: [{ element: { type: 'api-client' } }, { module: { origin: 'external', source: 'openapi-fetch' } }] },
  },
];

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'data/', '.tmp/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `_` names a parameter kept for its decorator (a validated @Query) or a property left out
      // of a rest spread.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Plain CommonJS files: jest.config.js, the Jest reporter, the containers' health checks.
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: TEST_FILES,
    plugins: { boundaries },
    settings: {
      'boundaries/root-path': import.meta.dirname,
      'boundaries/elements': ELEMENTS,
      'boundaries/files': FILES,
      'boundaries/dependency-nodes': ['import', 'export', 'require', 'dynamic-import'],
      // Resolves the @cl/* aliases of tsconfig.json: without it, `@cl/domain` would look like a
      // package and rules 1 to 3 would not see it.
      'import/resolver': { typescript: { project: 'tsconfig.json' }, node: true },
    },
    rules: {
      'boundaries/dependencies': ['error', {
        default: 'allow',
        checkAllOrigins: true,
        checkUnknownLocals: true,
        policies: BOUNDARY_POLICIES,
      }],
    },
  },
);
