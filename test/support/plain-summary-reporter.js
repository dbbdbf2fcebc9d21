// Ends every Jest run with one plain line, "N passed, N failed, N skipped", which CI tooling
// reads whatever the test runner; skipped and todo tests are counted apart, never as passed. A
// test file that could not run at all (it failed to load, or a hook outside any test threw)
// counts no failed test, so such files are counted apart too and named: never a silent pass.
// Tests run in random order (jest.config.js): the seed is printed first and again before that
// line, with the command that replays the same order.
class PlainSummaryReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  seedLine() {
    const { randomize, seed } = this.globalConfig;
    return randomize ? `jest: tests in random order, seed ${seed} (replay this order: add --seed=${seed}, e.g. npm test -- --seed=${seed})\n` : '';
  }

  onRunStart() {
    process.stdout.write(this.seedLine());
  }

  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const broken = results.testResults.filter((file) => file.testExecError || (file.failureMessage && file.numFailingTests === 0));
    const brokenLine = broken.length
      ? `, ${broken.length} test file(s) failed to run: ${broken.map((file) => file.testFilePath.replace(`${this.globalConfig.rootDir}/`, '')).join(', ')}`
      : '';
    process.stdout.write(`\n${this.seedLine()}tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped${brokenLine}\n`);
  }
}
module.exports = PlainSummaryReporter;
