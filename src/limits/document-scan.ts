import { Lexer, Source, TokenKind } from 'graphql';

export interface DocumentShape {
  /** Lexical tokens, counted up to one past the limit asked for. */
  tokens: number;
  /** Deepest nesting of braces, brackets and parentheses together. */
  nesting: number;
}

const OPENERS = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSERS = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * Counts tokens and nesting of a GraphQL document with graphql-js's own lexer, before the
 * (recursive) parser sees it: 3,000 nested list literals overflow the parser's stack, and a
 * document that long is refused here at the cost of one linear pass. Strings, block strings and
 * comments are single tokens to the lexer, so brackets inside them do not count. Stops once
 * either limit is passed. Returns undefined for text the lexer refuses: the parser then reports
 * the syntax error itself.
 */
export function scanDocument(text: string, maxTokens: number, maxNesting: number): DocumentShape | undefined {
  const lexer = new Lexer(new Source(text));
  let tokens = 0;
  let depth = 0;
  let nesting = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      tokens++;
      if (OPENERS.has(token.kind)) {
        depth++;
        if (depth > nesting) nesting = depth;
      } else if (CLOSERS.has(token.kind)) {
        depth--;
      }
      if (tokens > maxTokens || nesting > maxNesting) break;
    }
  } catch {
    return undefined;
  }
  return { tokens, nesting };
}
