# market-data-gateway: multi-stage build on Node 24 LTS; runs as the unprivileged `node` user.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY providers ./providers
# The dashboard's browser bundle (dist/dashboard), built by esbuild; only its output reaches the image.
COPY dashboard ./dashboard
COPY scripts/build-dashboard.ts ./scripts/
RUN npm run build

FROM node:24-bookworm-slim AS runtime
# The heap sizes of `npm start` (docs/operations.md#memory); a deployment may set its own NODE_OPTIONS.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=256"
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
# patch-package runs on install: bottleneck's yield-loop, events, Redis-7 and lock fixes; ioredis's (see patches/).
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY config ./config
COPY openapi ./openapi
# Without Redis the quota counters live in state/quotas.json: mount a volume there so a new container keeps them.
RUN mkdir -p state && chown node:node state
VOLUME /app/state
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The collector settings of `npm start`: V8 refuses them in NODE_OPTIONS (docs/decisions.md#the-heap-is-capped).
CMD ["node", "--no-allocation-site-pretenuring", "--heap-growing-percent=60", "dist/src/server.js"]
