/**
 * @module
 * Field types shared by every configuration section: durations and sizes in Prometheus
 * notation, and listen addresses. Each rejects bad input with a message that quotes it.
 */

import { z } from 'zod';
import { formatDuration, parseDuration } from '../lib/units/duration.js';
import { formatSize, parseSize } from '../lib/units/size.js';
import { formatListenAddress, parseListenAddress, type ListenAddress } from './listen-address.js';

/**
 * How to print a parsed value back in the notation users write, keyed by the type's transform
 * function (which every copy of a schema made by `.prefault()`/`.refine()` keeps).
 */
export const PRINTERS = new Map<unknown, (value: never) => unknown>();

function printable<T>(
  transform: (v: unknown, ctx: z.core.$RefinementCtx<unknown>) => T,
  print: (value: T) => unknown,
) {
  PRINTERS.set(transform, print as (value: never) => unknown);
  return z.unknown().transform(transform);
}

/** A Prometheus duration (`15s`, `1h30m`) as milliseconds. */
export const duration = printable<number>((v, ctx) => {
  // YAML reads a bare `0` as a number; Prometheus accepts it as a duration, so do we.
  const ms = typeof v === 'string' || typeof v === 'number' ? parseDuration(String(v)) : undefined;
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `invalid duration ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return ms;
}, formatDuration);

/** A byte size (`512MiB`, `4096`) as bytes. */
export const size = printable<number>((v, ctx) => {
  const bytes =
    typeof v === 'string'
      ? parseSize(v)
      : Number.isSafeInteger(v) && (v as number) >= 0
        ? v
        : undefined;
  if (bytes === undefined) {
    ctx.addIssue({ code: 'custom', message: `invalid size ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return bytes as number;
}, formatSize);

/** A password, token or private key: printed as `<secret>`, as Prometheus prints it. */
export const secret = printable<string>(
  (v, ctx) => {
    if (typeof v !== 'string') {
      ctx.addIssue({ code: 'custom', message: 'expected a string' });
      return z.NEVER;
    }
    return v;
  },
  () => '<secret>',
);

export const listenAddress = printable<ListenAddress>((v, ctx) => {
  if (typeof v !== 'string') {
    ctx.addIssue({
      code: 'custom',
      message: `invalid address ${JSON.stringify(v)}: want host:port`,
    });
    return z.NEVER;
  }
  const parsed = parseListenAddress(v);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
}, formatListenAddress);

/**
 * A configuration section: unknown keys are errors, and an empty section (`server:` with nothing
 * under it, which YAML reads as null) means all defaults.
 */
export function section<T extends z.ZodRawShape>(shape: T) {
  // `{}` is a valid input only when every key has a default, which each section guarantees.
  return z.preprocess(
    (v) => (v === null ? undefined : v),
    z.strictObject(shape).prefault({} as never),
  );
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
  } catch {
    return false;
  }
}

/** An http:// or https:// URL with a host, as remote write and API server settings take. */
export const httpUrl = z.string().superRefine((s, ctx) => {
  if (!isHttpUrl(s)) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid URL ${JSON.stringify(s)}: want http:// or https:// with a host`,
    });
  }
});
