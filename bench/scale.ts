/** BENCH_SCALE (default 1) shrinks every workload of the bench proportionally. */
export function benchScale(): number {
  const raw = process.env.BENCH_SCALE ?? '1';
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 100) throw new Error(`BENCH_SCALE must be a number in (0, 100], got ${JSON.stringify(raw)}`);
  return scale;
}

/** A workload of `full` units at scale 1, scaled, never below `floor`. */
export const scaled = (full: number, scale: number, floor = 1) => Math.max(floor, Math.round(full * scale));
