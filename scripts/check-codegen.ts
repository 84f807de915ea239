import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import config from '../codegen.js';

/**
 * Fails when the checked-in generated resolver types differ from what schema/*.graphql produces,
 * so a schema change cannot land without its types. Fix with `npm run codegen`.
 */
const outputs: Array<{ filename: string; content: string }> = await generate({ ...config, silent: true }, false);
const stale = outputs.filter((output) => {
  try {
    return readFileSync(output.filename, 'utf8') !== output.content;
  } catch {
    return true;
  }
});
if (stale.length > 0) {
  console.error(`generated code is out of date: ${stale.map((output) => output.filename).join(', ')}; run npm run codegen`);
  process.exit(1);
}
console.log(`generated code is up to date (${outputs.length} file${outputs.length === 1 ? '' : 's'})`);
