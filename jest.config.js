// Three tiers, told apart by file suffix: *.spec.ts (unit, pure), *.int-spec.ts (real store /
// real database), *.e2e-spec.ts (the real Nest app over HTTP).
const shared = {
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
    // ES-module-only packages, transpiled to CommonJS for Jest: test/support/esm-package.transform.js.
    '/node_modules/(jose|@nestjs/terminus)/.+\\.js$': '<rootDir>/test/support/esm-package.transform.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/|@nestjs/terminus/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@cl/domain$': '<rootDir>/libs/domain/src',
    '^@cl/domain/(.*)$': '<rootDir>/libs/domain/src/$1',
    '^@cl/event-store$': '<rootDir>/libs/event-store/src',
    '^@cl/event-store/(.*)$': '<rootDir>/libs/event-store/src/$1',
    '^@cl/read-models$': '<rootDir>/libs/read-models/src',
    '^@cl/read-models/(.*)$': '<rootDir>/libs/read-models/src/$1',
    '^@cl/config$': '<rootDir>/libs/config/src',
    '^@cl/config/(.*)$': '<rootDir>/libs/config/src/$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testEnvironmentOptions: { globalsCleanup: 'off' },
};

module.exports = {
  // testTimeout is global in Jest (projects ignore it): generous, for a loaded 2-core CI machine.
  testTimeout: 60000,
  // Every run shuffles the tests of each file (a new seed each time, printed at the start and in
  // the summary), so a test that leans on another having run first fails sooner or later.
  // Replay an order with --seed: `npm test -- --seed=<n>`, `npx jest <file> --seed=<n>`.
  randomize: true,
  reporters: ['default', '<rootDir>/test/support/plain-summary-reporter.js'],
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'] },
  ],
};
