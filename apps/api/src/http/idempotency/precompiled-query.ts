import type { Compilable, CompiledQuery } from 'kysely';

/**
 * A query built and compiled once by kysely, then run with other values. On the command path
 * building and compiling a query cost more than SQLite takes to run it, for queries whose shape
 * never changes. `build` gets a placeholder for each named value; the compiled query's
 * parameters that are placeholders are replaced by the values at each run, the others (constants
 * kysely chose to bind) are kept.
 */
export function precompiled<Name extends string, Row>(
  names: readonly Name[],
  build: (placeholders: Record<Name, string>) => Compilable<Row>,
): (values: Record<Name, unknown>) => CompiledQuery<Row> {
  const placeholders = Object.fromEntries(names.map((name) => [name, `\u0000placeholder:${name}`])) as Record<Name, string>;
  const compiled = build(placeholders).compile();
  const bound = compiled.parameters.map((parameter) => names.find((name) => placeholders[name] === parameter));
  for (const name of names) {
    if (!bound.includes(name)) throw new Error(`precompiled query: ${name} is not a parameter of ${compiled.sql}`);
  }
  return (values) => ({
    ...compiled,
    parameters: compiled.parameters.map((constant, index) => {
      const name = bound[index];
      return name === undefined ? constant : values[name];
    }),
  });
}
