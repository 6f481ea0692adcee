/**
 * @module
 * The panel grid: 24 columns, rows of {@link ROW_PX}. In edit mode a panel's header drags it and
 * its bottom-right corner resizes it, with pointer events (so mouse, pen and touch work alike);
 * while dragging, the others make room as they will after the drop ({@link place}).
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { COLUMNS, place, type GridPos } from './grid';
import type { Panel } from './types';

export const ROW_PX = 30;
export const GAP_PX = 8;

/** Pixel height of a panel `h` rows high. */
export function panelHeightPx(h: number): number {
  return h * ROW_PX + (h - 1) * GAP_PX;
}

interface Drag {
  id: number;
  mode: 'move' | 'resize';
  startX: number;
  startY: number;
  origin: GridPos;
}

export function DashboardGrid({
  panels,
  editing,
  onLayout,
  renderPanel,
}: {
  panels: readonly Panel[];
  editing: boolean;
  onLayout: (panels: Panel[]) => void;
  /** The panel's frame; `dragHandle` goes on its header, `resizeHandle` in a corner. */
  renderPanel: (
    panel: Panel,
    heightPx: number,
    handles: { dragHandle: object; resizeHandle: ReactNode },
  ) => ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1200);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [preview, setPreview] = useState<Panel[] | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    setWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);

  const colPx = (width + GAP_PX) / COLUMNS;
  const shown = preview ?? panels;

  const onPointerMove = (e: React.PointerEvent) => {
    if (drag === null) return;
    const dx = Math.round((e.clientX - drag.startX) / colPx);
    const dy = Math.round((e.clientY - drag.startY) / (ROW_PX + GAP_PX));
    const o = drag.origin;
    const pos =
      drag.mode === 'move'
        ? { ...o, x: o.x + dx, y: o.y + dy }
        : { ...o, w: o.w + dx, h: o.h + dy };
    setPreview(place(panels, drag.id, pos));
  };
  const end = () => {
    if (drag !== null && preview !== null) onLayout(preview);
    setDrag(null);
    setPreview(null);
  };
  const start = (panel: Panel, mode: Drag['mode']) => (e: React.PointerEvent) => {
    if (!editing || e.button !== 0) return;
    // Buttons in the header keep their clicks.
    if ((e.target as HTMLElement).closest('button') !== null) return;
    e.preventDefault();
    ref.current?.setPointerCapture(e.pointerId);
    setDrag({ id: panel.id, mode, startX: e.clientX, startY: e.clientY, origin: panel.gridPos });
  };

  const rows = Math.max(0, ...shown.map((p) => p.gridPos.y + p.gridPos.h));
  return (
    <div
      ref={ref}
      className={`dash-grid${editing ? ' editing' : ''}${drag ? ' dragging' : ''}`}
      style={{ height: rows === 0 ? 0 : panelHeightPx(rows) }}
      onPointerMove={onPointerMove}
      onPointerUp={end}
      onPointerCancel={end}
      data-testid="dashboard-grid"
    >
      {shown.map((p) => {
        const g = p.gridPos;
        const height = panelHeightPx(g.h);
        return (
          <div
            key={p.id}
            className={`dash-cell${drag?.id === p.id ? ' active' : ''}`}
            data-panel-id={p.id}
            style={{
              left: g.x * colPx,
              top: g.y * (ROW_PX + GAP_PX),
              width: g.w * colPx - GAP_PX,
              height,
            }}
          >
            {renderPanel(p, height, {
              dragHandle: editing
                ? { onPointerDown: start(p, 'move'), 'data-drag-handle': true }
                : {},
              resizeHandle: editing ? (
                <span
                  className="resize-handle"
                  data-testid="resize-handle"
                  aria-label="Resize"
                  onPointerDown={start(p, 'resize')}
                />
              ) : null,
            })}
          </div>
        );
      })}
    </div>
  );
}
