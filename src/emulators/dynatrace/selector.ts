/**
 * The emulator's metric selector parser, for the subset of the grammar the gateway emits and a
 * little more: comma-separated expressions (the `builtin:host.cpu.(idle,user)` shorthand too),
 * quoted keys, and the transformations `:filter(...)` (eq, ne, prefix, suffix, contains,
 * existsKey, in(key, entitySelector(...)), and, or, not), `:splitBy(...)`, the aggregations,
 * `:fold`, `:sort(value(<aggregation>,<direction>), dimension("<key>",<direction>[,lexical|natural]))`
 * and `:limit(n)`. Strings are double-quoted; a tilde escapes a quote or a tilde inside them.
 */

export type Condition =
  | { op: 'eq' | 'ne' | 'prefix' | 'suffix' | 'contains'; key: string; value: string }
  | { op: 'existsKey'; key: string }
  | { op: 'in'; key: string; entitySelector: string }
  | { op: 'and' | 'or'; items: Condition[] }
  | { op: 'not'; item: Condition };

export interface Aggregation {
  type: 'auto' | 'avg' | 'count' | 'max' | 'median' | 'min' | 'sum' | 'value' | 'percentile';
  percentile?: number;
}

export type Direction = 'ascending' | 'descending';

/** One criterion of `:sort`; later ones break ties of earlier ones. */
export type SortKey =
  | { by: 'value'; aggregation: Aggregation; direction: Direction }
  | { by: 'dimension'; key: string; direction: Direction; type: 'lexical' | 'natural' };

export type Transform =
  | { kind: 'filter'; conditions: Condition[] }
  | { kind: 'splitBy'; keys: string[] }
  | { kind: 'aggregation'; aggregation: Aggregation }
  | { kind: 'fold'; aggregation?: Aggregation }
  | { kind: 'sort'; keys: SortKey[] }
  | { kind: 'limit'; count: number };

export interface Expression {
  /** As written, which the answer echoes as `metricId`. */
  text: string;
  key: string;
  transforms: Transform[];
}

export class SelectorError extends Error {}

const NAMESPACES = new Set(['builtin', 'ext', 'calc', 'func', 'appmon', 'dsfm', 'custom', 'legacy']);
const AGGREGATIONS = new Set(['auto', 'avg', 'count', 'max', 'median', 'min', 'sum', 'value']);
const KEY_CHAR = /[A-Za-z0-9_.-]/;

export function parseMetricSelector(selector: string): Expression[] {
  const parser = new Parser(selector);
  const expressions: Expression[] = [];
  do {
    parser.skipSpaces();
    expressions.push(...parser.expression());
    parser.skipSpaces();
  } while (parser.take(','));
  if (!parser.done()) parser.fail(`unexpected '${selector[parser.at]}'`);
  return expressions;
}

