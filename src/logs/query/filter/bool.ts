/**
 * @module
 * Boolean filters. `and` narrows the bitmap child by child, so each child tests only the
 * documents every earlier child kept. `or` gives each child a scratch copy holding only the
 * documents no earlier child has matched yet; `not` runs its child on a scratch copy and keeps
 * the documents it clears.
 */

import type { Columns, Filter } from '../filter.js';

/** Matches every document: leaves the bitmap as it is. */
export class AllFilter implements Filter {
  apply(): void {}
}

/** Matches no document. */
export class NoneFilter implements Filter {
  apply(_cols: Columns, bits: Uint8Array): void {
    bits.fill(0);
  }
}

/** Every child must match. */
export class AndFilter implements Filter {
  constructor(readonly children: readonly Filter[]) {}

  apply(cols: Columns, bits: Uint8Array): void {
    for (const c of this.children) {
      if (bits.indexOf(1) < 0) return;
      c.apply(cols, bits);
    }
  }
}

/** At least one child must match. */
export class OrFilter implements Filter {
  constructor(readonly children: readonly Filter[]) {}

  apply(cols: Columns, bits: Uint8Array): void {
    const matched = new Uint8Array(bits.length);
    const scratch = new Uint8Array(bits.length);
    for (const c of this.children) {
      let pending = false;
      for (let i = 0; i < bits.length; i++) {
        const todo = bits[i]! & (matched[i]! ^ 1);
        scratch[i] = todo;
        if (todo !== 0) pending = true;
      }
      if (!pending) break;
      c.apply(cols, scratch);
      for (let i = 0; i < bits.length; i++) matched[i]! |= scratch[i]!;
    }
    bits.set(matched);
  }
}

/** The child must not match. */
export class NotFilter implements Filter {
  constructor(readonly child: Filter) {}

  apply(cols: Columns, bits: Uint8Array): void {
    const scratch = bits.slice();
    this.child.apply(cols, scratch);
    for (let i = 0; i < bits.length; i++) bits[i]! &= scratch[i]! ^ 1;
  }
}
