export { TimeScalar } from './time.js';
export { DurationScalar } from './duration.js';
export { DecimalScalar } from './decimal.js';
export { JSONScalar } from './json.js';
export { ScalarInputError } from './input-error.js';
