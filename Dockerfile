# Drafty Bird: server and game in one image. Build: docker build -t drafty-bird:dev .
# (No `# syntax=` line: it would make BuildKit fetch a frontend image for features this file does not use.)
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: nothing here needs an install script. better-sqlite3 ships prebuilt binaries, but
# npm's implicit `node-gyp rebuild` (it has a binding.gyp) needs Python and a compiler, which the slim
# image does not have; the other scripts only check or fetch things the build does not use.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-info.ts scripts/bundle.ts ./scripts/
COPY src ./src
COPY web ./web
# The commit /version reports (the build has no .git): docker build --build-arg GIT_COMMIT=$(git rev-parse HEAD) .
ARG GIT_COMMIT=unknown
ARG SOURCE_DATE_EPOCH
RUN npm run build && npm prune --omit=dev --no-audit --no-fund && mkdir /app/data-mountpoint
# Start the image's own CMD once, traced, until ready, with Node's compile cache on: the runtime stage
# ships the cache, so a pod start reads compiled code instead of compiling every module (read-only there:
# Node only reads it). Same Node and same paths in both stages, which the cache is keyed by.
COPY Dockerfile ./
COPY scripts/image/warm-compile-cache.ts scripts/image/image-command.ts ./scripts/image/
RUN node scripts/image/warm-compile-cache.ts Dockerfile /app/.compile-cache && rm -rf /tmp/warm-*

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    PUBLIC_PORT=8081 \
    HOST=0.0.0.0 \
    SCORE_DB_PATH=/data/db.sqlite \
    NODE_COMPILE_CACHE=/app/.compile-cache
WORKDIR /app
# No RUN step in this stage: only files built above end up in the image, nothing a build host mounts
# into RUN steps (registry settings, CA bundles). The process runs as a numeric, non-root UID/GID
# (>= 10000) that owns only the data volume; it needs no passwd entry.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/.compile-cache ./.compile-cache
COPY --from=build /app/web/dist ./web/dist
COPY --from=build --chown=10001:10001 /app/data-mountpoint /data
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8080 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# exec form: node is PID 1 and receives SIGTERM itself, so the graceful shutdown runs. The bundle
# (scripts/bundle.ts) starts in about half the time of dist/main.js. No --enable-source-maps: parsing
# the bundle's map costs ~350 ms of every start; set NODE_OPTIONS=--enable-source-maps to get stack
# traces in TypeScript terms while debugging.
CMD ["node", "dist/bundle/main.js"]
