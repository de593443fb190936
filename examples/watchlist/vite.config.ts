import { defaultClientConditions, defineConfig } from 'vite';

/** Where `npm run demo` listens (its default port); GATEWAY_URL points the proxy elsewhere. */
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  // The client packages' TypeScript sources, so the example needs no package build first.
  resolve: { conditions: ['@market-data-gateway/source', ...defaultClientConditions] },
  // The page calls its own origin and the dev (and preview) server forwards /v1 to the gateway, so the gateway needs
  // no CORS origin for it (server.cors.origins stays []).
  server: { host: '127.0.0.1', proxy: { '/v1': gateway } },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      // TanStack Query marks its modules "use client" for React Server Components; a client-only bundle drops the
      // directive, as it should, so the warning for each module says nothing.
      onLog(level, log, handler) {
        if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log);
      },
    },
  },
});
