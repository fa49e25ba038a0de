# The setup both README commands share (scripts/demo, scripts/test): the Debian packages a
# fresh machine lacks, installed when missing, failing loudly when they cannot be.
# The caller defines log and die, and PYTHON and VENV for the test profile.
# shellcheck shell=bash

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 1
    fi
}

pkg_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]
}

can_make_venv() {
    local tmp ok=1
    tmp="$(mktemp -d)"
    "$PYTHON" -m venv "$tmp/probe" >/dev/null 2>&1 && ok=0
    rm -rf "$tmp"
    return $ok
}

# ensure_packages build|test|containers: installs the Debian packages that are missing.
#   build:      what `swift build` needs (pkg-config and the four compression codecs' headers)
#   test:       also librdkafka, kcat, PostgreSQL and Python's venv for the interop suite, and
#               Chromium with its WebDriver for the console's browser tests
#   containers: podman, its runtime and networking, debootstrap and docker-compose
#               (docs/containers.md; scripts/compose-smoke)
ensure_packages() {
    local profile="${1:-test}"
    local wanted=(pkg-config zlib1g-dev libzstd-dev liblz4-dev libsnappy-dev)
    if [ "$profile" = "build" ]; then
        ensure_missing "${wanted[@]}"
        return
    fi
    if [ "$profile" = "containers" ]; then
        ensure_missing podman crun runc conmon netavark aardvark-dns containernetworking-plugins fuse-overlayfs \
            slirp4netns passt uidmap catatonit iptables debootstrap docker-compose curl
        return
    fi
    wanted+=(librdkafka-dev kcat chromium chromium-driver)
    # The security tests' certificates (scripts/make-test-certs).
    command -v openssl >/dev/null 2>&1 || wanted+=(openssl)
    pg_bindir >/dev/null || wanted+=(postgresql)
    # The interpreter for the venv, and its venv/ensurepip support (Debian splits it into python3-venv).
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        wanted+=(python3 python3-venv)
        PYTHON=python3
    elif [ ! -x "$VENV/bin/python" ] && ! can_make_venv; then
        wanted+=(python3-venv)
    fi
    if ! command -v dpkg-query >/dev/null 2>&1; then
        # Not Debian-like: check what we can and let the build fail loudly otherwise.
        command -v kcat >/dev/null 2>&1 || die "kcat is not installed and this is not a Debian system (no dpkg); install kcat, librdkafka, zlib, zstd, lz4, snappy development packages by hand"
        return 0
    fi
    ensure_missing "${wanted[@]}"
}

# Installs (apt-get, as root or with passwordless sudo) whichever of the packages are missing.
ensure_missing() {
    local wanted=("$@")
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local missing=()
    for p in "${wanted[@]}"; do
        pkg_installed "$p" || missing+=("$p")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        echo "system packages: all present (${wanted[*]})"
        return 0
    fi
    log "installing missing system packages: ${missing[*]}"
    command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and no apt-get to install them"
    as_root true || die "missing packages (${missing[*]}); need root or passwordless sudo to apt-get install them"
    as_root apt-get update -qq </dev/null || die "apt-get update failed; cannot install ${missing[*]}"
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null \
        || die "apt-get install ${missing[*]} failed"
    for p in "${missing[@]}"; do
        pkg_installed "$p" || die "package $p is still not installed after apt-get install"
    done
}
