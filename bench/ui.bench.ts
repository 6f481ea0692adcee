/**
 * Web UI benchmark: how long the Logs (Discover) page takes to show a query's first rows and its
 * histogram over 1 M lines in 24 h, in headless Chromium against a real built `vigil server`, next
 * to the same requests' API-only times from Node; and the first load of each page.
 *
 *   npm run build && node --import tsx bench/ui.bench.ts [lines=1000000] [reps=5]
 *
 * Lines come from bench/log-lines.ts (Kubernetes-style JSON and klog lines), spread evenly over
 * the 24 h before ingest, sent through `POST /api/v1/logs/ingest` 5 000 per request with 4
 * requests in flight. With `UIBENCH_DIR=path` the data directory is kept there (with a
 * `ui-bench.json` naming the line count and time span), and a later run with the same line count
 * skips ingest; the queries then cover the span of that ingest, not the last 24 h.
 *
 * Browser figures are taken inside the page (performance.now(), from navigation start): the
 * first frame in which result rows are in the DOM, and the first frame with the hit count and the
 * histogram's canvas. Each repetition is a fresh navigation of a page whose scripts are cached,
 * as when a user opens a link to a search; the page's own `search` and `aggregate` requests are
 * read from Resource Timing, so the time splits into scripts (navigation → the last script in),
 * boot (navigation → request sent), API
 * (request as the browser sees it) and render (response → frame). The API-only figures replay the
 * very request bodies the page sent, from Node, one at a time.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM } from '../test/harness/browser.js';
import { startVigil, VIGIL_BIN, type VigilServer } from '../test/harness/vigil.js';
import { logLines } from './log-lines.js';

const N = Number(process.argv[2] ?? 1_000_000);
const REPS = Number(process.argv[3] ?? 5);
const INDEX = 'logs-k8s';
const BATCH = 5000;
const IN_FLIGHT = 4;
const DAY_MS = 86_400_000;
const TARGET_MS = 1000;

const QUERIES: { name: string; q: string }[] = [
  { name: 'empty query', q: '' },
  { name: 'common: level:error', q: 'level:error' },
  { name: 'rare term: kraken', q: 'kraken' },
  { name: 'field: kubernetes.namespace:payments', q: 'kubernetes.namespace:payments' },
  { name: 'phrase: "connection refused"', q: '"connection refused"' },
];
const PAGES = ['/logs', '/graph', '/targets', '/alerts', '/status'];

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

interface Span {
  n: number;
  from: number;
  to: number;
}

// The harness's servers clean up through a test context's `after`; here, at the end of the run.
const cleanups: (() => void)[] = [];
const ctx = { after: (fn: () => void) => void cleanups.push(fn) } as never;

const loads: number[] = [];
const loadTimer = setInterval(() => loads.push(loadavg()[0]!), 5000);
loads.push(loadavg()[0]!);

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const median = (xs: number[]) => quantile(xs, 0.5);
const max = (xs: number[]) => Math.max(...xs);
const ms = (x: number) => `${Math.round(x)}`;

async function ingest(vigil: VigilServer): Promise<Span> {
  const to = Date.now();
  const from = to - DAY_MS;
  const doc = logLines(N, from, DAY_MS);
  const t0 = performance.now();
  let next = 0;
  let bytes = 0;
  // Lines are generated in order (the generator draws from one stream), a batch at a time as a
  // sender asks for it.
  const writer = async () => {
    while (next < N) {
      const start = next;
      const end = Math.min(N, start + BATCH);
      next = end;
      let body = '';
      for (let i = start; i < end; i++) body += `${JSON.stringify(doc(i))}\n`;
      bytes += Buffer.byteLength(body);
      for (;;) {
        const res = await fetch(`${vigil.url}/api/v1/logs/ingest?index=${INDEX}`, {
          method: 'POST',
          body,
        });
        const text = await res.text();
        if (res.status === 429) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        if (res.status !== 200)
          throw new Error(`ingest of lines ${start}…${end}: ${res.status} ${text}`);
        const out = JSON.parse(text) as { data: { created: number; rejected: unknown[] } };
        if (out.data.rejected.length > 0) {
          throw new Error(
            `ingest rejected lines: ${JSON.stringify(out.data.rejected.slice(0, 3))}`,
          );
        }
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, writer));
  const acked = performance.now();
  for (;;) {
    const total = await countAll(vigil, from, to + 1000);
    if (total === N) break;
    if (performance.now() - acked > 120_000) {
      throw new Error(`only ${total} of ${N} lines searchable 2 min after ingest`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const searchable = performance.now();
  console.log(
    `ingest: ${N} lines, ${(bytes / 2 ** 20).toFixed(1)} MiB of NDJSON, acknowledged in ${((acked - t0) / 1000).toFixed(1)} s ` +
      `(${Math.round(N / ((acked - t0) / 1000))} lines/s), all searchable ${((searchable - acked) / 1000).toFixed(1)} s later`,
  );
  return { n: N, from, to };
}

async function countAll(vigil: VigilServer, from: number, to: number): Promise<number> {
  const res = await fetch(
    `${vigil.url}/api/v1/logs/search?index=${INDEX}&start=${from}&end=${to}&limit=0&track_total=${Number.MAX_SAFE_INTEGER}`,
  );
  const out = (await res.json()) as { data: { total: { value: number } } };
  return out.data.total.value;
}

/** CPU seconds the process has used (Linux `/proc/<pid>/stat`: utime + stime in clock ticks). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/**
 * Waits until the server has used under 5 % of a core for 3 s in a row: after ingest the store
 * goes on merging segments in its worker thread for a while, and queries measured meanwhile
 * measure the merges (the rare term took 4 s in the browser during them, 0.1 s after).
 */
