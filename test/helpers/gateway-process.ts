import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { GatewayProcessSettings } from './gateway-process-main.js';

export interface GatewayProcess {
  url: string;
  /** SIGTERM: a graceful stop (leases returned, state written); SIGKILL: a crash. Resolves once the process exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
}

/** Starts a gateway in a node process of its own (tsx), resolving once it listens. */
export async function startGatewayProcess(settings: GatewayProcessSettings): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/gateway-process-main.ts'], {
    env: { ...process.env, MDG_PROCESS_SETTINGS: JSON.stringify(settings) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    // Log lines may come first; the line that starts with `url` says it listens. The rest is read and dropped.
    lines.on('line', (line) => {
      if (!line.startsWith('{"url":')) return;
      resolve((JSON.parse(line) as { url: string }).url);
    });
    void exited.then((code) => reject(new Error(`gateway process exited with ${code} before listening`)));
  });
  return {
    url,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
