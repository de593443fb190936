import type { GatewayConfig } from '../../src/config/schema.js';
import { buildTestGateway, type TestGateway } from './build-app.js';

export interface ListeningGateway extends TestGateway {
  /** `http://127.0.0.1:PORT`, on a free port. */
  url: string;
}

/** The test gateway over the simulators, listening on a real loopback socket (as `npm run demo` does). */
export async function listeningGateway(
  adjust?: (config: GatewayConfig) => void,
  scope: 'test' | 'manual' = 'test',
): Promise<ListeningGateway> {
  const gateway = await buildTestGateway({ scope, ...(adjust ? { adjust } : {}) });
  await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = gateway.app.server.address() as { port: number };
  return { ...gateway, url: `http://127.0.0.1:${port}` };
}
