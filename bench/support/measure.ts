/** Latency and throughput of `op` run `total` times by `concurrency` parallel callers. */
export interface Measurement {
  concurrency: number;
  count: number;
  p50: number;
  p99: number;
  mean: number;
  /** operations per second */
  throughput: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export async function measure(op: (i: number) => Promise<unknown>, opts: { total: number; concurrency: number; warmup?: number }): Promise<Measurement> {
  for (let i = 0; i < (opts.warmup ?? Math.min(20, opts.total)); i++) await op(i);
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < opts.total) {
        const i = next++;
        const t0 = performance.now();
        await op(i);
        times.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    concurrency: opts.concurrency,
    count: times.length,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    throughput: times.length / elapsed,
  };
}

export const ms = (v: number) => `${v.toFixed(2)} ms`;

/** A markdown table row per measurement. */
export function table(rows: Array<{ name: string } & Record<string, string | number>>): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]!);
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(cols), line(cols.map(() => '---')), ...rows.map((r) => line(cols.map((c) => r[c] ?? '')))].join('\n');
}
