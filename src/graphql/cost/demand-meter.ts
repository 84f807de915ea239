import { formatDuration, MS } from '../../core/duration.js';
import { BadUserInputError } from '../../core/errors.js';
import { smallestFittingStep } from '../../core/points.js';

/**
 * What one point counts against a budget when the answer carries it as a `Point` object
 * (`points { timestamp value }`, aggregate `buckets`, trend `series`): graphql-js resolves an object
 * and formats an ISO time per point, some 10 to 60 times the CPU and 10 times the bytes of the same
 * point in the columnar `timestamps`/`values` (bench/demand.ts). A point in columns counts 1.
 */
export const POINT_OBJECT_COST = 10;

export interface DemandBudgets {
  /** Points one root field may build (a point sent as a Point object counts POINT_OBJECT_COST). */
  maxPointsPerField: number;
  /** Points all root fields of one request may build together (counted as for one field). */
  maxPointsPerRequest: number;
  /** Spacing of raw points assumed when a source cannot say, for queries without interval. */
  assumedRawIntervalMs: number;
}

/** What a root field is about to build, worked out before any source is asked. */
export interface FieldDemand {
  /** The field's response key (its alias, or its name). */
  field: string;
  /** Series (or groups) the answer is expected to hold. */
  series: number;
  /** Points each holds: buckets of the interval, or the source's raw points. */
  pointsPerSeries: number;
  rangeMs: number;
  /** The interval asked for; absent for raw points. */
  stepMs?: number;
  /** False where a coarser interval cannot help (allocation's days): the fix is a shorter range. */
  intervalFixes?: boolean;
  /** The argument a refusal names in `extensions.field`. @default 'interval' */
  argument?: string;
  /** What each point counts: 1 in columns, POINT_OBJECT_COST as a Point object. @default 1 */
  costPerPoint?: number;
}

/** Apollo Router's result codes for demand control. */
export type CostResult = 'COST_OK' | 'COST_ESTIMATED_TOO_EXPENSIVE' | 'COST_ACTUAL_TOO_EXPENSIVE';

/** `extensions.cost` of a response: what was estimated before asking and what was built. */
export interface CostExtension {
  unit: 'points';
  estimated: number;
  actual: number;
  max: number;
  result: CostResult;
  fields: Record<string, { estimated: number; actual?: number; max: number }>;
}

type Budget = 'maxPointsPerField' | 'maxPointsPerRequest';

/**
 * BAD_USER_INPUT for a field over a demand budget. `extensions.cost` says which budget, its size,
 * the estimate (or the count reached) and, where one helps, the smallest interval that fits.
 */
export class DemandExceededError extends BadUserInputError {
  constructor(
    message: string,
    readonly cost: { budget: Budget; max: number; estimated?: number; actual?: number; suggestedInterval?: string },
    argument = 'interval',
  ) {
    super(message, { field: argument });
  }

  override extensions(): Record<string, unknown> {
    return { ...super.extensions(), cost: { ...this.cost, budget: `limits.demand.${this.cost.budget}` } };
  }
}

/**
 * One request's demand: each root field is charged its estimate before it asks a source, and its
 * actual count as its answer is built. A field over `maxPointsPerField`, or one that takes the
 * request over `maxPointsPerRequest`, is refused; fields already charged keep their answers (one
 * refused field never fails the others, as with any field error).
 */
export class DemandMeter {
  #estimated = 0;
  #actual = 0;
  #result: CostResult = 'COST_OK';
  readonly #fields = new Map<string, { estimated: number; actual?: number }>();
  /** Each charged field's cost per point, for counting its actual points the same way. */
  readonly #costPerPoint = new Map<string, number>();

  constructor(readonly budgets: DemandBudgets) {}

  /** Whether any field was charged or refused: a response with neither carries no `extensions.cost`. */
  get charged(): boolean {
    return this.#fields.size > 0 || this.#result !== 'COST_OK';
  }

