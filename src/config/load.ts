import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { demoConfig } from './demo.js';
import { formatPath, interpolateEnv, type InterpolationProblem } from './interpolate.js';
import { configSchema, SOURCE_KINDS_CONFIGURABLE, type GatewayConfig, type GatewayConfigInput } from './schema.js';

/** Every problem with a config, one line each, each naming its path. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`invalid configuration in ${file}:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  /** Sources the demo adds when no config is given (the emulators it started). */
  demoSources?: GatewayConfigInput['sources'];
}

/** The config file named by `--config` or GATEWAY_CONFIG, or undefined for the demo. */
export function configFile(options: LoadOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  return configPath(options.argv ?? process.argv.slice(2)) ?? (env.GATEWAY_CONFIG || undefined);
}

/**
 * Finds, reads and validates the configuration: `--config PATH` first, then GATEWAY_CONFIG, and
 * with neither the built-in demo. PORT and REDIS_URL from the environment override the file.
 */
export function loadConfig(options: LoadOptions = {}): GatewayConfig {
  const env = options.env ?? process.env;
  const file = configFile(options);
  if (!file) return validateConfig(demoConfig(options.demoSources), 'the demo configuration', env);

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [`cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
  }
  let tree: unknown;
  try {
    tree = parseYaml(text);
  } catch (error) {
    const message = error instanceof YAMLParseError ? error.message.split('\n')[0]! : String(error);
    throw new ConfigError(file, [`not valid YAML: ${message}`]);
  }
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) {
    throw new ConfigError(file, ['(root): must be a mapping of settings (port, redis, sources, ...)']);
  }
  return validateConfig(tree, file, env);
}

/** Interpolates, applies environment overrides and validates a parsed config tree. */
export function validateConfig(
  tree: unknown,
  file: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): GatewayConfig {
  const problems: InterpolationProblem[] = [];
  const interpolated = interpolateEnv(tree, env, problems) as Record<string, unknown>;
  const withOverrides = applyEnvOverrides(interpolated, env, problems);
  const result = configSchema.safeParse(withOverrides, { error: describeIssue });
  const lines = problems.map((problem) => `${formatPath(problem.path)}: ${problem.message}`);
  // A value already reported as a missing variable needs no second complaint about its shape.
  const reported = new Set(lines.map((line) => line.slice(0, line.indexOf(': '))));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = formatPath(issue.path);
      if (!reported.has(path)) lines.push(`${path}: ${issue.message}`);
    }
  }
  lines.push(...duplicateSourceIds(withOverrides.sources));
  if (lines.length > 0) throw new ConfigError(file, lines);
  return result.data!;
}

/** Checked on the raw tree so duplicates are reported even when other settings are wrong too. */
function duplicateSourceIds(sources: unknown): string[] {
  if (!Array.isArray(sources)) return [];
  const seen = new Map<string, number>();
  const lines: string[] = [];
  sources.forEach((source: unknown, i) => {
    const id = (source as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || id === '') return;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else lines.push(`sources[${i}].id: '${id}' is already used by sources[${first}]`);
  });
  return lines;
}

function applyEnvOverrides(
  tree: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  problems: InterpolationProblem[],
): Record<string, unknown> {
  const out = { ...tree };
  if (env.PORT !== undefined && env.PORT !== '') {
    const port = /^\d+$/.test(env.PORT) ? Number(env.PORT) : Number.NaN;
    if (!Number.isInteger(port)) problems.push({ path: ['PORT'], message: `must be a port number; got '${env.PORT}'` });
    else out.port = port;
  }
  if (env.REDIS_URL !== undefined && env.REDIS_URL !== '') {
    const redis = typeof out.redis === 'object' && out.redis !== null ? out.redis : {};
    out.redis = { ...redis, url: env.REDIS_URL };
  }
  return out;
}

function configPath(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config' || arg === '-c') return argv[i + 1];
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return undefined;
}

/** Plain words for zod's most common complaints. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  if (issue.code === 'invalid_type') return `must be ${article(issue.expected)}; got ${JSON.stringify(issue.input)}`;
  if (issue.code === 'unrecognized_keys') return `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `'${key}'`).join(', ')}`;
  if (issue.code === 'too_big') return `must be at most ${String(issue.maximum)}; got ${JSON.stringify(issue.input)}`;
  if (issue.code === 'too_small' && issue.origin === 'array') return `must have at least ${String(issue.minimum)} item(s)`;
  if (issue.code === 'too_small') return `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}; got ${JSON.stringify(issue.input)}`;
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    const input = issue.input as Record<string, unknown> | undefined;
    return `kind must be one of ${SOURCE_KINDS_CONFIGURABLE.join(', ')}; got ${JSON.stringify(input?.[issue.discriminator as string])}`;
  }
  return undefined;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
