/**
 * @module
 * The 24-column panel grid: moving or resizing one panel pushes the panels it overlaps down,
 * and every panel then floats up as far as it can (Grafana's vertical compaction), so the grid
 * has no holes and no overlaps. Pure, tested beside this file.
 */

export const COLUMNS = 24;

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface GridItem {
  id: number;
  gridPos: GridPos;
}

function overlaps(a: GridPos, b: GridPos): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Keeps a position inside the grid: 1 ≤ w ≤ 24, 0 ≤ x ≤ 24 − w, y ≥ 0, h ≥ 1. */
export function clampPos(p: GridPos): GridPos {
  const w = Math.min(COLUMNS, Math.max(1, Math.round(p.w)));
  return {
    w,
    h: Math.max(1, Math.round(p.h)),
    x: Math.min(COLUMNS - w, Math.max(0, Math.round(p.x))),
    y: Math.max(0, Math.round(p.y)),
  };
}

/**
 * Places `moved` at `pos`, pushes overlapped panels below it and compacts upwards. Returns new
 * items in the input order; the input is not changed.
 *
 * @example
 * place([{id:1,gridPos:{x:0,y:0,w:12,h:4}}, {id:2,gridPos:{x:0,y:4,w:12,h:4}}], 2, {x:0,y:0,w:12,h:4})
 * // panel 2 on top (y 0), panel 1 below it (y 4)
 */
export function place<T extends GridItem>(items: readonly T[], moved: number, pos: GridPos): T[] {
  const target = clampPos(pos);
  const out = items.map((it) => (it.id === moved ? { ...it, gridPos: target } : { ...it }));
  // Resolve collisions top-down: the moved panel keeps its place, others go below what they hit.
  const others = out
    .filter((it) => it.id !== moved)
    .sort((a, b) => a.gridPos.y - b.gridPos.y || a.gridPos.x - b.gridPos.x);
  const placed: GridPos[] = out.filter((it) => it.id === moved).map((it) => it.gridPos);
  for (const it of others) {
    let p = it.gridPos;
    for (;;) {
      const hit = placed.find((q) => overlaps(p, q));
      if (hit === undefined) break;
      p = { ...p, y: hit.y + hit.h };
    }
    it.gridPos = p;
    placed.push(p);
  }
  return compact(out, moved);
}

/**
 * Moves every panel up while it overlaps nothing; `pinned` (the panel being dragged) stays put
 * so it does not jump away from the pointer.
 */
export function compact<T extends GridItem>(items: readonly T[], pinned?: number): T[] {
  const out = items.map((it) => ({ ...it, gridPos: { ...it.gridPos } }));
  const order = [...out].sort((a, b) => a.gridPos.y - b.gridPos.y || a.gridPos.x - b.gridPos.x);
  const settled: GridPos[] = [];
  for (const it of order) {
    if (it.id !== pinned) {
      while (it.gridPos.y > 0) {
        const up = { ...it.gridPos, y: it.gridPos.y - 1 };
        const pinnedPos = out.find((o) => o.id === pinned)?.gridPos;
        if (settled.some((q) => overlaps(up, q)) || (pinnedPos && overlaps(up, pinnedPos))) break;
        it.gridPos = up;
      }
    }
    settled.push(it.gridPos);
  }
  return out;
}

/** Where a new panel of size w×h goes: the first free place scanning rows top-down. */
export function freeSpot(items: readonly GridItem[], w: number, h: number): GridPos {
  for (let y = 0; ; y++) {
    for (let x = 0; x + w <= COLUMNS; x++) {
      const p = { x, y, w, h };
      if (!items.some((it) => overlaps(p, it.gridPos))) return p;
    }
  }
}
