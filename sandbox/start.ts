import { simulators as allSimulators } from './simulators.js';
import { startSimulator, type RunningSimulator, type SimulatorDefinition } from './simulator.js';

export interface Sandbox {
  simulators: RunningSimulator[];
  /** NAME_BASE_URL and NAME_API_KEY for every simulated vendor, to merge into the config's environment. */
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
  }
  return {
    simulators,
    env,
    async close() {
      await Promise.all(simulators.map((simulator) => simulator.close()));
    },
  };
}