async function waitIdle(vigil: VigilServer): Promise<void> {
  const pid = vigil.child.pid!;
  const t0 = performance.now();
  let quiet = 0;
  let last = cpuSeconds(pid);
  while (quiet < 3) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuSeconds(pid);
    quiet = now - last < 0.05 ? quiet + 1 : 0;
    last = now;
    if (performance.now() - t0 > 600_000) throw new Error('the server stayed busy for 10 min');
  }
  console.log(`server idle (merges done) ${((performance.now() - t0) / 1000).toFixed(1)} s later`);
}

/** In-page probes: the first frame with rows, and with the hit count and the histogram drawn. */
const PROBE = `(() => {
  const marks = (window.__uiBench = {});
  const seen = (key, sel) => {
    if (marks[key] !== undefined || marks['pending_' + key] || !sel()) return;
    marks['pending_' + key] = true;
    requestAnimationFrame(() => (marks[key] = performance.now()));
  };
  const check = () => {
    seen('rows', () => document.querySelector('[data-testid=result-row]'));
    seen('hist', () => document.querySelector('[data-testid=hit-count]') && document.querySelector('[data-testid=histogram] canvas'));
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
})();`;

interface Marks {
  rows?: number;
  hist?: number;
  search?: { start: number; end: number };
  agg?: { start: number; end: number };
  /** when the last script had arrived */
  scripts: number;
}

// Page scripts are strings, not functions: tsx would wrap the function's inner arrows in a
// `__name` helper that does not exist in the page.
const READ_MARKS = `(() => {
  const res = performance.getEntriesByType('resource');
  const pick = (part) => {
    const e = res.find((r) => r.name.includes(part));
    return e === undefined ? undefined : { start: e.startTime, end: e.responseEnd };
  };
  return {
    rows: window.__uiBench.rows,
    hist: window.__uiBench.hist,
    search: pick('/api/v1/logs/search'),
    agg: pick('/api/v1/logs/aggregate'),
    scripts: Math.max(0, ...res.filter((r) => r.name.endsWith('.js')).map((r) => r.responseEnd)),
  };
})()`;

async function readMarks(page: Page): Promise<Marks> {
  return (await page.evaluate(READ_MARKS)) as Marks;
}

interface Captured {
  url: string;
  body: string;
}

