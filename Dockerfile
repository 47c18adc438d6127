# syntax=docker/dockerfile:1
# Drafty Bird: server and game in one image. Build: docker build -t drafty-bird:dev .
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY web ./web
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    SCORE_DB_PATH=/data/db.sqlite
WORKDIR /app
# A numeric, non-root UID/GID (>= 10000) that owns only the data volume.
RUN groupadd --gid 10001 drafty && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin drafty \
    && mkdir -p /data && chown 10001:10001 /data
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8080 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# exec form: node is PID 1 and receives SIGTERM itself, so the graceful shutdown runs.
CMD ["node", "--enable-source-maps", "--import", "./dist/telemetry/tracing.js", "dist/main.js"]
