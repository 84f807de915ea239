import { MAX_METRICS_PER_CALL, MAX_SELECTOR_CHARS } from './selector.js';

/**
 * Packs metric expressions into as few /metrics/query calls as Dynatrace allows. Expressions
 * can share a call when everything outside the selector is the same (time frame, resolution,
 * entity and management zone scope); a call holds at most ten expressions and a selector of at
 * most 5,000 characters. An expression asked by several queries goes once.
 */
export interface CallScope {
  from: number;
  to: number;
  resolution?: string;
  entitySelector?: string;
  mzSelector?: string;
}

export interface PlannedCall {
  scope: CallScope;
  expressions: string[];
}

export function planCalls(parts: ReadonlyArray<{ expression: string; scope: CallScope }>): PlannedCall[] {
  const groups = new Map<string, { scope: CallScope; expressions: string[] }>();
  for (const part of parts) {
    const key = JSON.stringify([part.scope.from, part.scope.to, part.scope.resolution ?? null, part.scope.entitySelector ?? null, part.scope.mzSelector ?? null]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { scope: part.scope, expressions: [] }));
    if (!group.expressions.includes(part.expression)) group.expressions.push(part.expression);
  }
  const calls: PlannedCall[] = [];
  for (const { scope, expressions } of groups.values()) {
    let current: string[] = [];
    let length = 0;
    for (const expression of expressions) {
      const added = current.length === 0 ? expression.length : expression.length + 1;
      if (current.length === MAX_METRICS_PER_CALL || (current.length > 0 && length + added > MAX_SELECTOR_CHARS)) {
        calls.push({ scope, expressions: current });
        current = [];
        length = 0;
      }
      current.push(expression);
      length += current.length === 1 ? expression.length : expression.length + 1;
    }
    if (current.length > 0) calls.push({ scope, expressions: current });
  }
  return calls;
}
