/**
 * @module
 * The configuration in force as YAML, defaults filled in and durations, sizes and addresses in
 * the notation users write (`2m`, `32MiB`), for `/api/v1/status/config` and the Status page.
 */

import { stringify } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.js';
import { unwrap } from './schema-walk.js';
import { PRINTERS } from './types.js';

function printable(schema: z.ZodType, value: unknown): unknown {
  const shape = unwrap(schema);
  if (shape.kind === 'object' && typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const field = shape.shape[k];
      out[k] = field === undefined ? v : printable(field, v);
    }
    return out;
  }
  if (shape.kind === 'array' && Array.isArray(value)) {
    return value.map((v) => printable(shape.element, v));
  }
  if (shape.kind === 'leaf') {
    const print = PRINTERS.get(shape.transform) as ((v: unknown) => unknown) | undefined;
    if (print !== undefined) return print(value);
  }
  return value;
}

/**
 * @example
 * printConfig(defaultConfig()); // 'server:\n  listen: 127.0.0.1:9700\n  request_timeout: 2m\n…'
 */
export function printConfig(config: Config): string {
  return stringify(printable(configSchema, config));
}
