import type { SeriesEntity } from './metrics.js';

/**
 * Entity selectors (`type("SERVICE"),tag("region:eu-west"),mzName("production")`) and management
 * zone selectors (`mzName("a","b"),mzId(1)`) for the emulator. Criteria are comma-separated and
 * all must match; values inside one criterion are alternatives. Supported: type, entityId, tag
 * (`key:value` or `value`), entityName / entityName.equals / .startsWith / .in, mzId, mzName and
 * not(...). An entity selector must name a type or entity ids, as the real API demands.
 */

export class EntitySelectorError extends Error {}

type Predicate = (entity: SeriesEntity) => boolean;

interface Criterion {
  name: string;
  args: string[];
  inner?: Criterion;
}

export function parseEntitySelector(text: string): Predicate {
  const criteria = parseCriteria(text);
  if (!criteria.some((criterion) => criterion.name === 'type' || criterion.name === 'entityId')) {
    throw new EntitySelectorError('The entity selector must contain a type(...) or entityId(...) criterion.');
  }
  const predicates = criteria.map(toPredicate);
  return (entity) => predicates.every((predicate) => predicate(entity));
}

export function parseMzSelector(text: string): Predicate {
  const criteria = parseCriteria(text);
  for (const criterion of criteria) {
    if (criterion.name !== 'mzId' && criterion.name !== 'mzName') throw new EntitySelectorError(`Predicate name ${criterion.name} is not applicable to mzSelector; use mzId(..) or mzName(..).`);
  }
  const predicates = criteria.map(toPredicate);
  return (entity) => predicates.every((predicate) => predicate(entity));
}

function toPredicate(criterion: Criterion): Predicate {
  const { name, args } = criterion;
  if (name !== 'not' && args.length === 0) throw new EntitySelectorError(`Predicate ${name} needs at least one value.`);
  switch (name) {
    case 'type':
      return (entity) => args.includes(entity.type);
    case 'entityId':
      return (entity) => args.includes(entity.id);
    case 'tag':
      return (entity) => args.some((tag) => entity.tags.includes(tag));
    case 'entityName':
    case 'entityName.equals':
    case 'entityName.in':
      return (entity) => args.some((value) => entity.name.toLowerCase() === value.toLowerCase());
    case 'entityName.startsWith':
      return (entity) => args.some((value) => entity.name.toLowerCase().startsWith(value.toLowerCase()));
    case 'mzId':
      return (entity) => entity.zones.some((zone) => args.includes(zone.id));
    case 'mzName':
      return (entity) => entity.zones.some((zone) => args.includes(zone.name));
    case 'not': {
      if (!criterion.inner) throw new EntitySelectorError('not(...) takes one criterion.');
      if (criterion.inner.name === 'type') throw new EntitySelectorError('not(...) cannot invert the type criterion.');
      const inner = toPredicate(criterion.inner);
      return (entity) => !inner(entity);
    }
    default:
      throw new EntitySelectorError(`Predicate name ${name} is not supported by this emulator.`);
  }
}

function parseCriteria(text: string): Criterion[] {
  const criteria: Criterion[] = [];
  let at = 0;
  const fail = (message: string): never => {
    throw new EntitySelectorError(`Entity selector parse error at position ${at}: ${message}`);
  };
  const skip = () => {
    while (text[at] === ' ') at++;
  };
  const criterion = (): Criterion => {
    skip();
    const start = at;
    while (at < text.length && /[A-Za-z.]/.test(text[at]!)) at++;
    const name = text.slice(start, at);
    if (name === '') fail('expected a criterion such as type("SERVICE")');
    if (text[at] !== '(') fail(`expected '(' after ${name}`);
    at++;
    if (name === 'not') {
      const inner = criterion();
      skip();
      if (text[at] !== ')') fail("expected ')'");
      at++;
      return { name, args: [], inner };
    }
    const args: string[] = [];
    skip();
    while (text[at] !== ')') {
      if (at >= text.length) fail("expected ')'");
      args.push(value());
      skip();
      if (text[at] === ',') at++;
      else if (text[at] !== ')') fail("expected ',' or ')'");
      skip();
    }
    at++;
    return { name, args };
  };
  const value = (): string => {
    if (text[at] !== '"') {
      const start = at;
      while (at < text.length && !/[,)]/.test(text[at]!)) at++;
      return text.slice(start, at).trim();
    }
    at++;
    let out = '';
    while (at < text.length) {
      const char = text[at++]!;
      if (char === '\\' || char === '~') out += text[at++] ?? '';
      else if (char === '"') return out;
      else out += char;
    }
    return fail('unterminated string');
  };
  do {
    criteria.push(criterion());
    skip();
  } while (text[at] === ',' && ++at);
  if (at < text.length) fail(`unexpected '${text[at]}'`);
  return criteria;
}
