/**
 * How deeply a parsed JSON value nests, found without recursion: JSON.parse itself takes a
 * million levels, but every recursive walk after it (graphql-js coercion, JSON.stringify, label
 * checks) overflows the stack long before that. The walk stops as soon as the limit is passed,
 * so a hostile value costs at most the nodes above that depth.
 */

/** True when `value` has lists or objects nested more than `max` levels deep (a scalar is level 0). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: Array<{ value: object; depth: number }> = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (depth > max) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}
