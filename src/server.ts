import closeWithGrace from 'close-with-grace';
import { providers } from '../providers/index.js';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config/load.js';
import type { GatewayConfig } from './config/schema.js';
import { listenOrExit } from './listen.js';

/** The process: load the configuration, build the app, listen, close gracefully. A bad configuration exits 1. */
export async function main(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadConfig({ adapters: providers });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`market-data-gateway: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await buildApp({ config });
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    await app.close();
  });
  await listenOrExit(app, config.server.host, config.server.port);
}

await main();
