import { h } from '../dom.js';

/** A table cell with a horizontal bar `fraction` (0..1) of the cell's width. */
export function barCell(fraction: number, colour: string): HTMLTableCellElement {
  const width = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0)) * 100;
  return h('td', { class: 'bar-cell' }, h('div', { class: 'bar', style: `width:${width.toFixed(2)}%;background:${colour}` }));
}
