// Jest transform for packages that ship ES modules only (jose 6, @nestjs/terminus 12): Node 20
// require()s them natively (npm start, the build), Jest before Node 24.9 does not, so ts-jest
// transpiles them to CommonJS for the tests. `import.meta` has no CommonJS form in TypeScript's
// output, so its uses are replaced first by their CommonJS equivalents (`url` from __filename,
// `dirname`, `resolve`), and `const require = createRequire(import.meta.url)` is dropped,
// CommonJS having its own require.
const tsJest = require('ts-jest').default.createTransformer({
  tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true },
});

const OWN_REQUIRE = /\bconst require = createRequire\(import\.meta\.url\);/g;
const commonJsSource = (source) =>
  source
    .replace(OWN_REQUIRE, '')
    .replace(/\bimport\.meta\.url\b/g, "require('node:url').pathToFileURL(__filename).href")
    .replace(/\bimport\.meta\.dirname\b/g, '__dirname')
    .replace(/\bimport\.meta\.resolve\(/g, 'require.resolve(');

module.exports = {
  process: (source, path, options) => tsJest.process(commonJsSource(source), path, options),
  getCacheKey: (source, path, options) => `esm-package-3:${tsJest.getCacheKey(commonJsSource(source), path, options)}`,
};
