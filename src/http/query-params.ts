import { HttpProblem } from './http-problem.js';

/**
 * Query-string parameters of one REST route, checked strictly: an unknown or repeated parameter
 * is an error that lists the accepted ones (a typo such as `servce=` would otherwise return
 * every series without a word), and each value is parsed with a message that shows it.
 */
export class QueryParams {
  readonly #values = new Map<string, string>();

  constructor(
    url: URL,
    readonly route: string,
    allowed: readonly string[],
  ) {
    for (const [name, value] of url.searchParams) {
      if (!allowed.includes(name)) {
        throw bad(`${route} does not take the query parameter '${name}'; it takes ${allowed.map((a) => `'${a}'`).join(', ')}`, name);
      }
      if (this.#values.has(name)) throw bad(`${route}: query parameter '${name}' is given more than once`, name);
      this.#values.set(name, value);
    }
  }

  string(name: string): string | undefined {
    const value = this.#values.get(name);
    if (value === undefined) return undefined;
    if (value.trim() === '') throw bad(`${this.route}: query parameter '${name}' is empty; leave it out or give a value`, name);
    return value;
  }

  integer(name: string, min: number, max: number): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw bad(`${this.route}: ${name} must be a whole number from ${min} to ${max}; got '${raw}'`, name);
    }
    return value;
  }

  number(name: string, min: number, max: number, exclusiveMin = false): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const value = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    if (!Number.isFinite(value) || value > max || (exclusiveMin ? value <= min : value < min)) {
      throw bad(`${this.route}: ${name} must be a number ${exclusiveMin ? 'above' : 'from'} ${min}${exclusiveMin ? ' and at most' : ' to'} ${max}; got '${raw}'`, name);
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const normalised = raw.trim().toLowerCase();
    if (['true', '1', 'yes'].includes(normalised)) return true;
    if (['false', '0', 'no'].includes(normalised)) return false;
    throw bad(`${this.route}: ${name} must be true or false; got '${raw}'`, name);
  }
}

function bad(message: string, field: string): HttpProblem {
  return new HttpProblem(400, message, 'BAD_USER_INPUT', field);
}
