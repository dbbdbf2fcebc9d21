/**
 * Folder-level import cycles: `npm run lint` fails when two folders of production code import
 * each other, directly or through other folders.
 *
 * A folder is a directory holding .ts files, directly or below it; a file belongs to its directory
 * and to every directory above it. Only folders neither of which contains the other are compared
 * (a folder and its own subfolders are one unit: `decide/*.ts` may use `../events.ts` while
 * `decide.ts` composes `decide/*.ts`). An import from a file under folder A that resolves (relative
 * path or `@cl/*` alias of tsconfig.json) to a file under folder B is an edge A → B between the
 * two sibling folders directly under the deepest directory holding both files. Every cycle among
 * siblings (a strongly connected component of more than one folder) is reported, with one import
 * per edge as evidence (the edge with the fewest imports is usually the one to break). Test files (`*.spec.ts`, `*.int-spec.ts`, `*.e2e-spec.ts`) are leaves of
 * the graph and are left out; so are packages and node built-ins.
 *
 * Usage: node -r ts-node/register/transpile-only scripts/check-folder-cycles.ts [root...]
 * (default roots: apps libs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export const DEFAULT_ROOTS = ['apps', 'libs'];
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;

/** from folder → to folder → the imports that make the edge, each "file: 'specifier'". */
export type FolderGraph = Map<string, Map<string, string[]>>;

export interface FolderCycle {
  folders: string[];
  /** One line per edge between two folders of the cycle: how many imports make it, and the first. */
  evidence: string[];
}

export function loadCompilerOptions(projectDir: string): ts.CompilerOptions {
  const configPath = path.join(projectDir, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(read.config, ts.sys, projectDir, undefined, configPath).options;
}

export function listSourceFiles(projectDir: string, roots: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !TEST_FILE.test(entry.name)) files.push(full);
    }
  };
  for (const root of roots) {
    const dir = path.resolve(projectDir, root);
    if (fs.existsSync(dir)) walk(dir);
  }
  return files.sort();
}

/**
 * The folder of `fromDir` and the folder of `toDir` that an import between them links: the two
 * siblings right under their deepest common directory, or undefined when one contains the other.
 */
export function folderEdge(fromDir: string, toDir: string): [string, string] | undefined {
  const from = fromDir.split('/');
  const to = toDir.split('/');
  let common = 0;
  while (common < from.length && common < to.length && from[common] === to[common]) common += 1;
  if (common === from.length || common === to.length) return undefined;
  return [from.slice(0, common + 1).join('/'), to.slice(0, common + 1).join('/')];
}

/** Edges between sibling folders, each folder named by its path relative to projectDir. */
export function buildFolderGraph(projectDir: string, files: readonly string[], options: ts.CompilerOptions): FolderGraph {
  const graph: FolderGraph = new Map();
  const host = ts.createCompilerHost(options);
  const root = path.resolve(projectDir);
  const relative = (p: string) => path.relative(root, p).split(path.sep).join('/');
  for (const file of files) {
    const imports = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles;
    for (const { fileName: specifier } of imports) {
      const resolved = ts.resolveModuleName(specifier, file, options, host).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) continue;
      const target = path.resolve(resolved.resolvedFileName);
      if (!target.startsWith(root + path.sep)) continue;
      const edge = folderEdge(relative(path.dirname(file)), relative(path.dirname(target)));
      if (!edge) continue;
      const [from, to] = edge;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      edges.set(to, [...(edges.get(to) ?? []), `${relative(file)}: '${specifier}'`]);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Strongly connected components of more than one folder (Tarjan), in a stable order. */
export function findFolderCycles(graph: FolderGraph): FolderCycle[] {
  const nodes = new Set<string>();
  for (const [from, edges] of graph) {
    nodes.add(from);
    for (const to of edges.keys()) nodes.add(to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of [...nodes].sort()) if (!index.has(node)) visit(node);

  return components
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map((folders) => {
      const members = new Set(folders);
      const evidence: string[] = [];
      for (const from of folders) {
        for (const [to, imports] of [...(graph.get(from) ?? new Map<string, string[]>())].sort(([a], [b]) => a.localeCompare(b))) {
          if (!members.has(to)) continue;
          const count = imports.length === 1 ? '1 import' : `${imports.length} imports, first`;
          evidence.push(`${from} → ${to} (${count}: ${imports[0]})`);
        }
      }
      return { folders, evidence };
    });
}

export function checkFolderCycles(projectDir: string, roots: readonly string[] = DEFAULT_ROOTS): FolderCycle[] {
  const options = loadCompilerOptions(projectDir);
  return findFolderCycles(buildFolderGraph(projectDir, listSourceFiles(projectDir, roots), options));
}

export function formatCycles(cycles: readonly FolderCycle[]): string {
  return cycles
    .map((cycle) => [`folder cycle between ${cycle.folders.join(', ')}:`, ...cycle.evidence.map((line) => `  ${line}`)].join('\n'))
    .join('\n');
}

if (require.main === module) {
  const roots = process.argv.slice(2);
  const cycles = checkFolderCycles(process.cwd(), roots.length > 0 ? roots : DEFAULT_ROOTS);
  if (cycles.length > 0) {
    console.error(formatCycles(cycles));
    process.exitCode = 1;
  } else {
    console.log(`check-folder-cycles: no folder imports another that imports it back (${(roots.length > 0 ? roots : DEFAULT_ROOTS).join(', ')})`);
  }
}
