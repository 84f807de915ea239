import fc from 'fast-check';
import type { ExecutionResult } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { createColumnSchema } from '../../src/graphql/columns/column-schema.js';
import { FloatColumn } from '../../src/graphql/columns/float-column.js';
import { useColumnExecution } from '../../src/graphql/columns/use-column-execution.js';
import { createGatewayColumnSchema, createGatewaySchema } from '../../src/graphql/schema.js';

/**
 * The column schema must give exactly the answers the public schema gives: same data, errors in
 * the same places, nulls bubbling to the same field. Both are built from the same definitions and
 * resolvers, and every document runs against both.
 */
const typeDefs = [
  `type Series { name: String timestamps: [Float!]! values: [Float]! inbound: [Float] strict: [Float!] tags: [String!]! counts: [Int!]! }
   type Query { series: [Series!] one: Series list(of: [Float!]): [Float!] }`,
];
let columns: Record<string, unknown> = {};
const resolvers = [
  {
    Query: {
      series: () => [columns, { ...columns, name: 'second' }],
      one: () => columns,
      list: (_: unknown, args: { of?: number[] }) => args.of ?? null,
    },
  },
];
const publicSchema = createSchema({ typeDefs, resolvers }) as never;
const columnSchema = createColumnSchema(typeDefs, resolvers);

/** Yoga as the gateway runs it, with and without column execution. */
const context = () => ({ reported: [], warnings: [], pacer: undefined });
const plainYoga = createYoga({ schema: publicSchema, context, logging: false });
let executed: ExecutionResult | undefined;
const lastResult = { onExecute: () => ({ onExecuteDone: ({ result }: { result: unknown }) => void (executed = result as ExecutionResult) }) };
const columnYoga = createYoga({ schema: publicSchema, context, logging: false, plugins: [useColumnExecution(columnSchema), lastResult] });

async function ask(yoga: typeof plainYoga, query: string): Promise<ExecutionResult> {
  const response = await yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()) as ExecutionResult;
}

async function both(query: string, data: Record<string, unknown>): Promise<[ExecutionResult, ExecutionResult]> {
  columns = { name: 'first', tags: ['a'], counts: [1, 2], timestamps: [1, 2], values: [], ...data };
  return [await ask(plainYoga, query), await ask(columnYoga, query)];
}

/** The same answer, errors (messages, paths) included. */
function expectSameAnswer([plain, column]: [ExecutionResult, ExecutionResult]): void {
  expect(column).toEqual(plain);
}

const QUERY = '{ series { name timestamps values inbound strict tags counts } one { ...F __typename } } fragment F on Series { t: timestamps v: values }';

describe('float columns', () => {
  it('answers plain series exactly as the public schema does', async () => {
    const answers = await both(QUERY, { timestamps: [1, 2.5, 1.7e12], values: [0, null, -3.25], inbound: null, strict: [4] });
    expect(answers[1].errors).toBeUndefined();
    expectSameAnswer(answers);
    // It was the column schema that answered: the lists came through whole.
    const one = (executed!.data as { one: Record<string, unknown> }).one;
    expect(one.t).toBeInstanceOf(FloatColumn);
    expect((one.t as FloatColumn).items).toBe(columns.timestamps);
  });

  it('leaves documents that introspect to the public schema', async () => {
    columns = { timestamps: [1, 2] };
    await ask(columnYoga, '{ __type(name: "Series") { fields { name } } one { timestamps } }');
    expect((executed!.data as { one: Record<string, unknown> }).one.timestamps).toEqual([1, 2]);
    const described = await ask(columnYoga, '{ __type(name: "Series") { fields { name type { kind ofType { kind ofType { kind name } } } } } }');
    const timestamps = (described.data as any).__type.fields.find((field: { name: string }) => field.name === 'timestamps');
    expect(timestamps.type).toEqual({ kind: 'NON_NULL', ofType: { kind: 'LIST', ofType: { kind: 'NON_NULL', name: null } } });
  });

  it('runs a query with a refused item again the ordinary way, without repeating what it reported', async () => {
    const reported: unknown[] = [];
    const reporting = [...resolvers, { Series: { name: (_: unknown, __: unknown, ctx: { reported: unknown[] }) => (ctx.reported.push('said'), 'n') } }];
    const yoga = createYoga({
      schema: createSchema({ typeDefs, resolvers: reporting }) as never,
      context: () => ({ reported, warnings: [], pacer: undefined }),
      logging: false,
      plugins: [useColumnExecution(createColumnSchema(typeDefs, reporting))],
    });
    columns = { timestamps: [1, Number.NaN], values: [], tags: [], counts: [] };
    const answer = await ask(yoga as never, '{ one { name timestamps } }');
    expect(answer.errors![0]!.path).toEqual(['one', 'timestamps', 1]);
    expect(reported).toEqual(['said']);
  });

  it('matches Float on any list of odd items: coercions, gaps, NaN, nulls where none may be', async () => {
    const item = fc.oneof(
      fc.double(),
      fc.constantFrom(null, undefined, true, false, '2.5', 'x', Number.NaN, Number.POSITIVE_INFINITY, -0, 1.7e12),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 8 }), fc.array(item, { maxLength: 8 }), fc.option(fc.array(item, { maxLength: 4 })), async (timestamps, values, strict) => {
        expectSameAnswer(await both(QUERY, { timestamps, values, inbound: values, strict }));
      }),
      { numRuns: 300 },
    );
  });

  it('takes typed arrays and other iterables, and refuses a value that is not a list as graphql-js does', async () => {
    expectSameAnswer(await both(QUERY, { timestamps: new Float64Array([1, 2]), values: new Set([1, null]), strict: [1] }));
    const answers = await both('{ one { name timestamps } }', { timestamps: 5 });
    expectSameAnswer(answers);
    expect(answers[1].data).toEqual({ one: null });
  });

  it('leaves arguments and input fields as they are', async () => {
    const answers = await both('{ list(of: [1, 2.5]) }', {});
    expectSameAnswer(answers);
    expect(JSON.parse(JSON.stringify(answers[1].data))).toEqual({ list: [1, 2.5] });
  });

  it('changes only float-list output fields of the gateway schema', () => {
    const gateway = createGatewaySchema();
    const column = createGatewayColumnSchema();
    const changed: string[] = [];
    for (const [name, type] of Object.entries(gateway.getTypeMap())) {
      if (name.startsWith('__') || !('getFields' in type)) continue;
      const otherFields = (column.getType(name) as typeof type).getFields();
      for (const [field, definition] of Object.entries(type.getFields())) {
        if (String(definition.type) !== String(otherFields[field]!.type)) changed.push(`${name}.${field}: ${definition.type} -> ${otherFields[field]!.type}`);
      }
    }
    expect(changed).toContain('Series.timestamps: [Float!]! -> FloatColumn!');
    expect(changed).toContain('Series.values: [Float]! -> NullableFloatColumn!');
    expect(changed).toContain('Series.inbound: [Float] -> NullableFloatColumn');
    for (const line of changed) expect(line).toMatch(/: \[Float!?\]!? -> (Nullable)?FloatColumn!?$/);
  });
});
