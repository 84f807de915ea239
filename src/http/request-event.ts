import type { Plugin } from 'graphql-yoga';

/**
 * What yoga hands an `onRequest` hook. Hooks that serve one path return nothing at once for
 * every other path and keep their async work in a function of its own: an `async` hook would
 * make a promise, and a turn of the microtask queue, for every request to every path.
 */
export type RequestEvent = Parameters<NonNullable<Plugin['onRequest']>>[0];
