/**
 * `<NAME>_API_KEY` and `<NAME>_BASE_URL` for every vendor with a block in the file, so an operator or a test can set a
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
    const block = providers[name];
    if (block === undefined || block === null || typeof block !== 'object') continue;
    providers[name] = {
      ...block,
      ...(apiKey ? { apiKey } : {}),
      ...(baseUrl ? { baseUrl } : {}),
    };
  }
  return { ...raw, providers };
}
