import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import type { ProviderAdapter } from '../core/index.js';
import { applyClientKeysFromEnv, applyEnvOverrides } from './env-overrides.js';
import { interpolate, MissingVariableError } from './interpolate.js';
import { gatewayConfigSchema, type GatewayConfig } from './schema.js';

/** Relative to the working directory, as in the repository and the Docker image (/app/config/gateway.yaml). */
export const defaultConfigPath = resolve(process.cwd(), 'config/gateway.yaml');

/** Everything wrong with a config file, one line per problem, each naming its key path. Only server.ts prints it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid configuration in ${source}:\n  - ${problems.join('\n  - ')}`);
  }
}

export interface LoadOptions {
  /** Defaults to GATEWAY_CONFIG, then config/gateway.yaml. */
  path?: string;
  /** Defaults to process.env; tests and the demo pass their own. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The adapters the file may name (providers/index.ts). */
  adapters: readonly ProviderAdapter[];
}

/** The file loadConfig reads: `path`, else GATEWAY_CONFIG, else config/gateway.yaml. */
export function configPath(options: Pick<LoadOptions, 'path' | 'env'> = {}): string {
  return options.path ?? (options.env ?? process.env).GATEWAY_CONFIG ?? defaultConfigPath;
}

export function loadConfig(options: LoadOptions): GatewayConfig {
  const env = options.env ?? process.env;
  const path = configPath(options);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [`cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return parseConfig(text, { ...options, env, source: path });
}

export function parseConfig(
  text: string,
  options: LoadOptions & { source?: string; env?: Readonly<Record<string, string | undefined>> },
): GatewayConfig {
  const source = options.source ?? '(inline)';
  const env = options.env ?? {};
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}` : '';
    throw new ConfigError(source, [`not valid YAML${where}`]);
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new ConfigError(source, ['(root): expected a mapping with server, routing and providers']);
  }
  let raw: Record<string, unknown>;
  try {
    raw = interpolate(document, env) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof MissingVariableError) throw new ConfigError(source, [error.message]);
    throw error;
  }
  const configured = Object.keys((raw.providers as Record<string, unknown> | null | undefined) ?? {});
  const vendorNames = [...new Set([...options.adapters.map((adapter) => adapter.name), ...configured])];
  const parsed = gatewayConfigSchema.safeParse(applyClientKeysFromEnv(applyEnvOverrides(raw, vendorNames, env), env));
  if (!parsed.success) throw new ConfigError(source, parsed.error.issues.map(describeIssue));
  const problems = crossCheck(parsed.data, options.adapters);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return parsed.data;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${path}: ${issue.message}`;
}

/**
 * What zod cannot see alone: capabilities must be ones the adapter declares. A block for a vendor without an adapter
 * is not an error (the file may list vendors a build does not ship yet); the registry lists it as disabled and the
 * gateway warns at start-up.
 */
function crossCheck(config: GatewayConfig, adapters: readonly ProviderAdapter[]): string[] {
  const problems: string[] = [];
  const byName = new Map(adapters.map((adapter) => [adapter.name, adapter]));
  for (const [name, provider] of Object.entries(config.providers)) {
    const adapter = byName.get(name);
    if (!adapter) continue;
    for (const capability of provider.capabilities ?? []) {
      if (!(capability in adapter.capabilities)) {
        problems.push(
          `providers.${name}.capabilities: "${capability}" is not declared by the ${name} adapter ` +
            `(it declares: ${Object.keys(adapter.capabilities).join(', ')})`,
        );
      }
    }
  }
  return problems;
}

/**
 * Why the production process must not start with this configuration: keys mode with no key to accept (unless Redis,
 * which may hold issued keys, is set). Open mode has to be asked for explicitly.
 */
export function startupRefusal(config: GatewayConfig): string | null {
  if (config.auth.mode !== 'keys' || config.auth.keys.length > 0 || config.store.redisUrl) return null;
  return (
    'no client API keys: set GATEWAY_API_KEYS (and GATEWAY_ADMIN_KEY), add auth.keys to the configuration, ' +
    'or set auth.mode: open to let anyone call the gateway (docs/security.md)'
  );
}
