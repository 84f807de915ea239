import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { limitsSchema } from '../../src/limits/config.js';
import type { Gateway } from '../../src/gateway.js';
import { startGateway } from '../helpers/gateway.js';
import { send, TRANSPORTS } from '../helpers/graphql-requests.js';

/**
 * Documents built to break the parser or the validation rules get HTTP 400 with
 * DOCUMENT_LIMIT_EXCEEDED and the limit's name, over POST and GET and whatever the Accept header;
 * never a 500, and never a 200 that an application/json client would take for success.
 */

const DEFAULTS = limitsSchema.parse({});
/**
 * The cost limit is lowered so that a document over it fits the other limits (at the default,
 * 50,000 points, the alias and token limits stop a document long before its cost does):
 * `sources { id }` costs 2 (object) + 1.5 (scalar one level down), 50 of them 175.
 */
const COST_LIMIT = 100;

describe('document limits', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway({ limits: { maxCost: COST_LIMIT } });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  // Other validation errors may come along (a document over the alias limit can be wrong in other ways too).
  const refused = (limit: string) => ({
    status: 400,
    body: { errors: expect.arrayContaining([expect.objectContaining({ extensions: { code: 'DOCUMENT_LIMIT_EXCEEDED', limit } })]) },
  });

  // Past the nesting limit but far below what the recursive parser survives: proves the scan, not the stack.
  const overNesting = DEFAULTS.maxNesting + 1;
  const nestedLiteral = (depth: number) => `{ metrics(search: ${'['.repeat(depth)}"x"${']'.repeat(depth)}) { name } }`;

  it.each(TRANSPORTS)('refuses nested list literals before parsing (%s)', async (transport) => {
    expect(await send(gateway.url, transport, nestedLiteral(overNesting))).toMatchObject(refused('nesting'));
  });

  it('refuses 3,000 nested list literals (once a stack overflow and a 500)', async () => {
    expect(await send(gateway.url, 'POST application/json', nestedLiteral(3000))).toMatchObject(refused('nesting'));
    expect(await send(gateway.url, 'POST application/graphql-response+json', nestedLiteral(3000))).toMatchObject(refused('nesting'));
  });

  it.each([
    ['list literals', nestedLiteral(overNesting)],
    ['object literals', `{ metrics(search: ${'{a:'.repeat(overNesting)}1${'}'.repeat(overNesting)}) { name } }`],
    ['selection sets', `${'{ a '.repeat(overNesting)}${'}'.repeat(overNesting)}`],
    ['parentheses', `{ a${'('.repeat(overNesting)} }`],
  ])('names the nesting limit for nested %s', async (_, query) => {
    expect(await send(gateway.url, 'POST application/json', query)).toMatchObject(refused('nesting'));
  });

  it('counts no brackets inside strings, block strings or comments', async () => {
    const inside = '['.repeat(10 * DEFAULTS.maxNesting);
    const query = `# ${inside}\n{ a: metrics(search: "${inside}") { name } b: metrics(search: """${inside}""") { name } }`;
    const answer = await send(gateway.url, 'POST application/json', query);
    expect(answer).toMatchObject({ status: 200, body: { data: { a: [], b: [] } } });
  });

  it('lets a document at the nesting limit through to validation', async () => {
    // One level of the limit is the operation's own braces, one the argument's parentheses.
    const atLimit = nestedLiteral(DEFAULTS.maxNesting - 2);
    const answer = await send(gateway.url, 'POST application/graphql-response+json', atLimit);
    expect(answer.status).toBe(400);
    // A list is no String: validation says so, the nesting scan let it pass.
    expect(answer.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
  });

  const fields = (n: number, field: (i: number) => string) => `{ ${Array.from({ length: n }, (_, i) => field(i)).join(' ')} }`;
  it.each(TRANSPORTS.flatMap((transport) => [
    // Short tokens: a GET's URL must stay under Node's 16 KiB header limit (or Node answers 431 itself).
    [transport, 'tokens', fields(DEFAULTS.maxTokens, () => 'a')],
    // __typename aliases are free: armor's allow list.
    [transport, 'aliases', fields(DEFAULTS.maxAliases + 1, (i) => `a${i}: sources { id }`)],
    [transport, 'directives', `{ __typename ${'@include(if: true) '.repeat(DEFAULTS.maxDirectives + 1)}}`],
    [transport, 'depth', `{ sources ${'{ __typename ...on Source '.repeat(0)}{ id } }`.replace('{ id }', nestedSelection(DEFAULTS.maxDepth + 1))],
    [transport, 'cost', fields(DEFAULTS.maxAliases, (i) => `s${i}: sources { id }`)],
  ]))('%s: names the %s limit with HTTP 400', async (transport, limit, query) => {
    expect(await send(gateway.url, transport, query)).toMatchObject(refused(limit));
  });

  it('answers the shape docs/limits.md shows, and its example config is the defaults', async () => {
    const manual = readFileSync(new URL('../../docs/limits.md', import.meta.url), 'utf8');
    const block = (language: string) => new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(manual)![1]!;
    const answer = await send(gateway.url, 'POST application/json', nestedLiteral(overNesting));
    expect(answer.body).toEqual(JSON.parse(block('json')));
    const example = (parseYaml(block('yaml')) as { limits: Record<string, unknown> }).limits;
    expect(limitsSchema.parse(example)).toEqual(DEFAULTS);
    expect(Object.keys(example).sort()).toEqual(Object.keys(DEFAULTS).filter((key) => key !== 'rateLimit').sort());
  });

  it('keeps answering while refusing', async () => {
    expect((await fetch(`${gateway.url}/livez`)).status).toBe(200);
  });
});

/** `{ a { a { ... } } }` deep enough for the depth rule: fields need not exist, depth is checked first. */
function nestedSelection(depth: number): string {
  return `${'{ sources '.repeat(depth)}{ id }${' }'.repeat(depth)}`;
}
