#!/usr/bin/env python3
"""SCRAM (RFC 5802 / RFC 7677) computed independently with Python's hashlib and hmac, for checking
KafkaWire's Swift implementation against something it did not write.

    python3 Tests/interop/scram_vectors.py > Tests/KafkaSecurityTests/Fixtures/scram-sha-512.json
    python3 Tests/interop/scram_vectors.py SCRAM-SHA-256     # the same exchange with SHA-256

prints one complete exchange with fixed inputs as JSON: {"algorithm", "username", "password",
"clientNonce", "serverNonce", "salt" (base64), "iterations", "clientFirst", "serverFirst",
"clientFinal", "serverFinal"}, the messages being the exact strings sent on the wire.

Importing it gives `credential(password, salt, iterations, algorithm)` (what a server stores:
stored_key and server_key), used by test_secured_kafka.py to check `kafkawire broker-users add`.
Running it first asserts that it reproduces RFC 7677's SCRAM-SHA-256 example byte for byte.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys

HASHES = {"SCRAM-SHA-256": "sha256", "SCRAM-SHA-512": "sha512"}

# The fixed inputs of the generated fixture. The nonces are printable ASCII without commas
# (RFC 5802's `printable`); the server nonce carries characters a sloppy parser might trip on.
FIXTURE = {
    "username": "alice",
    "password": "pencil-and-paper €uro",  # non-ASCII: SaltedPassword hashes the UTF-8 bytes
    "clientNonce": "fyko+d2lbbFgONRv9qkxdawL",
    "serverNonce": "3rfcNHYJY1ZVvWVs7j/=!~%}",
    "salt": bytes(range(0x10, 0x30)),  # 32 bytes, like kafkawire broker-users add
    "iterations": 4096,
}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def escape_username(name: str) -> str:
    """RFC 5802 saslname: '=' -> '=3D', ',' -> '=2C' (in that order)."""
    return name.replace("=", "=3D").replace(",", "=2C")


def salted_password(password: str, salt: bytes, iterations: int, algorithm: str) -> bytes:
    """Hi(password, salt, i): PBKDF2 with HMAC-H and a key as long as H's output.
    (SASLprep is the identity for the passwords used here.)"""
    return hashlib.pbkdf2_hmac(HASHES[algorithm], password.encode("utf-8"), salt, iterations)


def _hmac(algorithm: str, key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, HASHES[algorithm]).digest()


def _hash(algorithm: str, data: bytes) -> bytes:
    return hashlib.new(HASHES[algorithm], data).digest()


def credential(password: str, salt: bytes, iterations: int, algorithm: str) -> dict[str, bytes]:
    """What a SCRAM server stores for a user (RFC 5802 section 3): StoredKey and ServerKey."""
    salted = salted_password(password, salt, iterations, algorithm)
    client_key = _hmac(algorithm, salted, b"Client Key")
    return {
        "stored_key": _hash(algorithm, client_key),
        "server_key": _hmac(algorithm, salted, b"Server Key"),
    }


def exchange(algorithm: str, username: str, password: str, client_nonce: str, server_nonce: str,
             salt: bytes, iterations: int) -> dict:
    """One full exchange without channel binding (gs2 header "n,,"), as a client and server run it."""
    salted = salted_password(password, salt, iterations, algorithm)
    client_key = _hmac(algorithm, salted, b"Client Key")
    stored_key = _hash(algorithm, client_key)
    server_key = _hmac(algorithm, salted, b"Server Key")

    client_first_bare = f"n={escape_username(username)},r={client_nonce}"
    client_first = "n,," + client_first_bare
    nonce = client_nonce + server_nonce
    server_first = f"r={nonce},s={b64(salt)},i={iterations}"
    client_final_without_proof = f"c={b64(b'n,,')},r={nonce}"
    auth_message = ",".join([client_first_bare, server_first, client_final_without_proof]).encode("utf-8")

    client_signature = _hmac(algorithm, stored_key, auth_message)
    proof = bytes(a ^ b for a, b in zip(client_key, client_signature))
    server_signature = _hmac(algorithm, server_key, auth_message)

    # What the server does with the proof: recover ClientKey, check it hashes to StoredKey.
    recovered = bytes(a ^ b for a, b in zip(proof, client_signature))
    assert _hash(algorithm, recovered) == stored_key

    return {
        "algorithm": algorithm,
        "username": username,
        "password": password,
        "clientNonce": client_nonce,
        "serverNonce": server_nonce,
        "salt": b64(salt),
        "iterations": iterations,
        "clientFirst": client_first,
        "serverFirst": server_first,
        "clientFinal": f"{client_final_without_proof},p={b64(proof)}",
        "serverFinal": f"v={b64(server_signature)}",
    }


def check_rfc7677() -> None:
    """RFC 7677 section 3: the SCRAM-SHA-256 example exchange."""
    got = exchange("SCRAM-SHA-256", "user", "pencil", "rOprNGfwEbeRWgbNEkqO",
                   "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0", base64.b64decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096)
    nonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
    expected = {
        "clientFirst": "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
        "serverFirst": f"r={nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        "clientFinal": f"c=biws,r={nonce},p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
        "serverFinal": "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
    }
    for key, value in expected.items():
        assert got[key] == value, f"RFC 7677 {key}: got {got[key]!r}, expected {value!r}"


def fixture(algorithm: str = "SCRAM-SHA-512") -> dict:
    return exchange(algorithm, FIXTURE["username"], FIXTURE["password"], FIXTURE["clientNonce"],
                    FIXTURE["serverNonce"], FIXTURE["salt"], FIXTURE["iterations"])


def test_rfc7677_example():
    check_rfc7677()


def test_escaping():
    assert escape_username("a=b,c") == "a=3Db=2Cc"


def main(argv: list[str]) -> int:
    if len(argv) > 1 or (argv and argv[0] not in HASHES):
        print(f"usage: scram_vectors.py [{'|'.join(HASHES)}]", file=sys.stderr)
        return 2
    check_rfc7677()
    json.dump(fixture(argv[0] if argv else "SCRAM-SHA-512"), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
