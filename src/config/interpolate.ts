/** `${VAR}` and `${VAR:-default}` in string values; `$${` escapes a literal `${`. */
const reference = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export class MissingVariableError extends Error {
  constructor(
    readonly variable: string,
    readonly path: string,
  ) {
    super(
      `${path}: environment variable ${variable} is not set and has no default (write \${${variable}:-} for empty)`,
    );
  }
}

export function interpolate(value: unknown, env: Readonly<Record<string, string | undefined>>, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(reference, (match, name: string | undefined, fallback: string | undefined) => {
      if (match === '$${') return '${';
      const resolved = env[name as string];
      if (resolved !== undefined && resolved !== '') return resolved;
      if (fallback !== undefined) return fallback;
      throw new MissingVariableError(name as string, path || '(root)');
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolate(item, env, `${path}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, env, path ? `${path}.${key}` : key)]),
    );
  }
  return value;
}
