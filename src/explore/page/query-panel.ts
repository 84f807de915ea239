import { graphiqlLink } from './queries.js';
import { h } from './dom.js';

/** The GraphQL a view ran, as text to copy and a link that opens it in GraphiQL. */
export class QueryPanel {
  readonly element = h('details', { class: 'query-panel', 'data-testid': 'query-panel' });
  private readonly code = h('pre', { 'data-testid': 'query-text' });
  private readonly link = h('a', { target: '_blank', rel: 'noopener', 'data-testid': 'graphiql-link' }, 'Open in GraphiQL');
  private readonly copy = h('button', { type: 'button', class: 'link' }, 'Copy');

  constructor() {
    this.element.append(h('summary', {}, 'GraphQL query', ' ', this.link, ' ', this.copy), this.code);
    this.copy.addEventListener('click', () => {
      void navigator.clipboard?.writeText(this.code.textContent ?? '').then(() => this.flash('Copied'), () => this.flash('Copy failed'));
    });
  }

  show(query: string): void {
    this.code.textContent = query;
    this.link.href = graphiqlLink(query);
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
  }

  private flash(text: string): void {
    this.copy.textContent = text;
    window.setTimeout(() => (this.copy.textContent = 'Copy'), 1200);
  }
}
