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
  options?: z.ZodType[];
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

/**
 * The keys an object schema at `path` accepts. Through a union (an agent input is a tail or a
 * journald input), the keys of every member: the hint names a key some member has.
 */
export function knownKeys(root: z.ZodType, path: readonly (string | number)[]): string[] {
  let shapes = members(root);
  for (const p of path) {
    const next: Shape[] = [];
    for (const shape of shapes) {
      if (shape.kind === 'object' && typeof p === 'string' && shape.shape[p] !== undefined) {
        next.push(...members(shape.shape[p]));
      } else if (shape.kind === 'array' && typeof p === 'number') {
        next.push(...members(shape.element));
      }
    }
    shapes = next;
  }
  const keys = new Set<string>();
  for (const shape of shapes)
    if (shape.kind === 'object') for (const k of Object.keys(shape.shape)) keys.add(k);
  return [...keys];
}

/** The shapes `schema` can take: one, or each member's of a union. */
function members(schema: z.ZodType): Shape[] {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    if (def.type === 'union') return def.options!.flatMap(members);
    if (def.type !== 'pipe' && def.innerType !== undefined) {
      s = def.innerType;
      continue;
    }
    return [unwrap(s)];
  }
}
