/**
 * Prints argument values as GraphQL literals. The page writes its values into the query text
 * rather than sending variables, so the query it shows is exactly the one it ran, and "Open in
 * GraphiQL" (which takes only `?query=`) reproduces it as is.
 */

export class EnumValue {
  constructor(readonly name: string) {}
}

export type Literal = string | number | boolean | null | EnumValue | Literal[] | { [key: string]: Literal | undefined };

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

export function literal(value: Literal): string {
  if (value === null) return 'null';
  if (value instanceof EnumValue) {
    if (!NAME.test(value.name)) throw new Error(`'${value.name}' is not a GraphQL enum value`);
    return value.name;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`numbers must be finite; got ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  const fields = Object.entries(value).filter(([, field]) => field !== undefined);
  for (const [key] of fields) {
    // Object literal keys must be GraphQL names; a JSON argument with other keys needs variables.
    if (!NAME.test(key)) throw new Error(`'${key}' cannot be written as a GraphQL object key (letters, digits and _ only, not starting with a digit)`);
  }
  return `{${fields.map(([key, field]) => `${key}: ${literal(field as Literal)}`).join(', ')}}`;
}

/** `(a: 1, b: "x")` without the arguments that are undefined; empty when none are left. */
export function args(values: Record<string, Literal | undefined>): string {
  const present = Object.entries(values).filter(([, value]) => value !== undefined);
  if (present.length === 0) return '';
  return `(${present.map(([name, value]) => `${name}: ${literal(value as Literal)}`).join(', ')})`;
}
