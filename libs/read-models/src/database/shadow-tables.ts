import type { Kysely, KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { READ_MODEL_TABLES, type ReadModelTableName } from './read-model-tables';

/**
 * A rebuild writes into shadow copies of the read-model tables, beside the live ones, and swaps
 * them in at the end (projector/shadow-rebuild.ts). A shadow table is the live name plus this
 * suffix, its constraint and indexes are named after it the same way (`rm_stats__next_pk`), so no
 * name of the shadow clashes with a live one (PostgreSQL index names are global to a schema).
 */
export const SHADOW_SUFFIX = '__next';

export const shadowNameOf = (table: ReadModelTableName): string => `${table}${SHADOW_SUFFIX}`;

const SHADOWED = new Map<string, string>(
  (Object.keys(READ_MODEL_TABLES) as ReadModelTableName[]).map((table) => [table, shadowNameOf(table)]),
);

/** A whole word equal to a read-model table name, in raw SQL text (`rm_stats`, not `rm_stats__next` nor `rm_stats_pk`). */
const TABLE_WORD = new RegExp(`\\b(${[...SHADOWED.keys()].join('|')})\\b`, 'g');

/** Nodes whose properties are values, never SQL names: nothing to look at inside them. */
const OPAQUE_KINDS = new Set(['ValueNode', 'PrimitiveValueListNode', 'DefaultInsertValueNode']);

/**
 * Rewrites every read-model table name in a query to its shadow name: identifiers (tables in
 * FROM, INTO, JOIN, qualified column references, `sql.table`, `sql.id`, `sql.ref`) and whole words
 * in raw SQL text, so the projections run unchanged against the shadow tables. A structural walk
 * that copies only the nodes on the path to a rename: a multi-row INSERT of thousands of values
 * costs a visit per node and no allocation.
 */
function renameTables(node: unknown): unknown {
  if (Array.isArray(node)) {
    let copy: unknown[] | undefined;
    node.forEach((item, index) => {
      const renamed = renameTables(item);
      if (renamed !== item) (copy ??= [...node])[index] = renamed;
    });
    return copy ?? node;
  }
  if (node === null || typeof node !== 'object') return node;
  const operation = node as OperationNode & Record<string, unknown>;
  if (typeof operation.kind !== 'string' || OPAQUE_KINDS.has(operation.kind)) return node;
  if (operation.kind === 'IdentifierNode') {
    const shadow = SHADOWED.get(operation.name as string);
    return shadow === undefined ? node : { ...operation, name: shadow };
  }
  let copy: Record<string, unknown> | undefined;
  if (operation.kind === 'RawNode') {
    const fragments = operation.sqlFragments as readonly string[];
    const rewritten = fragments.map((fragment) => fragment.replace(TABLE_WORD, (table) => SHADOWED.get(table)!));
    if (rewritten.some((fragment, index) => fragment !== fragments[index])) copy = { ...operation, sqlFragments: rewritten };
  }
  for (const [key, value] of Object.entries(operation)) {
    if (value === null || typeof value !== 'object') continue;
    const renamed = renameTables(value);
    if (renamed !== value) (copy ??= { ...operation })[key] = renamed;
  }
  return copy ?? node;
}

/** Kysely plugin: every query of the Kysely instance it is given to reads and writes the shadow tables. */
export class ShadowTablesPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return renameTables(args.node) as RootOperationNode;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** The same database, seen through the shadow tables: the projection code writes them unchanged. */
export const shadowOf = <DB>(db: Kysely<DB>): Kysely<DB> => db.withPlugin(new ShadowTablesPlugin());
