/**
 * Calls that send one GraphQL request the ways a client can (POST or GET, either Accept) and
 * return what came back, for the abuse tests of document and input limits.
 */

export type Transport = 'POST application/json' | 'POST application/graphql-response+json' | 'GET application/json' | 'GET application/graphql-response+json';

export const TRANSPORTS: Transport[] = ['POST application/json', 'POST application/graphql-response+json', 'GET application/json', 'GET application/graphql-response+json'];

export interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}

/** Variables already written as JSON: a value nested 100,000 deep overflows JSON.stringify here too. */
export class JsonText {
  constructor(readonly text: string) {}
}

/** `{"a":{"a":...1...}}` nested `depth` levels deep, as text. */
export function nestedObjectJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** `[[..."x"...]]` nested `depth` levels deep, as text. */
export function nestedListJson(depth: number): string {
  return `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;
}

export async function send(url: string, transport: Transport, query: string, variables?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const [method, accept] = transport.split(' ') as ['POST' | 'GET', string];
  const variablesText = variables === undefined ? undefined : variables instanceof JsonText ? variables.text : JSON.stringify(variables);
  const response =
    method === 'POST'
      ? await fetch(`${url}/graphql`, {
          method,
          headers: { 'content-type': 'application/json', accept, ...headers },
          body: `{"query":${JSON.stringify(query)}${variablesText === undefined ? '' : `,"variables":${variablesText}`}}`,
        })
      : await fetch(`${url}/graphql?${new URLSearchParams({ query, ...(variablesText === undefined ? {} : { variables: variablesText }) })}`, {
          headers: { accept, 'x-graphql-yoga-csrf': '1', ...headers },
        });
  const text = await response.text();
  let body: Answer['body'];
  try {
    body = JSON.parse(text) as Answer['body'];
  } catch {
    body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, body };
}
