/**
 * `${VAR}` substitution over a parsed config tree, so secrets stay in the environment. Done on
 * the parsed tree, not the text, so a value can never break the YAML around it and every missing
 * variable is reported with the path of the value that needed it. `${VAR:-fallback}` gives a
 * default; `$${` writes a literal `${`.
 */
export interface InterpolationProblem {
  path: Array<string | number>;
  message: string;
}

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function interpolateEnv(
  tree: unknown,
  env: Readonly<Record<string, string | undefined>>,
  problems: InterpolationProblem[],
  path: Array<string | number> = [],
): unknown {
  if (typeof tree === 'string') {
    return tree.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
      if (match === '$${') return '${';
      const value = env[name!];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      problems.push({ path, message: `environment variable ${name} is not set` });
      return '';
    });
  }
  if (Array.isArray(tree)) return tree.map((item, i) => interpolateEnv(item, env, problems, [...path, i]));
  if (tree !== null && typeof tree === 'object') {
    return Object.fromEntries(
      Object.entries(tree).map(([key, value]) => [key, interpolateEnv(value, env, problems, [...path, key])]),
    );
  }
  return tree;
}

/** ['sources', 1, 'apiKey'] -> "sources[1].apiKey" */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '(root)';
}
