/**
 * @module
 * Generated Kubernetes-style log lines for the benchmarks that need a realistic store
 * (bench/logstore.bench.ts, bench/ui.bench.ts): 70 % JSON application logs (level, message, HTTP
 * method/path/status/duration/bytes, trace id), 30 % plain text (klog-style controller lines),
 * each with Kubernetes metadata: 20 namespaces, 500 pods (25 per namespace), 40 nodes, container
 * and app labels. One line in 100 000 carries the rare token `kraken`. Deterministic: the same
 * arguments give the same lines.
 */

const NAMESPACES = [
  'default',
  'kube-system',
  'payments',
  'checkout',
  'search',
  'auth',
  'ingress-nginx',
  'monitoring',
  'logging',
  'cart',
  'catalog',
  'orders',
  'shipping',
  'users',
  'billing',
  'notifications',
  'recommendations',
  'media',
  'analytics',
  'batch',
];
const APPS = ['api', 'worker', 'web', 'db-proxy', 'cache'];
const PATHS = [
  '/api/v1/users',
  '/api/v1/orders',
  '/api/v1/cart/items',
  '/healthz',
  '/metrics',
  '/api/v2/search',
  '/login',
  '/api/v1/payments/charge',
];
const LEVELS = ['info', 'info', 'info', 'info', 'info', 'info', 'debug', 'debug', 'warn', 'error'];
const MSGS = [
  'request completed',
  'cache miss for key',
  'connection refused by upstream',
  'retrying request',
  'user session created',
  'slow query detected',
  'token refreshed',
];
const KLOG = [
  'Reconciling deployment',
  'Successfully synced',
  'Failed to pull image',
  'Starting container',
  'Liveness probe failed: connection refused',
  'Volume mounted',
];

/** klog's `MMDD` date of a time. */
function klogDate(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

/**
 * A generator of `n` documents whose times spread evenly over `spanMs` from `start`; call it
 * with 0 … n-1 in order (it draws from one seeded random stream).
 *
 * @example
 * const doc = logLines(1_000_000, Date.UTC(2026, 10, 29));
 * const first = doc(0);
 */
export function logLines(
  n: number,
  start: number,
  spanMs = 86_400_000,
): (i: number) => Record<string, unknown> {
  let seed = 42;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const hex = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rand() * 16)];
    return s;
  };

  const PODS = Array.from({ length: 500 }, (_, i) => {
    const ns = NAMESPACES[i % 20]!;
    const app = APPS[Math.floor(i / 20) % 5]!;
    return {
      ns,
      app,
      pod: `${app}-${hex(10)}-${hex(5)}`,
      node: `node-${i % 40}.cluster.local`,
      container: app,
    };
  });
  return function doc(i: number): Record<string, unknown> {
    const p = pick(PODS);
    const ms = start + Math.floor((i / n) * spanMs);
    const ts = new Date(ms)
      .toISOString()
      .replace('Z', `${String(Math.floor(rand() * 1e6)).padStart(6, '0')}Z`);
    const kubernetes = {
      namespace: p.ns,
      pod: p.pod,
      container: p.container,
      node: p.node,
      labels: { app: p.app },
    };
    const rare = i % 100_000 === 77 ? ' kraken' : '';
    if (rand() < 0.7) {
      const level = pick(LEVELS);
      return {
        '@timestamp': ts,
        stream: 'stdout',
        kubernetes,
        level,
        message: `${pick(MSGS)}${level === 'error' ? ' error' : ''}${rare}`,
        http: {
          method: rand() < 0.8 ? 'GET' : 'POST',
          path: pick(PATHS),
          status: rand() < 0.9 ? 200 : pick([404, 500, 503, 302]),
          duration_ms: Math.round(rand() * 500 * 100) / 100,
          bytes: Math.floor(rand() * 20000),
        },
        trace_id: hex(16),
      };
    }
    const what = pick(KLOG);
    return {
      '@timestamp': ts,
      stream: what.includes('Failed') ? 'stderr' : 'stdout',
      kubernetes,
      message: `I${klogDate(ms)} ${new Date(ms).toISOString().slice(11, 23)} ${1 + Math.floor(rand() * 9)} controller.go:${100 + Math.floor(rand() * 400)}] ${what} "${p.ns}/${p.pod}"${rare}`,
    };
  };
}
