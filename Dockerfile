# The lws-ts image: one image for the LWS controller (`/manager`, a drop-in for upstream's entry point, i.e.
# `lwsctl controller`) and the operator (`lwsctl operator`). The build stage compiles the TypeScript sources to
# plain JavaScript (hack/build-js.sh: types erased, same layout), so the running controller never loads Node's type
# stripper (≈ 28 MiB less resident memory, docs/benchmarks.md), bundles it (bin/lwsctl.js loads bundled/main.js: a
# few files instead of ≈ 580 modules, 11 MiB less) and installs the production dependencies.
#
#   docker build -t lws-ts:v0.1.0 --build-arg GIT_COMMIT=$(git rev-parse HEAD) .
#
# See docs/packaging.md for the layout.

FROM node:24-bookworm-slim AS compile
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY bin ./bin
COPY config ./config
COPY src ./src
COPY hack/build-js.sh ./hack/
RUN bash hack/build-js.sh /out

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The `node` devDependency (the pinned Node for development) is omitted: the base image is Node 24.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=compile /out/bin ./bin
COPY --from=compile /out/config ./config
COPY --from=compile /out/src ./src
COPY --from=compile /out/bundled ./bundled
COPY hack/image/manager hack/image/lwsctl /shims/
RUN chmod 0755 /shims/manager /shims/lwsctl

FROM node:24-bookworm-slim
ARG GIT_COMMIT=unknown
ARG BUILD_DATE=unknown
ENV NODE_ENV=production \
    LWS_GIT_COMMIT=${GIT_COMMIT} \
    LWS_BUILD_DATE=${BUILD_DATE}
WORKDIR /app
COPY --from=build /app /app
COPY --from=build /shims/manager /manager
COPY --from=build /shims/lwsctl /usr/local/bin/lwsctl
# Non-root, numeric (runAsNonRoot can verify it); the same UID as distroless' nonroot user.
USER 65532:65532
ENTRYPOINT ["/manager"]
