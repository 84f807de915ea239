import { bytes } from './format.js';
import { h } from './dom.js';

/**
 * The long-load indicator of one view: what is happening, for how long, how much has arrived, and
 * a way to give up. It appears only after a short delay, so quick answers do not flicker.
 */
export class Progress {
  readonly element = h('div', { class: 'progress', role: 'status', 'aria-live': 'polite', hidden: true, 'data-testid': 'progress' });
  private readonly bar = h('div', { class: 'progress-bar' });
  private readonly text = h('span', { class: 'progress-text' });
  private readonly cancel = h('button', { type: 'button', class: 'link' }, 'Cancel');
  private started = 0;
  private step = '';
  private received = 0;
  private total: number | undefined;
  private timer: number | undefined;
  private onCancel: (() => void) | undefined;

  constructor() {
    this.element.append(h('div', { class: 'progress-track' }, this.bar), this.text, this.cancel);
    this.cancel.addEventListener('click', () => this.onCancel?.());
  }

  start(step: string, onCancel: () => void): void {
    this.stop();
    this.started = performance.now();
    this.step = step;
    this.received = 0;
    this.total = undefined;
    this.onCancel = onCancel;
    this.timer = window.setInterval(() => this.render(), 150);
  }

  bytes(received: number, total: number | undefined): void {
    this.received = received;
    this.total = total;
  }

  phase(step: string): void {
    this.step = step;
    this.render();
  }

  stop(): void {
    window.clearInterval(this.timer);
    this.timer = undefined;
    this.element.hidden = true;
  }

  private render(): void {
    const elapsed = performance.now() - this.started;
    if (elapsed < 150) return;
    this.element.hidden = false;
    const known = this.total !== undefined && this.total > 0;
    this.bar.classList.toggle('indeterminate', !known);
    this.bar.style.width = known ? `${Math.min(100, (this.received / this.total!) * 100).toFixed(1)}%` : '';
    const amount = this.received ? ` · ${bytes(this.received)}${known ? ` of ${bytes(this.total!)}` : ''}` : '';
    this.text.textContent = `${this.step}${amount} · ${(elapsed / 1000).toFixed(1)} s`;
  }
}
