import { BadUserInputError, type GatewayErrorOptions } from '../../../core/errors.js';

/**
 * Why an export document was refused: where in the JSON (`$.metrics[0].data[2].values[5]`) and
 * what is wrong there. A refused document changes nothing: documents are checked whole before
 * any of their values is stored.
 */
export class ExportDocumentError extends BadUserInputError {
  constructor(
    readonly jsonPath: string,
    readonly reason: string,
    options: GatewayErrorOptions = {},
  ) {
    super(`${jsonPath}: ${reason}`, options);
  }

  override extensions(): Record<string, unknown> {
    return { ...super.extensions(), jsonPath: this.jsonPath };
  }
}

export function fail(path: string, reason: string): never {
  throw new ExportDocumentError(path, reason);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value as it appears in a message: short, and never the whole of a huge array. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (isObject(value)) return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
