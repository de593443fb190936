import { writeFileSync } from 'node:fs';
import { providers } from '../providers/index.js';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/load.js';

/**
 * The OpenAPI document the routes produce. `npm run openapi` writes it to openapi/openapi.json; a test fails when the
 * committed file differs.
 */
export async function renderOpenApi(): Promise<string> {
  const config = loadConfig({ adapters: providers, env: { LOG_LEVEL: 'silent' } });
  const app = await buildApp({ config });
  await app.ready();
  const document = JSON.stringify(app.swagger(), null, 2) + '\n';
  await app.close();
  return document;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../openapi/openapi.json', import.meta.url), await renderOpenApi());
  process.stdout.write('wrote openapi/openapi.json\n');
}
