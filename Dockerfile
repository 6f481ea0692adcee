# syntax=docker/dockerfile:1
# Vigil's image: `vigil server` and `vigil agent` (deploy/kubernetes runs both from it).
#   docker build -t vigil:0.1.0 --build-arg VIGIL_REVISION=$(git rev-parse HEAD) .
# The runtime stage runs as the numeric user 10001 and writes only to its data directory
# (/var/lib/vigil, a volume) and /tmp, so it runs with a read-only root filesystem.

# ---- build: TypeScript and the web app into dist/ ----
FROM node:20-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
# With install scripts: esbuild (a dev dependency) checks its platform binary in one.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json tsconfig.test.json ./
COPY scripts ./scripts
COPY src ./src
# The build records the git revision and branch; .git is not in the build context.
ARG VIGIL_REVISION=unknown
ARG VIGIL_BRANCH=unknown
ENV VIGIL_REVISION=${VIGIL_REVISION} VIGIL_BRANCH=${VIGIL_BRANCH}
RUN npm run build

# ---- runtime: production dependencies and dist/ only ----
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# No production dependency has an install script (package-lock.json: hasInstallScript).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force \
    && rm -rf /root/.npm /tmp/*
COPY --from=build /src/dist ./dist
# `vigil …` on the PATH, for `kubectl exec … -- vigil token create` and the like.
RUN chmod 0755 dist/cli/vigil.js \
    && ln -s /app/dist/cli/vigil.js /usr/local/bin/vigil \
    && mkdir -p /var/lib/vigil \
    && chown 10001:10001 /var/lib/vigil
USER 10001:10001
VOLUME ["/var/lib/vigil"]
EXPOSE 9700
ENTRYPOINT ["node", "/app/dist/cli/vigil.js"]
CMD ["--help"]
