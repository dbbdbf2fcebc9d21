# syntax=docker/dockerfile:1
# convention-ledger: one image for both processes.
#   API (default):  node dist/apps/api/src/main.js
#   projector:      node dist/apps/projector/src/main.js
#   rebuild:        node --max-semi-space-size=8 --heap-growing-percent=50 dist/apps/projector/src/rebuild.js
# `nest build` (tsc builder, see nest-cli.json) compiles the whole tree into dist/ and rewrites
# the @cl/* path aliases to relative requires, so the runtime needs neither ts-node nor
# tsconfig-paths. See docs/deployment.md.

ARG NODE_IMAGE=node:20.20-bookworm-slim

# ---- deps: every dependency, from the lock file ---------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# Compilers only for the case where better-sqlite3 has no prebuilt binary for the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# The npm the project uses: it honours package.json "allowScripts" (better-sqlite3, protobufjs
# run their install scripts, nothing else does).
ARG NPM_VERSION=11.19.1
RUN npm install --global "npm@${NPM_VERSION}"
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# ---- build: compile, then drop the devDependencies ------------------------------------------
FROM deps AS build
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY libs ./libs
COPY apps ./apps
RUN npm run build \
 && test -f dist/apps/api/src/main.js \
 && test -f dist/apps/projector/src/main.js
# Keeps the native better-sqlite3 binary built above (no second install).
RUN npm prune --omit=dev --no-audit --no-fund

# ---- runtime ---------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/app/data
WORKDIR /app
# Owned by root and read-only for the app user; only DATA_DIR (embedded store / SQLite read
# models, unused with EventStoreDB + PostgreSQL) is writable.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY deploy/healthcheck ./deploy/healthcheck
RUN mkdir -p /app/data && chown node:node /app/data
# The official node image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