class Parser {
  at = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.at >= this.text.length;
  }

  fail(message: string): never {
    throw new SelectorError(`Metric selector parse error at position ${this.at}: ${message}`);
  }

  skipSpaces(): void {
    while (this.text[this.at] === ' ' || this.text[this.at] === '\n' || this.text[this.at] === '\t') this.at++;
  }

  take(token: string): boolean {
    if (this.text.startsWith(token, this.at)) {
      this.at += token.length;
      return true;
    }
    return false;
  }

  expect(token: string): void {
    if (!this.take(token)) this.fail(`expected '${token}'`);
  }

  expression(): Expression[] {
    const start = this.at;
    const keys = this.keys();
    const keysEnd = this.at;
    const transforms: Transform[] = [];
    while (this.text[this.at] === ':') {
      this.at++;
      transforms.push(this.transform());
    }
    // The shorthand expands to one expression per key, each echoing the shared transformations.
    const suffix = this.text.slice(keysEnd, this.at);
    return keys.map((key) => ({ text: keys.length === 1 ? this.text.slice(start, this.at) : `${key}${suffix}`, key, transforms }));
  }

  keys(): string[] {
    if (this.text[this.at] === '"') return [this.string()];
    let key = this.word();
    if (key === '') this.fail('expected a metric key');
    if (this.text[this.at] === ':' && NAMESPACES.has(key)) {
      this.at++;
      key += `:${this.word()}`;
    }
    if (key.endsWith('.') && this.text[this.at] === '(') {
      this.at++;
      const leaves: string[] = [];
      do leaves.push(this.word());
      while (this.take(','));
      this.expect(')');
      if (leaves.some((leaf) => leaf === '')) this.fail('empty name in a (a,b) key list');
      return leaves.map((leaf) => key + leaf);
    }
    return [key];
  }

  word(): string {
    const start = this.at;
    while (this.at < this.text.length && KEY_CHAR.test(this.text[this.at]!)) this.at++;
    return this.text.slice(start, this.at);
  }

  string(): string {
    this.expect('"');
    let out = '';
    while (this.at < this.text.length) {
      const char = this.text[this.at++]!;
      if (char === '~') {
        const next = this.text[this.at++];
        if (next !== '"' && next !== '~') this.fail('a tilde in a string must escape a quote or a tilde');
        out += next;
      } else if (char === '"') {
        return out;
      } else {
        out += char;
      }
    }
    this.fail('unterminated string');
  }

  transform(): Transform {
    const name = this.word();
    if (name === 'filter') {
      this.expect('(');
      const conditions = this.list(() => this.condition());
      this.expect(')');
      return { kind: 'filter', conditions };
    }
    if (name === 'splitBy') {
      this.expect('(');
      const keys = this.text[this.at] === ')' ? [] : this.list(() => this.string());
      this.expect(')');
      return { kind: 'splitBy', keys };
    }
    if (name === 'fold') {
      if (!this.take('(')) return { kind: 'fold' };
      if (this.take(')')) return { kind: 'fold' };
      const aggregation = this.aggregation(this.word());
      this.expect(')');
      return { kind: 'fold', aggregation };
    }
    if (name === 'sort') {
      this.expect('(');
      const keys = this.list(() => this.sortKey());
      this.expect(')');
      return { kind: 'sort', keys };
    }
    if (name === 'limit') {
      this.expect('(');
      this.skipSpaces();
      const digits = /^\d+/.exec(this.text.slice(this.at))?.[0];
      if (digits === undefined) this.fail('limit takes a whole number of series, like limit(10)');
      this.at += digits.length;
      this.skipSpaces();
      this.expect(')');
      return { kind: 'limit', count: Number(digits) };
    }
    if (AGGREGATIONS.has(name) || name === 'percentile') return { kind: 'aggregation', aggregation: this.aggregation(name) };
    if (name === '') this.fail('expected a transformation after ":"');
    this.fail(`the transformation ':${name}' is not supported here`);
  }

  aggregation(name: string): Aggregation {
    if (name === 'percentile') {
      this.expect('(');
      const start = this.at;
      while (/[0-9.]/.test(this.text[this.at] ?? '')) this.at++;
      const value = Number(this.text.slice(start, this.at));
      this.expect(')');
      if (this.at === start || !Number.isFinite(value) || value < 0 || value > 100) this.fail('percentile must be between 0 and 100');
      return { type: 'percentile', percentile: value };
    }
    if (!AGGREGATIONS.has(name)) this.fail(`unknown aggregation '${name}'`);
    return { type: name as Aggregation['type'] };
  }

  sortKey(): SortKey {
    const by = this.word();
    this.expect('(');
    this.skipSpaces();
    let key: SortKey;
    if (by === 'value') {
      const aggregation = this.aggregation(this.word());
      this.skipSpaces();
      this.expect(',');
      this.skipSpaces();
      key = { by, aggregation, direction: this.direction() };
    } else if (by === 'dimension') {
      const dimension = this.string();
      this.skipSpaces();
      this.expect(',');
      this.skipSpaces();
      const direction = this.direction();
      this.skipSpaces();
      let type: 'lexical' | 'natural' = 'lexical';
      if (this.take(',')) {
        this.skipSpaces();
        const word = this.word();
        if (word !== 'lexical' && word !== 'natural') this.fail(`sort type must be lexical or natural; got '${word}'`);
        type = word;
      }
      key = { by, key: dimension, direction, type };
    } else {
      this.fail(`sort takes value(<aggregation>,<direction>) or dimension("<key>",<direction>); got '${by}'`);
    }
    this.skipSpaces();
    this.expect(')');
    return key;
  }

  direction(): Direction {
    const word = this.word();
    if (word !== 'ascending' && word !== 'descending') this.fail(`sort direction must be ascending or descending; got '${word}'`);
    return word;
  }

  condition(): Condition {
    this.skipSpaces();
    const op = this.word();
    this.expect('(');
    let condition: Condition;
    switch (op) {
      case 'eq':
      case 'ne':
      case 'prefix':
      case 'suffix':
      case 'contains': {
        const key = this.string();
        this.expect(',');
        this.skipSpaces();
        condition = { op, key, value: this.string() };
        break;
      }
      case 'existsKey':
        condition = { op, key: this.string() };
        break;
      case 'in': {
        const key = this.string();
        this.expect(',');
        this.skipSpaces();
        if (this.word() !== 'entitySelector') this.fail('in() takes a dimension key and entitySelector("...")');
        this.expect('(');
        const entitySelector = this.string();
        this.expect(')');
        condition = { op, key, entitySelector };
        break;
      }
      case 'and':
      case 'or':
        condition = { op, items: this.list(() => this.condition()) };
        break;
      case 'not':
        condition = { op, item: this.condition() };
        break;
      default:
        this.fail(`unknown filter condition '${op}'`);
    }
    this.skipSpaces();
    this.expect(')');
    return condition;
  }

  list<T>(item: () => T): T[] {
    const items: T[] = [];
    do {
      this.skipSpaces();
      items.push(item());
      this.skipSpaces();
    } while (this.take(','));
    return items;
  }
}
