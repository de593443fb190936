import { providers } from '../providers/index.js';
import type { GatewayConfig } from '../src/config/schema.js';
import { streamChannels, type StreamChannel } from '../src/core/index.js';
import { simulators as allSimulators } from './simulators.js';
import { startSimulator, type RunningSimulator, type SimulatorDefinition } from './simulator.js';

export interface Sandbox {
  simulators: RunningSimulator[];
  /**
   * NAME_BASE_URL and NAME_API_KEY for every simulated vendor, and NAME_STREAM_URL for those with a feed (its origin:
   * the gateway adds the vendor's own path per channel), to merge into the config's environment.
   */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The key every simulator accepts. Not a secret: it only opens the local simulators. */
export const sandboxApiKey = 'sandbox-key';

/** Starts every simulator on its own free loopback port. */
export async function startSandbox(definitions: readonly SimulatorDefinition[] = allSimulators): Promise<Sandbox> {
  const simulators = await Promise.all(definitions.map((definition) => startSimulator(definition)));
  const env: Record<string, string> = {};
  for (const simulator of simulators) {
    const prefix = simulator.vendor.toUpperCase();
    env[`${prefix}_BASE_URL`] = simulator.url;
    env[`${prefix}_API_KEY`] = sandboxApiKey;
    if (simulator.stream) env[`${prefix}_STREAM_URL`] = simulator.url.replace(/^http/, 'ws');
  }
  return {
    simulators,
    env,
    async close() {
      await Promise.all(simulators.map((simulator) => simulator.close()));
    },
  };
}

/**
 * stream.sources for a gateway over the sandbox: the vendors given a simulated feed in `env` (NAME_STREAM_URL) whose
 * protocol streams the channel, by tier. A vendor with a protocol but no simulated feed (twelvedata) is left out, so
 * the demo and the tests never dial the internet.
 */
export function simulatedStreamSources(
  env: Readonly<Record<string, string>>,
  config: GatewayConfig,
): Partial<Record<StreamChannel, string[]>> {
  const tier = (vendor: string) => config.providers[vendor]?.tier ?? Number.MAX_SAFE_INTEGER;
  const sources: Partial<Record<StreamChannel, string[]>> = {};
  for (const channel of streamChannels) {
    const vendors = providers
      .filter(
        (adapter) => adapter.stream?.channels.includes(channel) && env[`${adapter.name.toUpperCase()}_STREAM_URL`],
      )
      .map((adapter) => adapter.name)
      .sort((a, b) => tier(a) - tier(b) || a.localeCompare(b));
    if (vendors.length > 0) sources[channel] = vendors;
  }
  return sources;
}
