"""Bearer-token authentication and authorization of the services, with tokens minted by PyJWT
(and keys made by cryptography), software nobody here wrote.

1. Tokens of each supported algorithm (RS256, ES256, EdDSA from a JWKS; HS256 from a secret)
   are accepted; expired, not yet valid, wrong issuer, wrong audience, wrong key, `alg: none`,
   HS256 made with the RS256 key's public key, truncated and random bytes are each refused with
   401 and `WWW-Authenticate: Bearer`, and append nothing.
2. A customer's token places orders for itself only, and cannot command or read another's
   order (404, so ids are not probed) or list another's orders; a staff token can; across two
   OrderCommand instances (forwarding) the same holds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from auth_tokens import hs256_secret
from helpers import wait_until
from order_command import Client, end_offsets, partition_of
from order_query import create_topic

PARTITIONS = 6
ISSUER = "https://id.orders.test"
AUDIENCE = "orders"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Keys:
    """An RSA, an EC P-256 and an Ed25519 key, their public halves in a JWKS file."""

    def __init__(self, directory):
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec = ec.generate_private_key(ec.SECP256R1())
        self.ed = ed25519.Ed25519PrivateKey.generate()
        self.other_rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        keys = []
        for kid, key, alg in (("rsa-1", self.rsa, "RS256"), ("ec-1", self.ec, "ES256"), ("ed-1", self.ed, "EdDSA")):
            jwk = json.loads(jwt.algorithms.get_default_algorithms()[alg].to_jwk(key.public_key()))
            keys.append({**jwk, "kid": kid, "alg": alg, "use": "sig"})
        self.jwks_path = directory / "jwks.json"
        self.jwks_path.write_text(json.dumps({"keys": keys}))
        self.secret = hs256_secret()
        self.secret_path = directory / "hs256.secret"
        self.secret_path.write_bytes(self.secret)

    def token(self, subject: str, roles, alg: str = "ES256", **overrides) -> str:
        now = int(time.time())
        claims = {"sub": subject, "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600, "roles": roles}
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        key, kid = {"RS256": (self.rsa, "rsa-1"), "ES256": (self.ec, "ec-1"), "EdDSA": (self.ed, "ed-1"),
                    "HS256": (self.secret, None)}[alg]
        return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid} if kid else None)


def auth(token: str | None) -> dict:
    return {"Authorization": f"Bearer {token}"} if token is not None else {}


def place(client: Client, order_id: str, customer: str, token: str | None):
    return client.request("POST", "/orders", {"orderId": order_id, "customerId": customer, "currency": "EUR",
                                              "items": [{"sku": "TEA", "quantity": 1, "unitPrice": 450}]},
                          headers={**auth(token), "Idempotency-Key": f"k-{order_id}-{secrets.token_hex(4)}"})


@pytest.fixture
def keys(tmp_path):
    return Keys(tmp_path)


def jwks_env(keys: Keys) -> dict:
    return {"AUTH_JWKS_FILE": str(keys.jwks_path), "AUTH_ISSUER": ISSUER, "AUTH_AUDIENCE": AUDIENCE}


def refused_tokens(keys: Keys) -> dict[str, str]:
    """Each way a token must be refused, by name."""
    now = int(time.time())
    header = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    claims = b64url(json.dumps({"sub": "eve", "iss": ISSUER, "aud": AUDIENCE, "exp": now + 600, "roles": ["staff"]}).encode())
    # HS256 keyed with the RS256 key's public PEM, naming the RSA key (the algorithm confusion).
    pem = keys.rsa.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    confused_header = b64url(json.dumps({"alg": "HS256", "kid": "rsa-1", "typ": "JWT"}).encode())
    confused_mac = hmac.new(pem, f"{confused_header}.{claims}".encode(), hashlib.sha256).digest()
    good = keys.token("eve", ["staff"], alg="RS256")
    return {
        "expired": keys.token("eve", ["staff"], exp=now - 3600),
        "not-yet-valid": keys.token("eve", ["staff"], nbf=now + 3600),
        "wrong-issuer": keys.token("eve", ["staff"], iss="https://evil.test"),
        "wrong-audience": keys.token("eve", ["staff"], aud="billing"),
        "no-audience": keys.token("eve", ["staff"], aud=None),
        "wrong-key": jwt.encode({"sub": "eve", "iss": ISSUER, "aud": AUDIENCE, "exp": now + 600, "roles": ["staff"]},
                                keys.other_rsa, algorithm="RS256", headers={"kid": "rsa-1"}),
        "alg-none": f"{header}.{claims}.",
        "hs256-with-public-key": f"{confused_header}.{claims}.{b64url(confused_mac)}",
        "truncated": good[: len(good) // 2],
        "signature-cut": good.rsplit(".", 1)[0] + ".",
        "random-bytes": b64url(secrets.token_bytes(96)),
        "not-ascii": "ünïcödé.ü.ü",
    }


@pytest.mark.timeout(600)
def test_each_algorithm_is_accepted_and_every_bad_token_is_a_401_that_appends_nothing(broker, order_commands, keys):
    oc = order_commands(broker, env=jwks_env(keys))
    client = Client(oc.port)

    # Open routes stay open.
    for path in ("/health/live", "/health/ready", "/metrics", "/openapi.json"):
        assert client.request("GET", path).status == 200, path

    for n, alg in enumerate(("RS256", "ES256", "EdDSA")):
        reply = place(client, f"auth-{alg.lower()}", "c-1", keys.token("sam", ["staff"], alg=alg))
        assert reply.status == 201, (alg, reply.status, reply.body)

    before = end_offsets(broker.bootstrap, PARTITIONS)
    for name, token in refused_tokens(keys).items():
        for attempt in (None, token) if name == "expired" else (token,):
            headers = {**auth(attempt), "Idempotency-Key": f"refused-{name}"}
            body = {"orderId": f"refused-{name}", "customerId": "c-1", "currency": "EUR", "items": []}
            if name == "not-ascii":
                raw = json.dumps(body).encode()
                import http.client
                conn = http.client.HTTPConnection("127.0.0.1", oc.port, timeout=30)
                conn.putrequest("POST", "/orders")
                conn.putheader("Content-Type", "application/json")
                conn.putheader("Authorization", b"Bearer " + attempt.encode("utf-8"))
                conn.putheader("Content-Length", str(len(raw)))
                conn.endheaders(raw)
                response = conn.getresponse()
                status, www, data = response.status, response.getheader("WWW-Authenticate"), response.read()
                conn.close()
                assert status in (400, 401), (name, status, data)
                continue
            reply = client.request("POST", "/orders", body, headers=headers)
            assert reply.status == 401, (name, reply.status, reply.body)
            assert reply.headers.get("www-authenticate", "").startswith("Bearer"), (name, reply.headers)
            assert reply.headers.get("content-type") == "application/problem+json"
            assert reply.body["type"] == "/problems/unauthorized", (name, reply.body)
    # And on a read of another service's kind: the order routes need a token too.
    assert client.request("POST", "/orders/auth-rs256/confirm", headers={"Idempotency-Key": "x"}).status == 401
    assert end_offsets(broker.bootstrap, PARTITIONS) == before, "a refused token appended something"


@pytest.mark.timeout(300)
def test_an_hs256_secret_accepts_its_tokens_and_refuses_the_others(broker, order_commands, keys):
    oc = order_commands(broker, env={"AUTH_HS256_SECRET_FILE": str(keys.secret_path)})
    client = Client(oc.port)
    assert place(client, "hs-1", "c-1", keys.token("sam", ["staff"], alg="HS256")).status == 201
    for alg in ("RS256", "ES256", "EdDSA"):
        assert place(client, f"hs-{alg}", "c-1", keys.token("sam", ["staff"], alg=alg)).status == 401, alg
    wrong_secret = jwt.encode({"sub": "sam", "exp": int(time.time()) + 60, "roles": ["staff"]}, secrets.token_bytes(48), algorithm="HS256")
    assert place(client, "hs-2", "c-1", wrong_secret).status == 401


@pytest.mark.timeout(600)
def test_customers_see_and_command_their_own_orders_only_across_instances(broker, order_commands, order_queries, keys, tmp_path):
    env = jwks_env(keys)
    first = order_commands(broker, env=env)
    second = order_commands(broker, env=env)
    instances = [Client(first.port), Client(second.port)]
    alice = keys.token("alice", ["customer"])
    bob = keys.token("bob", ["customer"], alg="EdDSA")
    staff = keys.token("sam", ["staff"], alg="RS256")

    def owners(client: Client) -> dict:
        reply = client.request("GET", "/status", headers=auth(staff))
        return reply.body.get("owners", {}) if reply.status == 200 else {}

    # Both in the group, the partitions split between them, both knowing the owner map.
    wait_until(lambda: len(set(owners(instances[0]).values())) == 2 and owners(instances[0]) == owners(instances[1])
               and len(owners(instances[0])) == PARTITIONS, "both instances to own partitions", 90)
    first.wait_ready(90)
    second.wait_ready(90)
    # /status is an operations route: staff only.
    assert instances[0].request("GET", "/status", headers=auth(alice)).status == 403

    # Orders on every partition, so each instance forwards some of them to the other.
    ids = []
    n = 0
    while len({partition_of(i, PARTITIONS) for i in ids}) < PARTITIONS:
        ids.append(f"own-{n}")
        n += 1
    for index, order_id in enumerate(ids):
        reply = place(instances[index % 2], order_id, "alice", alice)
        assert reply.status == 201, (order_id, reply.status, reply.body)

    # A customer places for itself only.
    refused = place(instances[0], "bobs-try", "alice", bob)
    assert refused.status == 403 and refused.body["type"] == "/problems/forbidden", refused.body

    before = end_offsets(broker.bootstrap, PARTITIONS)
    for order_id in ids:
        for client in instances:
            # Bob's token on Alice's order: missing, whichever instance takes it.
            reply = client.request("POST", f"/orders/{order_id}/confirm", headers={**auth(bob), "Idempotency-Key": f"b-{order_id}"})
            assert reply.status == 404 and reply.body["type"] == "/problems/order-not-found", (order_id, reply.status, reply.body)
            reply = client.request("POST", f"/orders/{order_id}/items", {"sku": "X", "quantity": 1, "unitPrice": 1},
                                   headers={**auth(bob), "Idempotency-Key": f"b2-{order_id}"})
            assert reply.status == 404, (order_id, reply.status, reply.body)
    assert end_offsets(broker.bootstrap, PARTITIONS) == before, "another customer's commands appended something"

    # Alice commands her own orders through either instance; staff commands anyone's.
    for index, order_id in enumerate(ids):
        reply = instances[(index + 1) % 2].request("POST", f"/orders/{order_id}/confirm",
                                                   headers={**auth(alice), "Idempotency-Key": f"a-{order_id}"})
        assert reply.status == 200, (order_id, reply.status, reply.body)
        reply = instances[index % 2].request("POST", f"/orders/{order_id}/ship", {"carrier": "DHL", "trackingNumber": "T1"},
                                             headers={**auth(staff), "Idempotency-Key": f"s-{order_id}"})
        assert reply.status == 200, (order_id, reply.status, reply.body)
    assert place(instances[1], "staff-for-carol", "carol", staff).status == 201

    # The read side: own orders only; another's is missing; lists are one's own.
    from order_query import fresh_postgres_database
    oq = order_queries(broker, fresh_postgres_database("auth_read_model"), env={**env, "ADMIN_TOKEN": "admin-token"})
    reads = Client(oq.port)
    last = ids[-1]
    wait_until(lambda: reads.request("GET", f"/orders/{last}", headers=auth(staff)).body.get("status") == "shipped",
               "the read model to show the shipped orders", 120)
    assert reads.request("GET", f"/orders/{last}", headers=auth(alice)).status == 200
    # Who did what: the read model keeps each event's actor.
    history = reads.request("GET", f"/orders/{last}/history", headers=auth(alice)).body["events"]
    assert [(e["eventType"], e.get("actor")) for e in history] == [
        ("OrderPlaced", "alice"), ("OrderConfirmed", "alice"), ("OrderShipped", "sam")], history
    for path in (f"/orders/{last}", f"/orders/{last}/history", "/customers/alice"):
        reply = reads.request("GET", path, headers=auth(bob))
        assert reply.status == 404, (path, reply.status, reply.body)
        assert reads.request("GET", path, headers=auth(alice)).status == 200, path
    mine = reads.request("GET", "/orders", headers=auth(alice)).body["orders"]
    assert {o["orderId"] for o in mine} == set(ids)
    assert reads.request("GET", "/orders", headers=auth(bob)).body["orders"] == []
    assert reads.request("GET", "/orders?customerId=alice", headers=auth(bob)).status == 403
    everyone = reads.request("GET", "/orders?limit=200", headers=auth(staff)).body["orders"]
    assert {o["orderId"] for o in everyone} == set(ids) | {"staff-for-carol"}
    # Operations: staff; admin routes: the admin role or ADMIN_TOKEN.
    assert reads.request("GET", "/stats", headers=auth(alice)).status == 403
    assert reads.request("GET", "/stats", headers=auth(staff)).status == 200
    assert reads.request("GET", "/admin/rebuild/1", headers=auth(staff)).status == 403
    assert reads.request("GET", "/admin/rebuild/1", headers=auth("admin-token")).status in (200, 404)
    assert reads.request("GET", "/admin/rebuild/1", headers=auth(keys.token("ada", ["admin"]))).status in (200, 404)


@pytest.mark.timeout(300)
def test_orders_up_auth_lets_a_newcomer_try_tokens_in_a_minute(tmp_path):
    """`orders up --auth` runs the embedded stack with authentication on and prints a staff
    token; `orders token --customer NAME` mints a customer's against the same key; the CLI sends
    ORDERS_TOKEN; events name their actor in `orders events --json` and `orders history`."""
    import signal
    import subprocess

    from helpers import free_port
    from orders_cli import cli_env, describe, orders_bin, run_orders

    data = tmp_path / "stack"
    ports = {"command": free_port(), "query": free_port(), "notifier": free_port(), "kafka": free_port(), "console": free_port()}
    console = f"http://127.0.0.1:{ports['console']}"
    addresses = {"ORDERS_COMMAND_URL": f"http://127.0.0.1:{ports['command']}", "ORDERS_QUERY_URL": f"http://127.0.0.1:{ports['query']}",
                 "ORDERS_NOTIFIER_URL": f"http://127.0.0.1:{ports['notifier']}", "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{ports['kafka']}",
                 "ORDERS_CONSOLE_URL": console, "ORDERS_DATA_DIR": str(data)}
    log = open(tmp_path / "up.log", "w+")
    up = subprocess.Popen([orders_bin(), "up", "--auth"], env=cli_env(addresses), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        def printed() -> str:
            log.flush()
            return (tmp_path / "up.log").read_text()
        wait_until(lambda: "export ORDERS_TOKEN=ey" in printed() or up.poll() is not None, "orders up --auth to print its staff token", 120,
                   detail=lambda: "\n" + printed()[-3000:])
        assert up.poll() is None, printed()
        staff = printed().split("export ORDERS_TOKEN=", 1)[1].split()[0]
        alice_proc = run_orders(["token", "--customer", "alice"], env=addresses)
        bob_proc = run_orders(["token", "--customer", "bob"], env=addresses)
        assert alice_proc.returncode == 0 and bob_proc.returncode == 0, describe(alice_proc) + describe(bob_proc)
        alice, bob = alice_proc.stdout.strip(), bob_proc.stdout.strip()
        assert jwt.decode(alice, options={"verify_signature": False})["roles"] == ["customer"]

        anonymous = run_orders(["place", "--customer", "alice", "--currency", "EUR", "--item", "TEA:1:450"], env=addresses)
        assert anonymous.returncode == 1 and "--token or ORDERS_TOKEN" in anonymous.stderr, describe(anonymous)
        placed = run_orders(["place", "--customer", "alice", "--currency", "EUR", "--item", "TEA:1:450", "--json"],
                            env={**addresses, "ORDERS_TOKEN": alice})
        assert placed.returncode == 0, describe(placed)
        order_id = json.loads(placed.stdout)["orderId"]
        as_bob = run_orders(["get", order_id], env={**addresses, "ORDERS_TOKEN": bob})
        assert as_bob.returncode == 1 and "No such order" in as_bob.stderr, describe(as_bob)
        confirmed = run_orders(["confirm", order_id, "--token", staff], env=addresses)
        assert confirmed.returncode == 0, describe(confirmed)

        # The console reads the log itself, so it requires a staff or admin token of its own
        # (from an Authorization header or the cookie POST /token saves), and passes it on to
        # the services, which check it again.
        assert f"Console             {console}" in printed(), printed()
        import urllib.error
        import urllib.request

        def console_page(path: str, headers: dict | None = None) -> tuple[int, str]:
            try:
                with urllib.request.urlopen(urllib.request.Request(console + path, headers=headers or {}), timeout=60) as page:
                    return page.status, page.read().decode()
            except urllib.error.HTTPError as refused:
                return refused.code, refused.read().decode()
        assert console_page(f"/orders/{order_id}")[0] == 401
        status, sign_in = console_page(f"/orders/{order_id}", {"Accept": "text/html"})
        assert status == 401 and 'action="/token"' in sign_in, sign_in[-2000:]
        assert console_page(f"/orders/{order_id}", {"Authorization": f"Bearer {alice}"})[0] == 403
        for headers in ({"Authorization": f"Bearer {staff}"}, {"Cookie": f"console_token={staff}"}):
            status, shown = console_page(f"/orders/{order_id}", headers)
            assert status == 200 and '<dl id="read-model">' in shown, shown[-3000:]
            assert '<dd data-field="status">confirmed</dd>' in shown, shown[-3000:]

        events = run_orders(["events", "--order", order_id, "--json"], env=addresses)
        assert events.returncode == 0, describe(events)
        assert [json.loads(line)["actor"] for line in events.stdout.splitlines()] == ["alice", "staff"], events.stdout
        history = run_orders(["history", order_id], env=addresses)
        assert history.returncode == 0 and "actor" in history.stdout and "alice" in history.stdout, describe(history)
        read = run_orders(["get", order_id, "--json"], env={**addresses, "ORDERS_TOKEN": alice})
        assert read.returncode == 0, describe(read)
    finally:
        if up.poll() is None:
            up.send_signal(signal.SIGINT)
            try:
                up.wait(60)
            except subprocess.TimeoutExpired:
                up.kill()
                up.wait(10)
        log.close()
