/**
 * Thrown by scalar parsers. It is a plain Error with an `extensions` object on purpose: graphql-js
 * wraps scalar errors in its own GraphQLError and copies `extensions` from the original, so the
 * code survives both the literal path (validation) and the variables path (coercion). The
 * argument name is added afterwards by useInputErrors, which knows where the value sat.
 */
export class ScalarInputError extends Error {
  readonly extensions = { code: 'BAD_USER_INPUT' } as const;

  constructor(
    readonly scalar: string,
    message: string,
  ) {
    super(message);
    this.name = 'ScalarInputError';
  }
}

/** Runs a core parser and turns its error into a ScalarInputError for `scalar`. */
export function parseAs<T>(scalar: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new ScalarInputError(scalar, (error as Error).message);
  }
}

/** "FloatValue" -> "a float", "ObjectValue" -> "an object": for "got a float value" messages. */
export function describeKind(kind: string): string {
  const word = kind.replace(/Value$/, '').toLowerCase();
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}
