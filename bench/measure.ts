/** Small helpers shared by the benchmarks: medians and peak-memory sampling. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs fn while sampling RSS every 10 ms; returns its result, wall time and peak RSS growth. */
export async function measure<T>(fn: () => Promise<T> | T): Promise<{ result: T; ms: number; peakRssMb: number; peakHeapMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);
  const started = performance.now();
  try {
    const result = await fn();
    const ms = performance.now() - started;
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    return { result, ms, peakRssMb: peakRss / 2 ** 20, peakHeapMb: peakHeap / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

/** B-cubed precision, recall and F1 of predicted clusters against gold labels. */
export function bcubed(predicted: ReadonlyMap<string, string>, gold: ReadonlyMap<string, string>): { p: number; r: number; f1: number } {
  const byPred = new Map<string, string[]>();
  const byGold = new Map<string, string[]>();
  for (const [id, c] of predicted) byPred.set(c, [...(byPred.get(c) ?? []), id]);
  for (const [id, c] of gold) byGold.set(c, [...(byGold.get(c) ?? []), id]);
  let p = 0;
  let r = 0;
  let n = 0;
  for (const [id, goldLabel] of gold) {
    const predLabel = predicted.get(id);
    if (predLabel === undefined) continue;
    const sameP = byPred.get(predLabel)!;
    const sameG = byGold.get(goldLabel)!;
    const both = sameP.filter((x) => gold.get(x) === goldLabel).length;
    p += both / sameP.length;
    r += both / sameG.length;
    n += 1;
  }
  p /= n;
  r /= n;
  return { p, r, f1: (2 * p * r) / (p + r) };
}
