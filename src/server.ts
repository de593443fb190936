import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import closeWithGrace from 'close-with-grace';
import { providers } from '../providers/index.js';
import { buildApp } from './app.js';
import { ConfigError, configPath, loadConfig, startupRefusal } from './config/load.js';
import type { GatewayConfig } from './config/schema.js';
import { listenAdmin, listenOrExit } from './listen.js';

/**
 * The process: load the configuration, build the app, listen, close gracefully. A bad configuration exits 1.
 * SIGTERM or SIGINT: not ready at once, the listener closes after server.shutdown.graceMs, in-flight requests finish,
 * webhooks drain (bounded), the store syncs a last time, exit 0; past server.shutdown.timeoutMs more, exit 1.
 */
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
  const refusal = startupRefusal(config);
  if (refusal) {
    process.stderr.write(`market-data-gateway: ${refusal}\n`);
    process.exit(1);
  }
  const configFile = { path: configPath(), load: () => loadConfig({ adapters: providers }) };
  const app = await buildApp({ config, configFile });
  // A rejected reload is already logged and streamed as configRejected; the process keeps running.
  process.on('SIGHUP', () => void app.reloader?.reload('SIGHUP').catch(() => undefined));
  if (config.auth.mode === 'open') {
    app.log.warn({ event: 'authOpen' }, 'auth.mode is open: any caller may spend the vendor plans (docs/security.md)');
  }
  let admin: Server | undefined;
  const { graceMs, timeoutMs } = config.server.shutdown;
  // SIGHUP reloads the configuration (above); close-with-grace would otherwise shut down on it.
  closeWithGrace({ delay: graceMs + timeoutMs, skip: ['SIGHUP'] }, async ({ err, signal }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    if (signal) {
      app.drain.begin();
      app.log.info(
        { event: 'draining', signal, graceMs },
        `${signal}: not ready; the listener closes in ${graceMs} ms`,
      );
      await sleep(graceMs);
    }
    admin?.close();
    await app.close();
  });
  await listenOrExit(app, config.server.host, config.server.port);
  const { adminPort, adminHost } = config.auth;
  if (adminPort !== undefined) {
    admin = await listenAdmin(app, adminHost, adminPort);
    app.log.info({ event: 'adminListening' }, `operator surface on http://${adminHost}:${adminPort}`);
  }
}

await main();
