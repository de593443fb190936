import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** The client packages' exports condition for their TypeScript sources, so tests need no build first. */
const sourceCondition = '@market-data-gateway/source';

export default defineConfig({
  ssr: { resolve: { conditions: [sourceCondition, ...defaultServerConditions] } },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration and e2e tests start real servers on loopback; forks keep their sockets apart.
    pool: 'forks',
  },
});
