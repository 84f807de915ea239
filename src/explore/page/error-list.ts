import type { GatewayError } from './graphql-client.js';
import { h } from './dom.js';

/**
 * A view's errors, shown beside its chart: each with its code (BAD_USER_INPUT,
 * UPSTREAM_UNAVAILABLE, ...), the source it names and the gateway's message, which restates what
 * was expected. The rest of the page stays as it was.
 */
export class ErrorList {
  readonly element = h('div', { class: 'errors', role: 'alert', hidden: true, 'data-testid': 'errors' });

  show(errors: ReadonlyArray<GatewayError | Error | string>): void {
    this.element.replaceChildren(...errors.map(item));
    this.element.hidden = errors.length === 0;
  }

  clear(): void {
    this.show([]);
  }
}

function item(error: GatewayError | Error | string) {
  if (typeof error === 'string' || error instanceof Error) {
    const message = typeof error === 'string' ? error : error.message;
    return h('div', { class: 'error' }, h('span', { class: 'code', 'data-testid': 'error-code' }, 'PAGE'), h('p', {}, message));
  }
  const code = error.extensions?.code ?? 'ERROR';
  const source = error.extensions?.source;
  const retryAfterMs = error.extensions?.['retryAfterMs'];
  return h(
    'div',
    { class: 'error' },
    h('span', { class: 'code', 'data-testid': 'error-code' }, code),
    source ? h('span', { class: 'error-source' }, `source ${source}`) : null,
    h('p', {}, error.message),
    typeof retryAfterMs === 'number' ? h('p', { class: 'hint' }, `The source asks to wait ${Math.ceil(retryAfterMs / 1000)} s.`) : null,
    code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' ? h('p', { class: 'hint' }, 'Set the gateway key with “Key” at the top of the page.') : null,
  );
}
