/**
 * Gives the event loop a turn while a very large answer is being executed. graphql-js completes
 * every list item one by one in a single synchronous pass: 50 series of 10,000 timestamps and
 * values are a million items and, with the garbage collection they cause, some 80 ms during
 * which no other request, heartbeat or stream moves. Once a request has produced `freeItems`
 * list items, each further large list waits for a turn of the event loop before it completes,
 * one after another, so the pass is cut into pieces of one list each.
 *
 * Small answers never wait: below `freeItems` the lists come back as they are.
 */
export class Pacer {
  #items = 0;
  #turn: Promise<void> | undefined;

  constructor(
    private readonly freeItems = 50_000,
    /** Lists shorter than this are cheap enough to complete without a turn. */
    private readonly minList = 1_000,
  ) {}

  pace<T>(list: T[]): T[] | Promise<T[]> {
    this.#items += list.length;
    if (this.#items <= this.freeItems || list.length < this.minList) return list;
    // Each list's turn comes after the previous one's, on a later turn of the loop: an immediate
    // set from within an immediate runs on the next iteration, after pending I/O.
    const turn = (this.#turn ?? Promise.resolve()).then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.#turn = turn;
    return turn.then(() => list);
  }
}
