# What the benchmark scripts share; each sources it after defining log() and die().
#   release_build PRODUCT...   swift build -c release of each, under flock $SWIFT_BUILD_LOCK
#                              (default /tmp/swift-build.lock; "" builds without the lock)
#   free_port                  a free TCP port on 127.0.0.1
#   wait_port PORT             until something accepts on 127.0.0.1:PORT (60 s), else fails
#   wait_ready URL WHAT        until URL/health/ready answers 2xx (120 s), else dies

SWIFT_BUILD_LOCK="${SWIFT_BUILD_LOCK-/tmp/swift-build.lock}"

release_build() {
    local product
    for product in "$@"; do
        log "swift build -c release --product $product"
        if [ -n "$SWIFT_BUILD_LOCK" ]; then flock "$SWIFT_BUILD_LOCK" swift build -c release --product "$product" >&2 </dev/null
        else swift build -c release --product "$product" >&2 </dev/null; fi || die "release build of $product failed"
    done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() { for _ in $(seq 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

wait_ready() {
    for _ in $(seq 1200); do curl -sf "$1/health/ready" >/dev/null 2>&1 && return 0; sleep 0.1; done
    die "$2 did not become ready"
}
