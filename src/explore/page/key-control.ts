import { gatewayKey, setGatewayKey } from './credentials.js';
import { h } from './dom.js';

/** "Key" in the header: enter or forget the gateway key; the page starts over with it. */
export function keyControl(onChange: () => void): HTMLElement {
  const input = h('input', { type: 'password', placeholder: 'API key or token', autocomplete: 'off', 'aria-label': 'gateway key', 'data-testid': 'key' });
  const summary = h('summary', {}, gatewayKey() ? 'Key ✓' : 'Key');
  const save = h('button', { type: 'submit', class: 'primary' }, 'Use');
  const forget = h('button', { type: 'button', class: 'link' }, 'Forget');
  const form = h('form', { class: 'key-form' }, input, save, forget);
  const details = h('details', { class: 'key' }, summary, form);
  const apply = (key: string) => {
    setGatewayKey(key);
    summary.textContent = key ? 'Key ✓' : 'Key';
    input.value = '';
    details.open = false;
    onChange();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply(input.value.trim());
  });
  forget.addEventListener('click', () => apply(''));
  return details;
}
