# syntax=docker/dockerfile:1

# Build: the full dependency tree (TypeScript is a dev dependency) compiles src/ to dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime: production dependencies, the compiled code, the schema it reads at start
# (dist/graphql/schema.js looks for ../../schema/, i.e. /app/schema) and the Explore page's source.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schema ./schema
# The Explore page's source: the gateway bundles it (esbuild, a production dependency) on the
# first request for / and serves it from memory.
COPY src/explore/page ./src/explore/page

# The node image's unprivileged user; the gateway writes nothing to its own directory.
USER node
EXPOSE 4000
# /ready rather than /health: it turns 503 as soon as a shutdown begins, and a sick upstream
# (which /health reports) is no reason to restart the gateway.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 4000}/ready`).then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1: src/main.ts handles SIGTERM and drains open requests before exiting.
CMD ["node", "dist/main.js"]
