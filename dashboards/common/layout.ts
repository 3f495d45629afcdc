import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { PanelBuilder } from './panels.js';

const gridWidth = 24;

/** A panel and its size in grid units (24 columns wide). */
export interface Cell {
  readonly panel: PanelBuilder;
  readonly w: number;
  readonly h: number;
}

/**
 * A panel of `w` x `h` grid units: `cell(6, 4, stat, { title, … })`, or a built panel. The panel
 * kind and its spec are separate arguments so the spec, the long part, formats as a block.
 */
export function cell(w: number, h: number, panel: PanelBuilder): Cell;
export function cell<S>(w: number, h: number, kind: (spec: S) => PanelBuilder, spec: NoInfer<S>): Cell;
export function cell<S>(w: number, h: number, panel: PanelBuilder | ((spec: S) => PanelBuilder), spec?: S): Cell {
  return { panel: typeof panel === 'function' ? panel(spec as S) : panel, w, h };
}

/** An expanded row and the panels below it. */
export interface Section {
  readonly title: string;
  readonly cells: readonly Cell[];
}

/**
 * Places every row and panel ourselves: the SDK's cursor lets a panel overflow the 24 columns and
 * re-places anything at x=0,y=0. Panels flow left to right and wrap before they would overflow;
 * a line is as tall as its tallest panel. Rows stay expanded (a collapsed row nests its panels,
 * and mixing the two breaks the SDK's cursor), so every panel is a top-level sibling of its row.
 */
export function layOut(builder: dashboard.DashboardBuilder, sections: readonly Section[]): void {
  let y = 0;
  for (const section of sections) {
    builder.withRow(new dashboard.RowBuilder(section.title).gridPos({ x: 0, y, w: gridWidth, h: 1 }));
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const { panel, w, h } of section.cells) {
      if (w < 1 || w > gridWidth) throw new Error(`panel width ${w} does not fit the ${gridWidth}-column grid`);
      if (x + w > gridWidth) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      panel.gridPos({ x, y, w, h });
      builder.withPanel(panel);
      x += w;
      lineHeight = Math.max(lineHeight, h);
    }
    y += lineHeight;
  }
}
