/**
 * @module
 * A simulated node's container logs for end-to-end tests: pods under a /var/log/pods-like tree
 * (`<ns>_<pod>_<uid>/<container>/0.log`) written in the CRI format at a steady rate, with some
 * long lines split into `P` partials, and rotated as the kubelet rotates them: the live file is
 * renamed to `0.log.<YYYYMMDD-hhmmss>`, a new `0.log` begun, every rotated file but the newest
 * gzipped (and the original removed), and the oldest deleted beyond `keep` files.
 */

import {
  closeSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
  mkdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface PodLogOptions {
  root: string;
  pods: number;
  /** Lines per second, over all pods and both streams. */
  linesPerSecond: number;
  /** Size at which a pod's 0.log is rotated. */
  rotateBytes: number;
  /** Files kept per container, the live one included (kubelet's containerLogMaxFiles). */
  keep: number;
}

/** One pod of the simulated node. */
export interface SimPod {
  namespace: string;
  name: string;
  uid: string;
  container: string;
  dir: string;
  /** Lines written per stream: the next sequence number. */
  written: { stdout: number; stderr: number };
}

const STREAMS = ['stdout', 'stderr'] as const;

export class PodLogWriter {
  readonly pods: SimPod[];
  readonly #o: PodLogOptions;
  readonly #fds = new Map<SimPod, { fd: number; size: number }>();
  #timer: NodeJS.Timeout | null = null;
  #lastNs = 0n;
  #started = 0;
  #total = 0;
  rotations = 0;

  constructor(options: PodLogOptions) {
    this.#o = options;
    this.pods = Array.from({ length: options.pods }, (_, i) => {
      const name = `web-${String(i).padStart(2, '0')}`;
      const namespace = i % 2 === 0 ? 'shop' : 'billing';
      const uid = `0000${i}-1111-2222-3333-${String(i).padStart(12, '0')}`;
      const dir = join(options.root, `${namespace}_${name}_${uid}`, 'app');
      mkdirSync(dir, { recursive: true });
      return { namespace, name, uid, container: 'app', dir, written: { stdout: 0, stderr: 0 } };
    });
    for (const p of this.pods)
      this.#fds.set(p, { fd: openSync(join(p.dir, '0.log'), 'a'), size: 0 });
  }

  /** Lines written so far, over all pods and streams. */
  get total(): number {
    return this.#total;
  }

  start(): void {
    this.#started = Date.now();
    this.#timer = setInterval(() => this.#tick(), 20);
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    for (const { fd } of this.#fds.values()) closeSync(fd);
    this.#fds.clear();
  }

  #tick(): void {
    const due = Math.floor(((Date.now() - this.#started) * this.#o.linesPerSecond) / 1000);
    let n = due - this.#total;
    // Round-robin over pods and streams so every stream advances at the same pace.
    let i = this.#total;
    while (n-- > 0) {
      const pod = this.pods[Math.floor(i / 2) % this.pods.length]!;
      const stream = STREAMS[i % 2]!;
      this.#writeLine(pod, stream);
      i++;
      this.#total++;
    }
  }

  #writeLine(pod: SimPod, stream: 'stdout' | 'stderr'): void {
    const seq = pod.written[stream]++;
    const message = `line ${pod.name} ${stream} ${String(seq).padStart(7, '0')} ${'x'.repeat(20 + (seq % 30))}`;
    let text: string;
    // Every 25th line is split into two CRI partials, as a runtime splits a long line.
    if (seq % 25 === 7) {
      const cut = 20;
      text = `${this.#ts()} ${stream} P ${message.slice(0, cut)}\n${this.#ts()} ${stream} F ${message.slice(cut)}\n`;
    } else {
      text = `${this.#ts()} ${stream} F ${message}\n`;
    }
    const f = this.#fds.get(pod)!;
    const bytes = Buffer.from(text);
    writeSync(f.fd, bytes);
    f.size += bytes.length;
    if (f.size >= this.#o.rotateBytes) this.#rotate(pod);
  }

  /** A strictly increasing RFC 3339 time with nanoseconds, so per-stream order is in the times. */
  #ts(): string {
    let ns = BigInt(Date.now()) * 1_000_000n;
    if (ns <= this.#lastNs) ns = this.#lastNs + 1n;
    this.#lastNs = ns;
    const ms = Number(ns / 1_000_000n);
    const iso = new Date(ms).toISOString(); // 2024-05-06T07:08:09.123Z
    return `${iso.slice(0, 23)}${String(ns % 1_000_000n).padStart(6, '0')}Z`;
  }

  #rotate(pod: SimPod): void {
    const f = this.#fds.get(pod)!;
    closeSync(f.fd);
    rotateContainerLog(pod.dir, this.#o.keep);
    this.#fds.set(pod, { fd: openSync(join(pod.dir, '0.log'), 'a'), size: 0 });
    this.rotations++;
  }
}

/**
 * Rotates `<dir>/0.log` as the kubelet does: renamed to `0.log.<YYYYMMDD-hhmmss>`, every rotated
 * file but the newest gzipped (and the original removed), the oldest deleted beyond `keep`
 * files (the live one included). The caller begins the new `0.log`.
 *
 * @example
 * rotateContainerLog('/var/log/pods/shop_web-0_uid/app', 5);
 */
export function rotateContainerLog(dir: string, keep: number): void {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  let name = `0.log.${stamp}`;
  // Two rotations within a second would collide; the kubelet then waits, we add a suffix.
  for (let k = 1; readdirSync(dir).includes(name); k++) name = `0.log.${stamp}${k}`;
  renameSync(join(dir, '0.log'), join(dir, name));
  const rotated = readdirSync(dir)
    .filter((n) => n.startsWith('0.log.'))
    .sort();
  for (const old of rotated) {
    if (old === name || old.endsWith('.gz')) continue;
    const path = join(dir, old);
    writeFileSync(`${path}.gz`, gzipSync(readFileSync(path)));
    unlinkSync(path);
  }
  const all = readdirSync(dir)
    .filter((n) => n.startsWith('0.log.'))
    .sort();
  while (all.length > keep - 1) unlinkSync(join(dir, all.shift()!));
}
