import { hash } from 'node:crypto';

/**
 * `<NAME>_API_KEY`, `<NAME>_BASE_URL` and `<NAME>_STREAM_URL` for every vendor with a block in the file, so an operator or a test can set a
 * key or point a vendor at a simulator without editing YAML. They win over the file.
 */
export function applyEnvOverrides(
  raw: Record<string, unknown>,
  vendorNames: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const providers = { ...((raw.providers as Record<string, unknown> | undefined) ?? {}) };
  for (const name of vendorNames) {
    const prefix = name.toUpperCase();
    const apiKey = env[`${prefix}_API_KEY`];
    const baseUrl = env[`${prefix}_BASE_URL`];
    const streamUrl = env[`${prefix}_STREAM_URL`];
    const block = providers[name];
    if (block === undefined || block === null || typeof block !== 'object') continue;
    providers[name] = {
      ...block,
      ...(apiKey ? { apiKey } : {}),
      ...(baseUrl ? { baseUrl } : {}),
      ...(streamUrl ? { streamUrl } : {}),
    };
  }
  return { ...raw, providers };
}

/** The SHA-256 of a client key, in hex: what the configuration and Redis hold instead of the key. */
export function hashClientKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/**
 * A quick start without editing YAML: `GATEWAY_API_KEYS` (comma-separated keys, scope `data`, named `env-1`, `env-2`, …)
 * and `GATEWAY_ADMIN_KEY` (scopes `data` and `operator`, named `admin`) join auth.keys, hashed on the way in.
 */
export function applyClientKeysFromEnv(
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const fromEnv = (env.GATEWAY_API_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0)
    .map((key, index) => ({ name: `env-${index + 1}`, sha256: hashClientKey(key), scopes: ['data'] }));
  const admin = env.GATEWAY_ADMIN_KEY?.trim();
  if (admin) fromEnv.push({ name: 'admin', sha256: hashClientKey(admin), scopes: ['data', 'operator'] });
  if (fromEnv.length === 0) return raw;
  const auth = (raw.auth as Record<string, unknown> | null | undefined) ?? {};
  const keys = Array.isArray(auth.keys) ? (auth.keys as unknown[]) : [];
  return { ...raw, auth: { ...auth, keys: [...keys, ...fromEnv] } };
}
