/**
 * @module
 * Looks inside the configuration schema: which keys a section accepts (for "did you mean"
 * hints) and how a leaf prints (for the effective configuration). It reads zod's internal
 * definitions, which is why this is the only file that does.
 */

import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  transform?: unknown;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** A schema with wrappers (defaults, preprocessing) removed. */
export type Shape =
  | { kind: 'object'; shape: Record<string, z.ZodType> }
  | { kind: 'array'; element: z.ZodType }
  | { kind: 'leaf'; transform: unknown };

/** Strips defaults, optionals and preprocessing down to an object, array or leaf. */
export function unwrap(schema: z.ZodType): Shape {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    if (def.type === 'object') return { kind: 'object', shape: def.shape ?? {} };
    if (def.type === 'array') return { kind: 'array', element: def.element! };
    if (def.type === 'pipe') {
      const out = defOf(def.out!);
      // A transform pipe is a leaf type of ours, or a section (an object or list) whose
      // parsed form is reshaped; a preprocess pipe wraps the real schema.
      if (out.type === 'transform') {
        const input = unwrap(def.in!);
        return input.kind === 'leaf' ? { kind: 'leaf', transform: out.transform } : input;
      }
      s = def.out!;
      continue;
    }
    if (def.innerType !== undefined) {
      s = def.innerType;
      continue;
    }
    return { kind: 'leaf', transform: undefined };
  }
}

/** The keys an object schema at `path` accepts. */
export function knownKeys(root: z.ZodType, path: readonly (string | number)[]): string[] {
  let shape = unwrap(root);
  for (const p of path) {
    if (shape.kind === 'object' && typeof p === 'string' && shape.shape[p] !== undefined) {
      shape = unwrap(shape.shape[p]);
    } else if (shape.kind === 'array' && typeof p === 'number') {
      shape = unwrap(shape.element);
    } else {
      return [];
    }
  }
  return shape.kind === 'object' ? Object.keys(shape.shape) : [];
}
