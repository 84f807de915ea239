import { h } from '../dom.js';
import { ErrorList } from '../error-list.js';
import { runQuery, type GraphQLResult } from '../graphql-client.js';
import { Progress } from '../progress.js';
import { QueryPanel } from '../query-panel.js';

/**
 * The frame every view draws into: a title and status line, the progress indicator, the chart and
 * tables, the errors beside them, and the query that produced them.
 */
export class ViewCard {
  readonly title = h('h2', {});
  readonly status = h('p', { class: 'status', 'data-testid': 'status' });
  readonly progress = new Progress();
  readonly body = h('div', { class: 'card-main' });
  readonly errors = new ErrorList();
  readonly query = new QueryPanel();
  readonly element = h(
    'section',
    { class: 'card', 'data-testid': 'view-card' },
    h('header', { class: 'card-head' }, this.title, this.status),
    this.progress.element,
    h('div', { class: 'card-body' }, this.body, this.errors.element),
    this.query.element,
  );

  /** Empties the card for a new view. */
  reset(title: string): void {
    this.title.textContent = title;
    this.status.textContent = '';
    this.body.replaceChildren();
    this.errors.clear();
    this.query.hide();
    this.progress.stop();
  }

  /** Notes like "no series in this range", shown where the chart would be. */
  note(text: string): HTMLElement {
    return h('p', { class: 'note', 'data-testid': 'note' }, text);
  }

  /** Where the chart would be when the answer carried no data, only errors (shown beside). */
  failed(): void {
    this.body.append(this.note('Nothing to draw: the query failed (see the error).'));
  }

  /**
   * Runs a query for this card: shows it, reports progress, puts its errors beside the chart.
   * Undefined when it was cancelled or never answered (the reason is already shown).
   */
  async load<T>(query: string, controller: AbortController, step = 'Querying the gateway'): Promise<GraphQLResult<T> | undefined> {
    this.query.show(query);
    this.errors.clear();
    this.progress.start(step, () => controller.abort());
    try {
      const result = await runQuery<T>(query, {
        signal: controller.signal,
        onProgress: (received, total) => this.progress.bytes(received, total),
      });
      this.errors.show(result.errors);
      return result;
    } catch (error) {
      if (controller.signal.aborted) {
        this.status.textContent = 'Cancelled.';
        return undefined;
      }
      this.errors.show([error as Error]);
      return undefined;
    } finally {
      this.progress.stop();
    }
  }
}
