"""Bearer tokens for runs of the services with authentication on, minted with PyJWT."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import jwt


def hs256_secret() -> bytes:
    """48 random bytes that do not end in CR or LF. The services read a secret file without its
    final newline (as an editor ends a file), so a random secret ending in one (about one in 128)
    would not be the secret they verify with, and a test would fail by chance."""
    while True:
        secret = secrets.token_bytes(48)
        if secret[-1] not in b"\r\n":
            return secret


def hs256_authentication(directory: Path, subject: str = "fuzzer", roles=("staff", "admin")) -> tuple[dict, str]:
    """The environment that turns a service's authentication on (a fresh HS256 secret), and a
    token of that secret for `subject` with `roles`, valid for an hour."""
    secret = hs256_secret()
    path = directory / "hs256.secret"
    path.write_bytes(secret)
    token = jwt.encode({"sub": subject, "exp": int(time.time()) + 3600, "roles": list(roles)}, secret, algorithm="HS256")
    return {"AUTH_HS256_SECRET_FILE": str(path)}, token
