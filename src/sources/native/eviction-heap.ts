/**
 * A min-heap of (latest timestamp, series id) that finds the series whose newest point is oldest
 * in O(log n) amortised, so a full store evicting on every new series stays fast (the scan it
 * replaces was O(series) per new series). A series enters once, when it is created; storing a
 * point costs nothing here. An entry goes stale when its series gets a newer point (it is pushed
 * back with its current time when it surfaces; times only grow, so the true stalest still comes
 * out first) or disappears (it is dropped when it surfaces).
 */
export class EvictionHeap {
  #times: number[] = [];
  #ids: string[] = [];

  get size(): number {
    return this.#ids.length;
  }

  push(latest: number, id: string): void {
    this.#times.push(latest);
    this.#ids.push(id);
    this.#up(this.#ids.length - 1);
  }

  /**
   * Removes and returns the id whose current latest time (`latestOf`) is smallest; undefined when
   * the heap runs dry. Entries of vanished series are dropped, moved-on ones pushed back.
   */
  popCurrent(latestOf: (id: string) => number | undefined): string | undefined {
    while (this.#ids.length > 0) {
      const time = this.#times[0]!;
      const id = this.#ids[0]!;
      this.#removeTop();
      const latest = latestOf(id);
      if (latest === time) return id;
      if (latest !== undefined) this.push(latest, id);
    }
    return undefined;
  }

  /** Replaces the content with exactly the given live entries. */
  rebuild(entries: Iterable<[number, string]>): void {
    this.#times = [];
    this.#ids = [];
    for (const [time, id] of entries) {
      this.#times.push(time);
      this.#ids.push(id);
    }
    for (let i = (this.#ids.length >> 1) - 1; i >= 0; i--) this.#down(i);
  }

  #removeTop(): void {
    const lastTime = this.#times.pop()!;
    const lastId = this.#ids.pop()!;
    if (this.#ids.length === 0) return;
    this.#times[0] = lastTime;
    this.#ids[0] = lastId;
    this.#down(0);
  }

  #up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.#times[parent]! <= this.#times[i]!) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    const n = this.#ids.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.#times[left]! < this.#times[smallest]!) smallest = left;
      if (right < n && this.#times[right]! < this.#times[smallest]!) smallest = right;
      if (smallest === i) return;
      this.#swap(i, smallest);
      i = smallest;
    }
  }

  #swap(a: number, b: number): void {
    [this.#times[a], this.#times[b]] = [this.#times[b]!, this.#times[a]!];
    [this.#ids[a], this.#ids[b]] = [this.#ids[b]!, this.#ids[a]!];
  }
}
