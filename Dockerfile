# The system's one image: every executable (order-command, order-query, notifier, console, orders,
# kafkawire) in a slim Debian runtime, run as a non-root user. docker-compose.yml chooses each
# container's command.
#
#   docker build -t orders .                      # the Swift build stage, then the runtime
#
# The build stage's Swift is the one the tests use (the same major.minor as `swift --version` in
# scripts/test) and supports every swift-tools-version the package and its resolved dependencies
# declare (6.2 today: hummingbird, async-http-client, swift-log, ...). scripts/check-swift-versions
# checks both (scripts/test runs it); change this FROM line and the test toolchain together.
# scripts/image-build-check runs this build stage on a machine that cannot pull the Swift image.
#
# BINARIES picks where the executables come from: the `build` stage (the default, a release
# build with the static Swift standard library) or `host`, release binaries built outside
# (copied from .build/image-bin/; scripts/compose-smoke uses it: binaries built on the host need
# no Swift image and no second release build in a container). The runtime stage is the same
# either way.
ARG BINARIES=build

FROM swift:6.3-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends pkg-config zlib1g-dev libzstd-dev liblz4-dev libsnappy-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The package manifest names every target, tests included, so the sources come whole.
COPY Package.swift ./
COPY Shared Shared
COPY Services Services
COPY Tools Tools
COPY Tests Tests
RUN swift build -c release --static-swift-stdlib \
    && mkdir /out \
    && for product in order-command order-query notifier console orders kafkawire; do \
           cp "$(swift build -c release --show-bin-path)/$product" /out/; \
       done

FROM scratch AS host
COPY .build/image-bin/ /out/

FROM ${BINARIES} AS binaries

FROM debian:bookworm-slim AS runtime
# The compression codecs' shared libraries and CA certificates; skipped when the base has them.
RUN packages="ca-certificates zlib1g libzstd1 liblz4-1 libsnappy1v5"; \
    dpkg -s $packages >/dev/null 2>&1 \
    || (apt-get update && apt-get install -y --no-install-recommends $packages && rm -rf /var/lib/apt/lists/*)
RUN useradd --uid 10001 --user-group --shell /usr/sbin/nologin --home-dir /var/lib/orders --create-home orders
COPY --from=binaries /out/ /usr/local/bin/
USER orders
WORKDIR /var/lib/orders
# Debian's PATH, spelled out: an image imported from a root file system has none.
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin ORDERS_DATA_DIR=/var/lib/orders
EXPOSE 8081 8082 8083
CMD ["orders", "--help"]