  /** Charges a field its estimate, or refuses it (nothing is charged then). */
  estimate(demand: FieldDemand): number {
    const perPoint = demand.costPerPoint ?? 1;
    const points = Math.max(0, demand.series) * Math.max(0, demand.pointsPerSeries) * perPoint;
    const { maxPointsPerField, maxPointsPerRequest } = this.budgets;
    const left = maxPointsPerRequest - this.#estimated;
    if (points > maxPointsPerField) this.#refuse(demand, points, 'maxPointsPerField', maxPointsPerField, maxPointsPerField);
    if (points > left) this.#refuse(demand, points, 'maxPointsPerRequest', maxPointsPerRequest, left);
    this.#estimated += points;
    this.#fields.set(demand.field, { estimated: points });
    this.#costPerPoint.set(demand.field, perPoint);
    return points;
  }

  /**
   * Records the points a field's answer holds (each counting `costPerPoint`, by default what its
   * estimate counted). The hard guard: an answer over the field budget
   * (the estimate was wrong: more series than could be known) is refused rather than sent.
   */
  actual(field: string, built: number, costPerPoint = this.#costPerPoint.get(field) ?? 1): void {
    this.#costPerPoint.set(field, costPerPoint);
    const points = built * costPerPoint;
    const entry = this.#fields.get(field) ?? { estimated: 0 };
    entry.actual = (entry.actual ?? 0) + points;
    this.#fields.set(field, entry);
    this.#actual += points;
    const { maxPointsPerField, maxPointsPerRequest } = this.budgets;
    const over: [Budget, number] | undefined =
      entry.actual > maxPointsPerField ? ['maxPointsPerField', maxPointsPerField]
        : this.#actual > maxPointsPerRequest ? ['maxPointsPerRequest', maxPointsPerRequest] : undefined;
    if (!over) return;
    this.#result = 'COST_ACTUAL_TOO_EXPENSIVE';
    const [budget, max] = over;
    throw new DemandExceededError(
      `${field}: the answer ${this.#costPerPoint.get(field) === 1 ? 'holds' : 'counts'} ${entry.actual} points, more than estimated (${entry.estimated}); limits.demand.${budget} is ${max}. ` +
        'Use a coarser interval, a shorter range or filters that match fewer series',
      { budget, max, estimated: entry.estimated, actual: entry.actual },
    );
  }

  summary(): CostExtension {
    const fields: CostExtension['fields'] = {};
    for (const [name, entry] of this.#fields) fields[name] = { ...entry, max: this.budgets.maxPointsPerField };
    return { unit: 'points', estimated: this.#estimated, actual: this.#actual, max: this.budgets.maxPointsPerRequest, result: this.#result, fields };
  }

  #refuse(demand: FieldDemand, points: number, budget: Budget, max: number, room: number): never {
    this.#result = 'COST_ESTIMATED_TOO_EXPENSIVE';
    const perPoint = demand.costPerPoint ?? 1;
    const shape = `${demand.series} series x ${demand.pointsPerSeries} points over ${roughly(demand.rangeMs)}` +
      (demand.stepMs !== undefined ? ` at ${formatDuration(demand.stepMs)}` : ' of raw points') +
      (perPoint !== 1 ? `, each a Point object counting ${perPoint}` : '');
    const taken = budget === 'maxPointsPerRequest' ? ` (${max - room} already taken by other fields of this request)` : '';
    const step = demand.intervalFixes === false || room < 2 ? undefined : smallestFittingStep(demand.rangeMs, demand.series, Math.floor(room / perPoint));
    const fix = step !== undefined && step < demand.rangeMs
      ? `use an interval of at least ${formatDuration(step)} or a shorter range`
      : 'use a shorter range or filters that match fewer series';
    throw new DemandExceededError(
      `${demand.field} would ${perPoint === 1 ? 'build' : 'count'} about ${points} points (${shape}); limits.demand.${budget} is ${max}${taken}. To fit, ${fix}`,
      { budget, max, estimated: points, ...(step !== undefined && step < demand.rangeMs ? { suggestedInterval: formatDuration(step) } : {}) },
      demand.argument,
    );
  }
}

/** A range as people say it: aligned ranges are a step longer than asked (`525601m` reads as `365d`). */
function roughly(ms: number): string {
  for (const [size, unit] of [[MS.DAY, 'd'], [MS.HOUR, 'h'], [MS.MINUTE, 'm']] as const) {
    if (ms >= 2 * size) return ms % size === 0 ? formatDuration(ms) : `${Math.round(ms / size)}${unit}`;
  }
  return formatDuration(ms);
}
