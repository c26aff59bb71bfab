// What every scenario measures, the same way for every peer.

/** p50/p95/p99 (nearest rank) and mean of latencies in ms, rounded to 0.1 ms. */
export function latencyStats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const round = (ms) => Math.round(ms * 10) / 10;
  return {
    n: sorted.length,
    p50_ms: round(at(0.5)),
    p95_ms: round(at(0.95)),
    p99_ms: round(at(0.99)),
    mean_ms: round(sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length),
  };
}

/** B1: `count` sequential submit→result round trips of `once()`, after `warmup` untimed ones. */
export async function sequentialLatency(once, count, warmup = 5) {
  for (let i = 0; i < warmup; i++) await once(i);
  const samples = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await once(i);
    samples.push(performance.now() - started);
  }
  return latencyStats(samples);
}

/** Runs `fn(item, index)` over `items` with at most `concurrency` at once; results in order. */
export async function pool(items, concurrency, fn) {
  const results = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}

/** Wall time of `fn()` in seconds (to the ms: a BullMQ flow can take 10 ms), with its value. */
export async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { seconds: Math.round(performance.now() - started) / 1000, value };
}

/** B2: `count` tasks submitted (`concurrency` submissions in flight), then every result awaited. */
export async function throughput({ count, concurrency, submit, result }) {
  const { seconds } = await timed(async () => {
    const handles = await pool(Array.from({ length: count }, (_, i) => i), concurrency, submit);
    await pool(handles, concurrency, result);
  });
  return { n: count, seconds, tasks_per_s: Math.round(count / seconds) };
}

/** The sum `xsum` must give over `add(i, i)` for i < n. */
export const expectedSum = (n) => n * (n - 1);
