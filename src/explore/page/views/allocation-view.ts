import { sameDecimal, sumDecimals } from '../decimal-sum.js';
import { h } from '../dom.js';
import { colour, withUnit } from '../format.js';
import { allocationQuery } from '../queries.js';
import type { Selection } from '../selection.js';
import { barCell } from './bar-cell.js';
import type { View, ViewEnv } from './view.js';

interface Allocation {
  total: string;
  currency: string;
  strategy: string;
  per: string;
  from: string;
  to: string;
  shares: Array<{ segment: string; usage: number; fraction: number; percent: number; amount: string }>;
}

/**
 * The amount split across segments: a row per segment with its usage, share and amount and a bar
 * for its share. The footer adds the amounts up exactly and sets the sum against the total.
 */
export class AllocationView implements View {
  async run(selection: Selection, env: ViewEnv): Promise<void> {
    const { card } = env;
    if (!selection.allocation.segmentBy) {
      card.body.append(card.note('Choose the segment label (like customer_id) whose values share the amount.'));
      card.query.hide();
      return;
    }
    let query: string;
    try {
      query = allocationQuery(selection);
    } catch (error) {
      card.errors.show([error as Error]);
      return;
    }
    const result = await card.load<{ allocation: Allocation | null }>(query, env.controller, 'Allocating');
    if (!result || env.controller.signal.aborted) return;
    const allocation = result.data?.allocation;
    if (!allocation) return card.failed();
    const money = (amount: string) => `${amount} ${allocation.currency}`;
    const sum = allocation.shares.length ? sumDecimals(allocation.shares.map((share) => share.amount)) : '0';
    const balanced = sameDecimal(sum, allocation.total);
    card.body.append(
      h(
        'table',
        { class: 'bars-table', 'data-testid': 'allocation-table' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, selection.allocation.segmentBy), h('th', { class: 'num' }, 'Usage'), h('th', { class: 'num' }, 'Share'), h('th', {}, ''), h('th', { class: 'num' }, 'Amount')),
        ),
        h(
          'tbody',
          {},
          ...allocation.shares.map((share, i) =>
            h(
              'tr',
              { 'data-testid': 'allocation-row' },
              h('td', { class: 'labels' }, share.segment),
              h('td', { class: 'num' }, withUnit(share.usage, env.unit)),
              h('td', { class: 'num' }, `${share.percent.toFixed(2)} %`),
              barCell(share.fraction, colour(i)),
              h('td', { class: 'num', 'data-testid': 'allocation-amount', 'data-amount': share.amount }, money(share.amount)),
            ),
          ),
        ),
        h(
          'tfoot',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'Total'),
            h('td', {}),
            h('td', {}),
            h('td', { class: balanced ? 'check ok' : 'check bad', 'data-testid': 'allocation-check' }, balanced ? `segments add up to ${money(sum)}` : `segments add up to ${money(sum)}, not the total`),
            h('td', { class: 'num', 'data-testid': 'allocation-total', 'data-amount': allocation.total }, money(allocation.total)),
          ),
        ),
      ),
    );
    if (allocation.shares.length === 0) card.body.append(card.note('No segment had usage in this range.'));
    card.status.textContent = `${allocation.strategy.toLowerCase().replace(/_/g, ' ')} · ${allocation.per === 'DAY' ? 'per day' : 'whole range'} · UTC days ${allocation.from.slice(0, 10)} to ${allocation.to.slice(0, 10)} (exclusive)`;
  }

  dispose(): void {}
}
