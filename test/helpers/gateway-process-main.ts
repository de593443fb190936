import { buildApp } from '../../src/app.js';
import type { CacheConfig, ProviderConfig, StoreConfig } from '../../src/config/schema.js';
import { sandboxConfig } from './sandbox-config.js';

/**
 * One gateway in a process of its own, over simulators another process runs (test/helpers/gateway-process.ts).
 * MDG_PROCESS_SETTINGS (JSON) says which vendors to enable, their quotas and the store; the gateway prints its URL as
 * one JSON line and serves until SIGTERM, on which it closes as `npm start` does (quota leases returned, state written).
 */
export interface GatewayProcessSettings {
  /** The simulators' NAME_BASE_URL and NAME_API_KEY. */
  env: Record<string, string>;
  /** Only these vendors are enabled, each with its tier and rate limit, and breaker settings over the defaults. */
  vendors: Record<
    string,
    Pick<ProviderConfig, 'tier' | 'rateLimit'> & { breaker?: Partial<ProviderConfig['breaker']> }
  >;
  store: Partial<StoreConfig>;
  /** Over the test default (sandboxConfig: the cache off). */
  cache?: Partial<CacheConfig>;
}

const settings = JSON.parse(process.env.MDG_PROCESS_SETTINGS ?? '{}') as GatewayProcessSettings;
const config = sandboxConfig({ ...settings.env, LOG_LEVEL: 'warn' }, (config) => {
  for (const [name, provider] of Object.entries(config.providers)) {
    const wanted = settings.vendors[name];
    provider.enabled = wanted !== undefined;
    if (!wanted) continue;
    const { breaker, ...rest } = wanted;
    Object.assign(provider, rest);
    provider.breaker = { ...provider.breaker, ...breaker };
  }
  config.store = { ...config.store, ...settings.store };
  config.cache = { ...config.cache, ...settings.cache };
  config.server.clientRateLimit.enabled = false;
});
const app = await buildApp({ config });
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
