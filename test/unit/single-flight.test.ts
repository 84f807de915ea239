import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../src/cache/single-flight.js';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight.run', () => {
  it('runs the work once for concurrent calls with the same key', async () => {
    const flight = new SingleFlight<string>();
    const gate = deferred<string>();
    let calls = 0;
    const work = () => {
      calls++;
      return gate.promise;
    };
    const first = flight.run('k', work);
    const second = flight.run('k', work);
    expect(second).toBe(first);
    expect(flight.size).toBe(1);
    gate.resolve('answer');
    expect(await Promise.all([first, second])).toEqual(['answer', 'answer']);
    expect(calls).toBe(1);
  });

  it('runs separately for different keys', async () => {
    const flight = new SingleFlight<string>();
    const seen: string[] = [];
    const results = await Promise.all(
      ['a', 'b'].map((key) =>
        flight.run(key, async () => {
          seen.push(key);
          return key.toUpperCase();
        }),
      ),
    );
    expect(results).toEqual(['A', 'B']);
    expect(seen).toEqual(['a', 'b']);
  });

  it('releases the key once the work settles, so a later call runs again', async () => {
    const flight = new SingleFlight<number>();
    let calls = 0;
    const work = async () => ++calls;
    expect(await flight.run('k', work)).toBe(1);
    expect(flight.size).toBe(0);
    expect(flight.peek('k')).toBeUndefined();
    expect(await flight.run('k', work)).toBe(2);
  });

  it('shares a rejection with every waiter and still releases the key', async () => {
    const flight = new SingleFlight<number>();
    const gate = deferred<number>();
    const first = flight.run('k', () => gate.promise);
    const second = flight.run('k', () => Promise.resolve(0));
    gate.reject(new Error('upstream down'));
    await expect(first).rejects.toThrow('upstream down');
    await expect(second).rejects.toThrow('upstream down');
    expect(flight.size).toBe(0);
    expect(await flight.run('k', async () => 5)).toBe(5);
  });

  it('turns work that throws synchronously into a rejection', async () => {
    const flight = new SingleFlight<number>();
    await expect(
      flight.run('k', () => {
        throw new Error('bad');
      }),
    ).rejects.toThrow('bad');
    expect(flight.size).toBe(0);
  });
});

describe('SingleFlight.claim', () => {
  it('returns undefined while the key is held, and peek gives the promise to wait on', async () => {
    const flight = new SingleFlight<string>();
    const settle = flight.claim('k');
    expect(settle).toBeTypeOf('function');
    expect(flight.claim('k')).toBeUndefined();
    const waiting = flight.peek('k');
    expect(waiting).toBeDefined();
    settle!(Promise.resolve('batched'));
    expect(await waiting).toBe('batched');
    expect(flight.claim('k')).toBeTypeOf('function');
  });

  it('lets run() join a claimed key instead of running its work', async () => {
    const flight = new SingleFlight<string>();
    const settle = flight.claim('k')!;
    let ran = false;
    const joined = flight.run('k', async () => {
      ran = true;
      return 'own';
    });
    settle(Promise.resolve('claimed'));
    expect(await joined).toBe('claimed');
    expect(ran).toBe(false);
  });
});
