import * as path from 'node:path';
import { buildFolderGraph, checkFolderCycles, folderEdge, formatCycles, listSourceFiles, loadCompilerOptions } from '../../scripts/check-folder-cycles';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = 'test/lint/fixtures';

describe('check-folder-cycles', () => {
  it('reports two folders that import each other, and a cycle through a type-only import', () => {
    const cycles = checkFolderCycles(ROOT, [`${FIXTURES}/folder-cycle`]);
    expect(cycles.map((cycle) => cycle.folders)).toEqual([
      [`${FIXTURES}/folder-cycle/a`, `${FIXTURES}/folder-cycle/b`],
      [`${FIXTURES}/folder-cycle/c`, `${FIXTURES}/folder-cycle/d`],
    ]);
    expect(cycles[0].evidence).toEqual([
      `${FIXTURES}/folder-cycle/a → ${FIXTURES}/folder-cycle/b (1 import: ${FIXTURES}/folder-cycle/a/a.ts: '../b/b')`,
      `${FIXTURES}/folder-cycle/b → ${FIXTURES}/folder-cycle/a (1 import: ${FIXTURES}/folder-cycle/b/b.ts: '../a/a')`,
    ]);
    expect(formatCycles(cycles)).toContain(`folder cycle between ${FIXTURES}/folder-cycle/a, ${FIXTURES}/folder-cycle/b:`);
  });

  it('treats a folder and its subfolders as one unit, and finds no cycle where there is none', () => {
    expect(checkFolderCycles(ROOT, [`${FIXTURES}/no-cycle`])).toEqual([]);
  });

  it('links the two sibling folders under the deepest common directory', () => {
    expect(folderEdge('apps/api/src/http/idempotency', 'apps/api/src/infrastructure')).toEqual(['apps/api/src/http', 'apps/api/src/infrastructure']);
    expect(folderEdge('libs/read-models/src/queries', 'libs/domain/src')).toEqual(['libs/read-models', 'libs/domain']);
    expect(folderEdge('libs/domain/src/decide', 'libs/domain/src')).toBeUndefined();
    expect(folderEdge('libs/domain/src', 'libs/domain/src/decide')).toBeUndefined();
  });

  it('resolves the @cl/* aliases of tsconfig.json', () => {
    const options = loadCompilerOptions(ROOT);
    const fixture = buildFolderGraph(ROOT, listSourceFiles(ROOT, [`${FIXTURES}/folder-cycle/c`]), options);
    expect(fixture.get('test')?.get('libs')).toEqual([`${FIXTURES}/folder-cycle/c/c.ts: '@cl/config'`]);
    // The read models reach the domain only through '@cl/domain'.
    const tree = buildFolderGraph(ROOT, listSourceFiles(ROOT, ['libs/read-models']), options);
    expect(tree.get('libs/read-models')?.get('libs/domain')).toContainEqual(expect.stringMatching(/: '@cl\/domain'$/));
  });
});
