// Regenerates golden-chunks.json from Debian's promtool (see README.md). Run by hand:
//   node src/metrics/tsdb/chunkenc/testdata/gen-golden.mjs
// Each case becomes one OpenMetrics file with one series inside one 2 h block, so the block's
// chunks/000001 holds only that series' chunks, in time order.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// 2023-11-14T22:00:00Z, a multiple of the 2 h block range.
const T0 = 1_699_999_200_000;

let seed = 42;
function rand() {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
}

function counter() {
  const s = [];
  let v = 0;
  for (let i = 0; i < 40; i++) {
    s.push([T0 + i * 15_000, String(v)]);
    v += Math.floor(rand() * 6);
  }
  return s;
}

function gauge() {
  const values = ['21.5', '21.75', '21.625', '0.1', '0.30000000000000004', '3.14159', '-2.5e-3'];
  const s = [];
  for (let i = 0; i < 30; i++) s.push([T0 + i * 10_000, values[i % values.length]]);
  return s;
}

function jitter() {
  const s = [];
  let v = 1000;
  for (let i = 0; i < 120; i++) {
    s.push([T0 + i * 15_000 + Math.floor(rand() * 9) - 4, String(v)]);
    v += Math.floor(rand() * 100);
  }
  return s;
}

function walk() {
  const s = [];
  let v = 50;
  for (let i = 0; i < 120; i++) {
    s.push([T0 + i * 15_000, String(v)]);
    v += rand() - 0.5;
  }
  return s;
}

function specials() {
  const values = [
    '0', '-0', 'NaN', '+Inf', '-Inf', '1.7976931348623157e+308', '-1.7976931348623157e+308',
    '5e-324', '2.2250738585072014e-308', '1', 'NaN', 'NaN', '42',
  ];
  return values.map((v, i) => [T0 + i * 30_000, v]);
}

function buckets() {
  const dods = [
    0, 8192, -8191, 8193, -8192, 65536, -65535, 65537, -65536, 524288, -524287, 524289, -524288,
    1, -1, 0, 3_000_000, -2_999_999,
  ];
  const s = [[T0, '1']];
  let t = T0;
  let delta = 1000;
  s.push([(t += delta), '2']);
  for (const [i, dod] of dods.entries()) s.push([(t += delta += dod), String(3 + i)]);
  return s;
}

const cases = { counter, gauge, jitter, walk, specials, buckets };

// promtool truncates seconds × 1000 to ms; half a ms above the target survives float rounding.
const seconds = (ms) => `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}5`;

const goFloat = (s) => (s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s));

function uvarint(buf, off) {
  let v = 0;
  for (let scale = 1; ; scale *= 128) {
    const b = buf[off++];
    v += (b & 0x7f) * scale;
    if (b < 0x80) return [v, off];
  }
}

function run(name, samples) {
  const dir = mkdtempSync(join(tmpdir(), `golden-${name}-`));
  try {
    const lines = samples.map(([t, v]) => `golden_${name} ${v} ${seconds(t)}`);
    writeFileSync(join(dir, 'in.om'), `# TYPE golden_${name} gauge\n${lines.join('\n')}\n# EOF\n`);
    execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', 'in.om', 'out'], {
      cwd: dir,
    });
    mkdirSync(join(dir, 'out', 'wal'));
    const dump = execFileSync('promtool', ['tsdb', 'dump', 'out'], { cwd: dir, encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => line.split(' ').slice(-2));
    for (const [i, [v, t]] of dump.entries()) {
      if (Number(t) !== samples[i][0] || !Object.is(goFloat(v), goFloat(samples[i][1]))) {
        throw new Error(`${name} sample ${i}: promtool read ${v} @${t}, we wrote ${samples[i]}`);
      }
      // Keep promtool's spelling of the value (Go's %g).
      samples[i][1] = v;
    }
    const [block] = readdirSync(join(dir, 'out')).filter((d) => /^[0-9A-Z]{26}$/.test(d));
    const file = readFileSync(join(dir, 'out', block, 'chunks', '000001'));
    if (file.readUInt32BE(0) !== 0x85bd40dd || file[4] !== 1) throw new Error('not a chunk file');
    const chunks = [];
    let off = 8;
    let first = 0;
    while (off < file.length) {
      const [len, start] = uvarint(file, off);
      if (file[start] !== 1) throw new Error(`${name}: encoding ${file[start]}, want XOR`);
      const data = file.subarray(start + 1, start + 1 + len);
      const n = data.readUInt16BE(0);
      chunks.push({
        name: `${name}#${chunks.length}`,
        samples: samples.slice(first, first + n),
        data: data.toString('hex'),
        crc32c: file.subarray(start + 1 + len, start + 5 + len).toString('hex'),
      });
      first += n;
      off = start + 5 + len;
    }
    if (first !== samples.length) throw new Error(`${name}: chunks hold ${first} samples`);
    return chunks;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const version = execFileSync('promtool', ['--version'], { encoding: 'utf8' }).split('\n')[0];
const chunks = Object.entries(cases).flatMap(([name, make]) => run(name, make()));
const out = join(dirname(fileURLToPath(import.meta.url)), 'golden-chunks.json');
// One sample per line keeps the file reviewable; JSON.stringify would give each number a line.
const entry = (c) =>
  [
    `    {`,
    `      "name": ${JSON.stringify(c.name)},`,
    `      "samples": [`,
    c.samples.map((s) => `        ${JSON.stringify(s)}`).join(',\n'),
    `      ],`,
    `      "data": "${c.data}",`,
    `      "crc32c": "${c.crc32c}"`,
    `    }`,
  ].join('\n');
const json = `{\n  "generator": ${JSON.stringify(version)},\n  "chunks": [\n${chunks.map(entry).join(',\n')}\n  ]\n}\n`;
JSON.parse(json);
writeFileSync(out, json);
console.log(`wrote ${chunks.length} chunks to ${out}`);