interface QueryFigures {
  name: string;
  hits: string;
  rows: number[];
  hist: number[];
  scripts: number[];
  boot: number[];
  searchBrowser: number[];
  aggBrowser: number[];
  rowsRender: number[];
  histRender: number[];
  apiSearch: number[];
  apiAgg: number[];
}

async function benchQuery(
  browser: Browser,
  vigil: VigilServer,
  span: Span,
  query: { name: string; q: string },
): Promise<QueryFigures> {
  // The page's marks are polled with string predicates, which the UI's Content-Security-Policy
  // (no eval) would refuse; the policy is not what this measures.
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    bypassCSP: true,
  });
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  const params = new URLSearchParams({ from: String(span.from), to: String(span.to + 1000) });
  if (query.q !== '') params.set('q', query.q);
  const url = `${vigil.url}/logs?${params}`;
  const captured: { search?: Captured; agg?: Captured } = {};
  page.on('request', (r) => {
    const body = r.postData() ?? '';
    if (r.url().includes('/api/v1/logs/search')) captured.search ??= { url: r.url(), body };
    // The histogram's request, not a value completion's (which aggregates `terms`).
    if (r.url().includes('/api/v1/logs/aggregate') && body.includes('date_histogram')) {
      captured.agg ??= { url: r.url(), body };
    }
  });
  const f: QueryFigures = {
    name: query.name,
    hits: '',
    rows: [],
    hist: [],
    scripts: [],
    boot: [],
    searchBrowser: [],
    aggBrowser: [],
    rowsRender: [],
    histRender: [],
    apiSearch: [],
    apiAgg: [],
  };
  // One navigation to warm the HTTP cache (scripts, styles) and the server, not counted.
  for (let rep = -1; rep < REPS; rep++) {
    await page.goto(url);
    await page.waitForFunction(
      'window.__uiBench.rows !== undefined && window.__uiBench.hist !== undefined',
      undefined,
      { timeout: 120_000, polling: 50 },
    );
    const m = await readMarks(page);
    if (rep < 0) {
      f.hits = (await page.getByTestId('hit-count').textContent()) ?? '';
      continue;
    }
    f.rows.push(m.rows!);
    f.hist.push(m.hist!);
    if (m.search !== undefined && m.agg !== undefined) {
      f.scripts.push(m.scripts);
      f.boot.push(Math.min(m.search.start, m.agg.start));
      f.searchBrowser.push(m.search.end - m.search.start);
      f.aggBrowser.push(m.agg.end - m.agg.start);
      f.rowsRender.push(m.rows! - m.search.end);
      f.histRender.push(m.hist! - m.agg.end);
    }
  }
  await context.close();
  if (captured.search === undefined || captured.agg === undefined) {
    throw new Error(`${query.name}: the page sent no search or no histogram request`);
  }
  const replay = async (c: Captured) => {
    const t = performance.now();
    const res = await fetch(c.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: c.body,
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${c.url}: ${res.status}`);
    return performance.now() - t;
  };
  for (let rep = 0; rep < REPS; rep++) {
    f.apiSearch.push(await replay(captured.search));
    f.apiAgg.push(await replay(captured.agg));
  }
  return f;
}

const PAGE_TIMES = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  return {
    dcl: nav.domContentLoadedEventEnd,
    load: nav.loadEventEnd,
    settled: Math.max(nav.loadEventEnd, ...res.map((r) => r.responseEnd)),
    requests: res.length + 1,
  };
})()`;

interface PageLoad {
  path: string;
  dcl: number[];
  load: number[];
  settled: number[];
  requests: number;
}

/**
 * First load of a page in a fresh context (empty cache): DOMContentLoaded, load, and the end of
 * the last request the page made before the network went quiet (its data is in by then).
 */
async function benchPage(browser: Browser, vigil: VigilServer, path: string): Promise<PageLoad> {
  const p: PageLoad = { path, dcl: [], load: [], settled: [], requests: 0 };
  for (let rep = 0; rep < REPS; rep++) {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    await page.goto(`${vigil.url}${path}`, { waitUntil: 'networkidle', timeout: 120_000 });
    const t = (await page.evaluate(PAGE_TIMES)) as {
      dcl: number;
      load: number;
      settled: number;
      requests: number;
    };
    p.dcl.push(t.dcl);
    p.load.push(t.load);
    p.settled.push(t.settled);
    p.requests = t.requests;
    await context.close();
  }
  return p;
}

function table(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
}

const mm = (xs: number[]) => (xs.length === 0 ? '—' : `${ms(median(xs))} / ${ms(max(xs))}`);

async function main(): Promise<void> {
  if (!existsSync(VIGIL_BIN)) throw new Error(`${VIGIL_BIN} is missing: run npm run build`);
  const keep = process.env.UIBENCH_DIR;
  const dataDir = keep ?? mkdtempSync(join(tmpdir(), 'vigil-uibench-'));
  if (keep === undefined) cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  else mkdirSync(keep, { recursive: true });
  const marker = join(dataDir, 'ui-bench.json');
  const span = existsSync(marker) ? (JSON.parse(readFileSync(marker, 'utf8')) as Span) : undefined;
  if (span !== undefined && span.n !== N) {
    throw new Error(`${dataDir} holds ${span.n} lines, not ${N}: remove it or pass ${span.n}`);
  }
  const vigil = await startVigil(ctx, { dataDir, timeoutMs: 120_000 });
  try {
    await measure(vigil, dataDir, marker, span);
  } finally {
    // SIGTERM and wait, so a kept store closes cleanly before the next run opens it.
    await vigil.stop();
  }
}

async function measure(
  vigil: VigilServer,
  dataDir: string,
  marker: string,
  span: Span | undefined,
): Promise<void> {
  if (span === undefined) {
    span = await ingest(vigil);
    writeFileSync(marker, JSON.stringify(span));
  } else {
    const total = await countAll(vigil, span.from, span.to + 1000);
    if (total !== N) throw new Error(`${dataDir} answers ${total} lines, not ${N}`);
    console.log(`searching the ${N} lines kept in ${dataDir}`);
  }

  await waitIdle(vigil);

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    console.log(
      `\nDiscover over ${N} lines, ${new Date(span.from).toISOString()} … ${new Date(span.to).toISOString()}, ${REPS} reps (median / max, ms)`,
    );
    const figures: QueryFigures[] = [];
    for (const q of QUERIES) figures.push(await benchQuery(browser, vigil, span, q));
    table(
      ['query', 'hits', 'rows on screen', 'histogram + count', `target`],
      figures.map((f) => [
        f.name,
        f.hits,
        mm(f.rows),
        mm(f.hist),
        max([median(f.rows), median(f.hist)]) <= TARGET_MS ? '≤ 1 000 met' : 'missed',
      ]),
    );
    console.log(
      '\nwhere the time goes (median / max, ms; scripts = navigation → last script in, boot = navigation → first request sent)',
    );
    table(
      [
        'query',
        'scripts',
        'boot',
        'search (browser)',
        'search (API, Node)',
        'rows render',
        'histogram (browser)',
        'histogram (API, Node)',
        'histogram render',
      ],
      figures.map((f) => [
        f.name,
        mm(f.scripts),
        mm(f.boot),
        mm(f.searchBrowser),
        mm(f.apiSearch),
        mm(f.rowsRender),
        mm(f.aggBrowser),
        mm(f.apiAgg),
        mm(f.histRender),
      ]),
    );

    console.log(`\nfirst load, empty cache, ${REPS} reps (median / max, ms from navigation start)`);
    const pages: PageLoad[] = [];
    for (const path of PAGES) pages.push(await benchPage(browser, vigil, path));
    table(
      ['page', 'requests', 'DOMContentLoaded', 'load', 'network quiet (data in)'],
      pages.map((p) => [p.path, String(p.requests), mm(p.dcl), mm(p.load), mm(p.settled)]),
    );
  } finally {
    await browser.close();
  }
  console.log(
    `\n${cpus().length} CPUs, ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ` +
      `load average (1 min) during the run ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
  );
}

try {
  await main();
} finally {
  clearInterval(loadTimer);
  for (const fn of cleanups.reverse()) fn();
}
