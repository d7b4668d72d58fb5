# Briefbot: `briefbot serve` in a small image, run as a non-root user.
# Build: docker build -t briefbot .
# Run:   docker run --env-file .env -p 3000:3000 -v briefbot-data:/app/data briefbot
# (mount your briefbot.config.yaml at /app/briefbot.config.yaml, or set BRIEFBOT_CONFIG)

# --- build: full install (compiles better-sqlite3), TypeScript build, then prune dev deps ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
RUN npm run build && npm prune --omit=dev

# --- runtime: compiled JS, production node_modules, prompts, demo corpus and default config ---
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    BRIEFBOT_DB=/app/data/briefbot.db
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY package.json briefbot.config.yaml ./
COPY prompts ./prompts
COPY demo ./demo
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
EXPOSE 3000
VOLUME ["/app/data"]
# /healthz answers as soon as the HTTP server is up; /readyz once the chat platforms are connected.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Exec form: node is PID 1's child-free process and receives SIGTERM directly (graceful shutdown).
CMD ["node", "bin/briefbot.js", "serve"]
