import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayError } from '../../core/errors.js';
import { publicSurface } from '../plugins/auth.js';

/**
 * The operations dashboard (docs/operations.md#dashboard): static files built from dashboard/ by
 * `npm run build:dashboard` into dist/dashboard, with gzip and brotli copies beside them. The page holds no data;
 * it reads the operator endpoints with the operator key the user types in, so serving it is open to all.
 */
export const dashboardRoutes: FastifyPluginAsync<{ root?: string }> = async (app, options) => {
  publicSurface(app);
  const root = options.root ?? join(packageRoot(), 'dist', 'dashboard');
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn({ root }, 'dashboard not built: /dashboard answers 404 (npm run build:dashboard builds it)');
    const notBuilt = async () => {
      throw new GatewayError('GW_NOT_FOUND', 'dashboard: not built on this server (npm run build:dashboard)');
    };
    app.get('/', { schema: { hide: true } }, notBuilt);
    app.get('/*', { schema: { hide: true } }, notBuilt);
    return;
  }
  // Relative asset paths in index.html need the trailing slash.
  app.get('', { schema: { hide: true } }, (_request, reply) => reply.redirect(`${app.prefix}/`));
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    preCompressed: true,
    decorateReply: false,
    schemaHide: true,
    // Files keep their names from build to build: a browser revalidates (ETag) rather than trusting an old copy.
    cacheControl: true,
    maxAge: 0,
  });
};

/** The folder holding package.json, from src/http/routes (tsx) or dist/src/http/routes (the build). */
function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('market-data-gateway: no package.json above the dashboard route');
    folder = parent;
  }
  return folder;
}
