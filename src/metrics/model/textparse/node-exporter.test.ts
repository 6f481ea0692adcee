/**
 * Conformance on real bodies: Debian's node_exporter is started on a free port and its /metrics
 * fetched with the text and the OpenMetrics Accept headers. Every sample line must come out as a
 * series with a label set. The text body is then written back as OpenMetrics and read again,
 * and, where promtool is installed, Prometheus' own OpenMetrics parser must import exactly as many
 * samples from it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser, type MetricType } from './parser.js';

const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
const PROMTOOL = '/usr/bin/promtool';
const skip =
  !existsSync(NODE_EXPORTER) && !process.env.CI ? 'prometheus-node-exporter not installed' : false;

const ACCEPT = {
  text: 'text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
  openmetrics: 'application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5',
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function scrape(url: string, accept: string): Promise<{ body: Buffer; type: string }> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(url, { headers: { Accept: accept } });
      assert.equal(res.status, 200);
      return {
        body: Buffer.from(await res.arrayBuffer()),
        type: res.headers.get('content-type') ?? '',
      };
    } catch (err) {
      if (attempt >= 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Lines that are neither blank nor comments: one sample each in both formats. */
function sampleLines(body: Buffer): number {
  return body
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#')).length;
}

interface Sample {
  name: string;
  labels: [string, string][];
  value: number;
}

function readAll(
  body: Buffer,
  contentType: string,
): { samples: Sample[]; types: Map<string, MetricType>; help: Map<string, string> } {
  const p = createParser(body, contentType);
  const samples: Sample[] = [];
  const types = new Map<string, MetricType>();
  const help = new Map<string, string>();
  for (let kind = p.next(); kind !== null; kind = p.next()) {
    if (kind === 'series') {
      const labels = p.labels().pairs();
      const name = labels.find(([n]) => n === '__name__')![1];
      samples.push({ name, labels: labels.filter(([n]) => n !== '__name__'), value: p.value() });
    } else if (kind === 'type') {
      types.set(...p.type());
    } else if (kind === 'help') {
      help.set(...p.help());
    }
  }
  return { samples, types, help };
}

const escape = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const num = (v: number) =>
  Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);

/** The samples as OpenMetrics, each with `timestamp` (seconds) when given. */
function toOpenMetrics(all: ReturnType<typeof readAll>, timestamp?: number): string {
  const lines: string[] = [];
  let family = '';
  for (const s of all.samples) {
    const type = [...all.types].find(([n]) => s.name === n || s.name.startsWith(`${n}_`));
    let name = s.name;
    let fam = type?.[0] ?? s.name;
    if (type?.[1] === 'counter') {
      fam = fam.replace(/_total$/, '');
      name = `${fam}_total`;
    }
    if (fam !== family) {
      family = fam;
      lines.push(`# TYPE ${fam} ${type?.[1] ?? 'unknown'}`);
      const h = type && all.help.get(type[0]);
      if (h) lines.push(`# HELP ${fam} ${escape(h)}`);
    }
    const labels = s.labels.map(([n, v]) => `${n}="${escape(v)}"`).join(',');
    lines.push(
      `${name}${labels ? `{${labels}}` : ''} ${num(s.value)}${timestamp === undefined ? '' : ` ${timestamp}`}`,
    );
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

test('node_exporter bodies parse whole in both formats', { skip }, async (t) => {
  const port = await freePort();
  const child = spawn(NODE_EXPORTER, [`--web.listen-address=127.0.0.1:${port}`], {
    stdio: 'ignore',
  });
  t.after(() => child.kill());
  const url = `http://127.0.0.1:${port}/metrics`;

  for (const [format, accept] of Object.entries(ACCEPT)) {
    const { body, type } = await scrape(url, accept);
    const all = readAll(body, type);
    assert.ok(all.samples.length > 100, `${format}: only ${all.samples.length} samples`);
    assert.equal(all.samples.length, sampleLines(body), format);
    assert.ok(all.types.size > 50, format);

    const om = toOpenMetrics(all);
    const again = readAll(Buffer.from(om), 'application/openmetrics-text; version=1.0.0');
    assert.equal(again.samples.length, all.samples.length, `${format} as OpenMetrics`);
    for (let i = 0; i < all.samples.length; i++) {
      assert.deepEqual(again.samples[i]!.labels, all.samples[i]!.labels);
      assert.ok(Object.is(again.samples[i]!.value, all.samples[i]!.value));
    }

    if (!existsSync(PROMTOOL)) continue;
    const dir = mkdtempSync(join(tmpdir(), 'vigil-textparse-'));
    try {
      writeFileSync(join(dir, 'in.om'), toOpenMetrics(all, 1_700_000_000));
      const out = execFileSync(
        PROMTOOL,
        ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'in.om'), join(dir, 'blocks')],
        { encoding: 'utf8' },
      );
      // BLOCK ULID, MIN TIME, MAX TIME, DURATION, NUM SAMPLES, ...
      const imported = out
        .trim()
        .split('\n')
        .slice(1)
        .reduce((sum, line) => sum + Number(line.trim().split(/\s+/)[4]), 0);
      assert.equal(imported, all.samples.length, `${format}: promtool imported ${imported}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
