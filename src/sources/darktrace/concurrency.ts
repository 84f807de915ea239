/**
 * Runs tasks with at most `limit` in flight and settles like Promise.allSettled, in task order.
 * A device fan-out of a hundred calls must not open a hundred connections to one appliance.
 */
export async function settleLimited<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<Array<PromiseSettledResult<T>>> {
  const results = new Array<PromiseSettledResult<T>>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await tasks[index]!() };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), tasks.length) }, worker));
  return results;
}
