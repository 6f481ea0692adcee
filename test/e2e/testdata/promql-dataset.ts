/**
 * @module
 * A deterministic OpenMetrics text for comparing Vigil's PromQL engine with Prometheus: counters
 * with resets, gauges with negative and fractional values, and a classic histogram, six hours
 * long, with gaps, a series that starts late and one that ends early. Every sample sits on a
 * whole multiple of its scrape interval from {@link START}, so evaluation times with a fractional
 * offset never coincide with a sample.
 */

/** First sample, in seconds; a multiple of 2 h so promtool's blocks start on it. */
export const START = 1_700_006_400;
/** Length of the data, in seconds. */
export const DURATION = 6 * 3600;
/** Counters are scraped every 15 s, everything else every 30 s. */
export const COUNTER_INTERVAL = 15;
export const GAUGE_INTERVAL = 30;

const JOBS = ['api', 'worker'];
const INSTANCES = ['10.0.0.1:9100', '10.0.0.2:9100', '10.0.0.3:9100', '10.0.0.4:9100'];
const METHODS = ['GET', 'POST', 'PUT'];
const CODES = ['200', '404', '500', '503'];
const BUCKETS = ['0.05', '0.1', '0.5', '1.0', '2.5', '+Inf'];

/** Mulberry32: small, fast and identical on every run, unlike Math.random. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether series number `n` has a sample at offset `s` seconds: gaps, a late start, an early end. */
function present(n: number, s: number): boolean {
  if (n === 1 && s < 3600) return false; // starts late
  if (n === 2 && s > 4 * 3600) return false; // ends early
  if (n % 7 === 3 && s >= 7200 + 600 * (n % 5) && s < 9000 + 600 * (n % 5)) return false;
  if (n % 11 === 5 && s >= 13_000 && s < 13_600) return false;
  return true;
}

/** Fixed-precision text keeps the file small and the values exact across parsers. */
const num = (v: number) => String(Math.round(v * 1000) / 1000);

function counters(out: string[], rand: () => number): void {
  out.push('# TYPE http_requests counter', '# HELP http_requests Requests served.');
  let n = 0;
  for (const job of JOBS)
    for (const instance of INSTANCES)
      for (const method of METHODS)
        for (const code of CODES) {
          const id = n++;
          const rate = (code === '200' ? 5 : 0.3) * (1 + rand() * 3);
          const labels = `{job="${job}",instance="${instance}",method="${method}",code="${code}"}`;
          let v = Math.floor(rand() * 1000);
          for (let s = 0; s < DURATION; s += COUNTER_INTERVAL) {
            // A restart every few hours on some series resets the counter.
            if (id % 5 === 0 && s > 0 && s % (3600 * (2 + (id % 3))) === 0) v = 0;
            v += Math.floor(rand() * rate * COUNTER_INTERVAL);
            if (present(id, s)) out.push(`http_requests_total${labels} ${v} ${START + s}`);
          }
        }
}

function gauges(out: string[], rand: () => number): void {
  out.push('# TYPE node_memory_free_bytes gauge', '# HELP node_memory_free_bytes Free memory.');
  let n = 0;
  for (const job of JOBS)
    for (const instance of INSTANCES) {
      const id = n++;
      let v = 2e9 + rand() * 6e9;
      for (let s = 0; s < DURATION; s += GAUGE_INTERVAL) {
        v = Math.max(1e8, v + (rand() - 0.5) * 5e7);
        if (present(id, s))
          out.push(
            `node_memory_free_bytes{job="${job}",instance="${instance}"} ${Math.round(v)} ${START + s}`,
          );
      }
    }
  out.push('# TYPE temperature_celsius gauge', '# HELP temperature_celsius Sensor temperature.');
  n = 0;
  for (const zone of ['north', 'south', 'east', 'west'])
    for (const sensor of ['a', 'b']) {
      const id = n++;
      let v = -10 + rand() * 35;
      for (let s = 0; s < DURATION; s += GAUGE_INTERVAL) {
        v += (rand() - 0.5) * 0.8;
        if (present(id, s))
          out.push(`temperature_celsius{zone="${zone}",sensor="${sensor}"} ${num(v)} ${START + s}`);
      }
    }
}

function histogram(out: string[], rand: () => number): void {
  const name = 'http_request_duration_seconds';
  out.push(`# TYPE ${name} histogram`, `# HELP ${name} Request latency.`);
  const state = JOBS.flatMap((job) =>
    INSTANCES.map((instance) => ({
      job,
      instance,
      counts: BUCKETS.map(() => 0),
      sum: 0,
      speed: 0.5 + rand(),
    })),
  );
  // Time outermost: each histogram point (buckets, count, sum at one time) stays together.
  for (let s = 0; s < DURATION; s += GAUGE_INTERVAL) {
    state.forEach((h, id) => {
      const requests = Math.floor(rand() * 40);
      for (let r = 0; r < requests; r++) {
        const latency = -Math.log(1 - rand()) * 0.4 * h.speed;
        h.sum += latency;
        BUCKETS.forEach((le, i) => {
          if (le === '+Inf' || latency <= Number(le)) h.counts[i]!++;
        });
      }
      if (!present(id, s)) return;
      const base = `job="${h.job}",instance="${h.instance}"`;
      BUCKETS.forEach((le, i) =>
        out.push(`${name}_bucket{${base},le="${le}"} ${h.counts[i]} ${START + s}`),
      );
      out.push(`${name}_count{${base}} ${h.counts[BUCKETS.length - 1]} ${START + s}`);
      out.push(`${name}_sum{${base}} ${num(h.sum)} ${START + s}`);
    });
  }
}

/**
 * The whole dataset as OpenMetrics text, ending with `# EOF`.
 *
 * @example
 * writeFileSync(join(dir, 'data.om'), promqlDataset());
 */
export function promqlDataset(seed = 42): string {
  const rand = prng(seed);
  const out: string[] = [];
  counters(out, rand);
  gauges(out, rand);
  histogram(out, rand);
  out.push('# EOF');
  return out.join('\n') + '\n';
}
