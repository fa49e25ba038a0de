"""TLS and SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) end to end: the dev broker's secured
listeners against clients nobody here wrote (kcat / librdkafka 2.0.2, confluent-kafka /
librdkafka 2.16) and against the kafkawire client CLI.

One broker per module listens on PLAINTEXT, SSL, SASL_PLAINTEXT and SASL_SSL at once; a second
one requires client certificates (mutual TLS). Brokers with a deliberately bad setup (expired
or wrong-host certificate, only SCRAM-SHA-512 offered, re-authentication every few seconds) are
started by the tests that need them. Certificates come from scripts/make-test-certs, users from
`kafkawire broker-users add`.

Secrets never show up where they should not: every captured stdout/stderr is checked for every
password as it is captured, and every broker's log when the broker stops.
"""

from __future__ import annotations

import base64
import json
import os
import random
import re
import secrets
import socket
import ssl
import stat
import subprocess
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition

from helpers import Broker, consume_all, create_topic, free_port, free_ports, kafkawire_bin, kcat_bin, port_accepts, run, wait_until
import scram_vectors

REPO = Path(__file__).resolve().parents[2]
MAKE_TEST_CERTS = REPO / "scripts" / "make-test-certs"

MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
PROTOCOLS = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]

# Fresh per run, and distinctive, so a grep for them finds nothing by accident.
PASSWORDS = {
    "alice": f"alice-pw-{secrets.token_hex(8)}",
    "bob": f"bob-pw-{secrets.token_hex(8)}",
}
WRONG_PASSWORD = f"wrong-pw-{secrets.token_hex(8)}"

# How long a failing client may take to give up (its connect timeout is 10 s by default).
FAILURE_BOUND_S = 60.0


_KEY_PASSPHRASES: list[str] = []  # the client key's passphrase, filled in by the certs fixture


def all_secrets() -> list[str]:
    return [*PASSWORDS.values(), WRONG_PASSWORD, *_KEY_PASSPHRASES]


def assert_no_secrets(what: str, *outputs) -> None:
    for output in outputs:
        text = output.decode("utf-8", "replace") if isinstance(output, (bytes, bytearray)) else (output or "")
        for secret in all_secrets():
            assert secret not in text, f"{what} contains a password/passphrase:\n{text[-3000:]}"


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def certs(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("certs")
    run(["bash", str(MAKE_TEST_CERTS), str(directory)], timeout=60)
    for name in ["ca", "broker", "client", "other-ca", "expired", "wronghost"]:
        assert (directory / f"{name}.pem").is_file() and (directory / f"{name}.key").is_file(), name
    _KEY_PASSPHRASES[:] = [(directory / "client-key-password.txt").read_text().strip()]
    return directory


def broker_users_add(users_file: Path, user: str, password: str, via_file: Path | None = None):
    """`kafkawire broker-users add`, the password from a file (with a trailing newline) or --password."""
    if via_file is not None:
        via_file.write_text(password + "\n")
        secret_args = ["--password-file", str(via_file)]
    else:
        secret_args = ["--password", password]
    proc = run([kafkawire_bin(), "broker-users", "add", "--file", str(users_file), "--user", user, *secret_args],
               timeout=60)
    assert_no_secrets("broker-users add output", proc.stdout, proc.stderr)
    return proc


@pytest.fixture(scope="module")
def users_file(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("users")
    path = directory / "users.json"
    broker_users_add(path, "alice", PASSWORDS["alice"], via_file=directory / "alice.password")
    broker_users_add(path, "bob", PASSWORDS["bob"])
    return path


@dataclass
class SecuredBroker:
    """A kafkawire broker and the address of each of its listeners, by security protocol."""
    broker: Broker
    listeners: dict[str, str] = field(default_factory=dict)

    def address(self, protocol: str) -> str:
        return self.listeners[protocol]

    @property
    def plaintext(self) -> str:
        return self.listeners["PLAINTEXT"]

    def log(self) -> str:
        return self.broker.log_path.read_text(errors="replace")


def start_broker(directory: Path, certs: Path, users: Path | None, protocols=PROTOCOLS, *,
                 certificate: str = "broker", extra=()) -> SecuredBroker:
    """A broker with a PLAINTEXT listener (the helper's own) and one per other protocol given."""
    listeners, args = {}, []
    others = [protocol for protocol in protocols if protocol != "PLAINTEXT"]
    # One port per listener, all different (the helper's PLAINTEXT listener first).
    plaintext_port, *ports = free_ports(1 + len(others))
    for protocol, port in zip(others, ports):
        listeners[protocol] = f"127.0.0.1:{port}"
        args += ["--listen", f"{protocol}://127.0.0.1:{port}"]
    if any("SSL" in p for p in protocols):
        args += ["--ssl-certificate", str(certs / f"{certificate}.pem"), "--ssl-key", str(certs / f"{certificate}.key")]
    if any(p.startswith("SASL") for p in protocols):
        args += ["--sasl-users", str(users)]
    broker = Broker(directory / "data", directory / "broker.log", port=plaintext_port, extra_args=[*args, *extra])
    broker.start()
    listeners["PLAINTEXT"] = broker.bootstrap
    for address in listeners.values():
        port = int(address.rsplit(":", 1)[1])
        wait_until(lambda: port_accepts(port), f"the broker to listen on {address}", timeout=30,
                   detail=lambda: "\n" + broker.log_tail())
    return SecuredBroker(broker, listeners)


def stop_broker(secured: SecuredBroker) -> None:
    died = secured.broker.died_unexpectedly()
    secured.broker.stop(timeout=10, strict=False)
    assert not died, f"kafkawire broker exited on its own\n{secured.broker.log_tail()}"
    assert_no_secrets(f"broker log {secured.broker.log_path}", secured.log())


@pytest.fixture(scope="module")
def secured_broker(tmp_path_factory, certs, users_file):
    secured = start_broker(tmp_path_factory.mktemp("secured-broker"), certs, users_file)
    yield secured
    stop_broker(secured)


def watched(request, module_broker: SecuredBroker):
    """A module's broker for one test: alive at its start and end, its log tail attached to failures."""
    request.node._kafkawire_broker = module_broker.broker
    module_broker.broker.assert_alive("at the start of the test")
    yield module_broker
    module_broker.broker.assert_alive("at the end of the test")


@pytest.fixture
def secured(request, secured_broker) -> SecuredBroker:
    """The module's broker with every protocol."""
    yield from watched(request, secured_broker)


@pytest.fixture(scope="module")
def mtls_broker(tmp_path_factory, certs):
    secured = start_broker(tmp_path_factory.mktemp("mtls-broker"), certs, None, ["PLAINTEXT", "SSL"],
                           extra=["--ssl-client-ca", str(certs / "ca.pem")])
    yield secured
    stop_broker(secured)


@pytest.fixture
def mtls(request, mtls_broker) -> SecuredBroker:
    """The module's broker that requires a client certificate on its TLS listener."""
    yield from watched(request, mtls_broker)


@pytest.fixture
def special_broker(request, tmp_path, certs, users_file):
    """Starts a broker just for this test: special_broker(protocols, certificate=..., extra=[...])."""
    started = []

    def start(protocols, certificate="broker", extra=()):
        secured = start_broker(tmp_path / f"broker-{len(started)}", certs, users_file, protocols,
                               certificate=certificate, extra=extra)
        started.append(secured)
        request.node._kafkawire_broker = secured.broker
        return secured

    yield start
    for secured in started:
        stop_broker(secured)


# ----------------------------------------------------------------------------- client settings


def client_properties(certs: Path, protocol: str, mechanism: str | None = None, user: str = "alice",
                      password: str | None = None, client_cert: bool = False, encrypted_key: bool = False,
                      ca: str = "ca") -> dict[str, str]:
    """Java/librdkafka client properties: the same names for kcat, confluent-kafka and kafkawire."""
    props = {"security.protocol": protocol}
    if "SSL" in protocol:
        props["ssl.ca.location"] = str(certs / f"{ca}.pem")
        if client_cert:
            props["ssl.certificate.location"] = str(certs / "client.pem")
            if encrypted_key:
                props["ssl.key.location"] = str(certs / "client-encrypted.key")
                props["ssl.key.password"] = (certs / "client-key-password.txt").read_text().strip()
            else:
                props["ssl.key.location"] = str(certs / "client.key")
    if protocol.startswith("SASL"):
        props["sasl.mechanism"] = mechanism
        props["sasl.username"] = user
        props["sasl.password"] = PASSWORDS.get(user, "") if password is None else password
    return props


def x_flags(props: dict[str, str]) -> list[str]:
    return [arg for key, value in props.items() for arg in ("-X", f"{key}={value}")]


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


# ----------------------------------------------------------------------------- records

TEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 :;,.-_=+*/|'\"!?#$%&()[]{}<>~^`@é漢🙂"


def make_records(n: int, tag: str) -> list[tuple[bytes, bytes]]:
    """(key, value) pairs without newlines; every 40th value is large (16 KiB .. 200 KB), so
    records span several TLS records (at most 16 KiB each)."""
    rng = random.Random(zlib.crc32(tag.encode()))
    records = []
    for i in range(n):
        size = rng.choice([16_384, 16_385, 65_536, 200_000]) if i % 40 == 39 else rng.randint(0, 120)
        body = "".join(rng.choice(TEXT) for _ in range(min(size, 500)))
        value = (f"{tag}-{i}:" + (body * (size // max(len(body), 1) + 1))[:size]).encode()
        records.append((f"key-{i}".encode(), value))
    assert all(b"\n" not in k + v and b":" not in k for k, v in records)
    return records


def lines(records) -> bytes:
    return b"".join(k + b":" + v + b"\n" for k, v in records)


# ----------------------------------------------------------------------------- kcat

KCAT_FORMAT = r"%K %S|%k|%s\n"


def parse_kcat(out: bytes) -> list[tuple[bytes, bytes]]:
    """Parses KCAT_FORMAT output (lengths first, so any bytes are fine) into (key, value) pairs."""
    records, pos = [], 0
    while pos < len(out):
        bar = out.index(b"|", pos)
        klen, vlen = (int(x) for x in out[pos:bar].split(b" "))
        pos = bar + 1
        key = out[pos:pos + klen]
        pos += klen + 1
        value = out[pos:pos + vlen]
        pos += vlen
        assert out[pos:pos + 1] == b"\n", f"bad framing at byte {pos}"
        pos += 1
        records.append((key, value))
    return records


def kcat(*args: str, props: dict[str, str], input: bytes | None = None, timeout: float = 60.0,
         check: bool = True) -> subprocess.CompletedProcess:
    proc = run([kcat_bin(), *args, *x_flags(props)], input=input, timeout=timeout, check=check)
    assert_no_secrets("kcat output", proc.stdout, proc.stderr)
    return proc


def kcat_roundtrip(bootstrap: str, props: dict[str, str], topic: str, records) -> None:
    proc = kcat("-P", "-b", bootstrap, "-t", topic, "-K:", "-m", "30", "-p", "0", props=props, input=lines(records))
    assert b"Delivery failed" not in proc.stderr and b"ERROR" not in proc.stderr, proc.stderr.decode()[-3000:]
    out = kcat("-C", "-b", bootstrap, "-t", topic, "-p", "0", "-o", "beginning", "-e", "-q", "-m", "30",
               "-f", KCAT_FORMAT, props=props).stdout
    got = parse_kcat(out)
    assert len(got) == len(records), f"kcat read {len(got)} of {len(records)} records back"
    assert got == records, f"first difference at {next(i for i, (a, b) in enumerate(zip(got, records)) if a != b)}"


# ----------------------------------------------------------------------------- confluent-kafka


def confluent_conf(bootstrap: str, props: dict[str, str], **extra) -> dict:
    return {"bootstrap.servers": bootstrap, **props, **extra}


def confluent_produce(bootstrap: str, props: dict[str, str], topic: str, records) -> None:
    failures, errors = [], []
    producer = Producer(confluent_conf(bootstrap, props, acks="all", **{"linger.ms": 5, "error_cb": errors.append}))
    for key, value in records:
        while True:
            try:
                producer.produce(topic, key=key, value=value, partition=0,
                                 on_delivery=lambda err, msg: err and failures.append(err))
                break
            except BufferError:
                producer.poll(0.05)
    assert producer.flush(40) == 0, f"undelivered after 40 s; errors: {errors}"
    assert not failures, f"{len(failures)} failed deliveries, first: {failures[0]}"


def confluent_read(bootstrap: str, props: dict[str, str], topic: str, count: int, group: str | None = None):
    """Reads `count` records of partition 0 from the beginning: assigned, or as a group member."""
    consumer = Consumer(confluent_conf(bootstrap, props, **{
        "group.id": group or unique("reader"), "auto.offset.reset": "earliest", "enable.auto.commit": False}))
    got = []
    try:
        if group:
            consumer.subscribe([topic])
        else:
            consumer.assign([TopicPartition(topic, 0, -2)])  # OFFSET_BEGINNING

        def step():
            for msg in consumer.consume(num_messages=1000, timeout=0.5):
                if msg.error():
                    assert not msg.error().fatal(), msg.error()
                    continue
                got.append((msg.key(), msg.value()))

        wait_until(lambda: len(got) >= count, f"{count} records from {topic}", timeout=45, step=step,
                   detail=lambda: f" (got {len(got)})")
        if group:
            consumer.commit(asynchronous=False)
    finally:
        consumer.close()
    return got


def confluent_authentication_error(bootstrap: str, props: dict[str, str]) -> KafkaError:
    """The error librdkafka reports for a login the broker refuses (it retries, so we watch
    error_cb until an authentication error shows up)."""
    errors = []
    producer = Producer(confluent_conf(bootstrap, props, error_cb=errors.append))
    auth_codes = {KafkaError._AUTHENTICATION, KafkaError.SASL_AUTHENTICATION_FAILED}
    wait_until(lambda: any(e.code() in auth_codes for e in errors), "an authentication error from librdkafka",
               timeout=FAILURE_BOUND_S, step=lambda: producer.poll(0.2), detail=lambda: f"; errors: {errors}")
    for e in errors:
        assert_no_secrets("librdkafka error", str(e))
    return next(e for e in errors if e.code() in auth_codes)


# ----------------------------------------------------------------------------- kafkawire CLI


def kafkawire(*args: str, props: dict[str, str] | None = None, input: bytes | None = None, timeout: float = 90.0,
              check: bool = True) -> subprocess.CompletedProcess:
    proc = run([kafkawire_bin(), *args, *x_flags(props or {})], input=input, timeout=timeout, check=check)
    assert_no_secrets(f"kafkawire {' '.join(args[:2])} output", proc.stdout, proc.stderr)
    return proc


def kafkawire_consume(bootstrap: str, topic: str, props, *extra: str):
    out = kafkawire("consume", "--brokers", bootstrap, "--topic", topic, "--json", *extra, props=props).stdout
    records = []
    for line in out.decode().splitlines():
        r = json.loads(line)
        records.append((r["partition"], r["offset"], base64.b64decode(r["key_b64"]), base64.b64decode(r["value_b64"])))
    return records


# The client's connect timeout in the failure tests (socket.connection.setup.timeout.ms): each
# failure must reach the caller within it, the process's start included (generous, so that a
# loaded machine is not a failure; a silent retry loop would run past it).
CONNECT_TIMEOUT_S = 20


def kafkawire_fails(*args: str, props: dict[str, str], word: str | None) -> str:
    """Runs a kafkawire client command that must fail: non-zero exit within the connect timeout,
    and `word` (the error kind) on the last line of stderr. Returns stderr."""
    started = time.monotonic()
    props = {**props, "socket.connection.setup.timeout.ms": str(CONNECT_TIMEOUT_S * 1000)}
    proc = kafkawire(*args, props=props, timeout=FAILURE_BOUND_S + 30, check=False)
    elapsed = time.monotonic() - started
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode != 0, f"kafkawire {' '.join(args)} succeeded; stdout:\n{proc.stdout.decode()[-2000:]}"
    assert elapsed < CONNECT_TIMEOUT_S, f"took {elapsed:.1f}s to fail, past the connect timeout:\n{stderr[-2000:]}"
    last = stderr.strip().splitlines()[-1] if stderr.strip() else ""
    assert last, "no error message on stderr"
    if word is not None:
        assert word in last, f"expected {word!r} in the last line of stderr, got:\n{stderr[-3000:]}"
    return stderr


def metadata_fails(bootstrap: str, props: dict[str, str], word: str | None) -> str:
    return kafkawire_fails("metadata", "--brokers", bootstrap, "--json", props=props, word=word)


def kafkawire_roundtrip(bootstrap: str, props, reference_bootstrap: str, topic: str, records) -> None:
    """topics create/list, produce, consume (assigned, then in a group), groups describe, all
    over `bootstrap` with `props`; the log is checked independently through confluent-kafka on
    the PLAINTEXT listener `reference_bootstrap`."""
    kafkawire("topics", "create", topic, "--partitions", "2", "--brokers", bootstrap, props=props)
    listed = json.loads(kafkawire("topics", "list", "--json", "--brokers", bootstrap, props=props).stdout)
    assert {"name": topic, "partitions": 2}.items() <= next(t for t in listed if t["name"] == topic).items(), listed

    kafkawire("produce", "--brokers", bootstrap, "--topic", topic, "--key-delimiter", ":", "--partition", "0",
              props=props, input=lines(records))

    reference = consume_all(reference_bootstrap, topic, 2)
    assert [(m.key(), m.value()) for m in reference[0]] == records, "the log differs from what was produced"
    assert reference[1] == []

    got = kafkawire_consume(bootstrap, topic, props)
    assert [(k, v) for (_p, _o, k, v) in got] == records
    assert [(p, o) for (p, o, _k, _v) in got] == [(0, i) for i in range(len(records))]

    group = unique("secured-group")
    grouped = kafkawire_consume(bootstrap, topic, props, "--group", group, "--count", str(len(records)),
                                "--session-timeout-ms", "10000", "--heartbeat-interval-ms", "500")
    assert [(k, v) for (_p, _o, k, v) in grouped] == records
    (described,) = json.loads(kafkawire("groups", "describe", group, "--json", "--brokers", bootstrap,
                                        props=props).stdout)
    lag = {row["partition"]: row for row in described["lag"]}
    assert lag[0]["committedOffset"] == len(records), described


# ============================================================================= users file


def test_broker_users_file_holds_independently_derived_scram_credentials(users_file):
    data = json.loads(users_file.read_text())
    assert sorted(data["users"]) == ["alice", "bob"]
    assert stat.S_IMODE(users_file.stat().st_mode) == 0o600
    salts = set()
    for user, password in PASSWORDS.items():
        entry = data["users"][user]
        assert sorted(entry) == ["SCRAM-SHA-256", "SCRAM-SHA-512"], entry
        for algorithm, stored in entry.items():
            salt = base64.b64decode(stored["salt"])
            assert stored["iterations"] == 4096
            assert len(salt) >= 16
            salts.add(salt)
            expected = scram_vectors.credential(password, salt, stored["iterations"], algorithm)
            assert base64.b64decode(stored["stored_key"]) == expected["stored_key"], (user, algorithm)
            assert base64.b64decode(stored["server_key"]) == expected["server_key"], (user, algorithm)
    assert len(salts) == 4, "every user and hash has its own random salt"
    assert_no_secrets("users file", users_file.read_text())


def test_broker_users_add_replaces_a_user_and_keeps_the_others(tmp_path):
    path = tmp_path / "users.json"
    broker_users_add(path, "alice", "first-password")
    broker_users_add(path, "carol", PASSWORDS["bob"])
    broker_users_add(path, "alice", PASSWORDS["alice"], via_file=tmp_path / "pw")
    data = json.loads(path.read_text())["users"]
    assert sorted(data) == ["alice", "carol"]
    stored = data["alice"]["SCRAM-SHA-512"]
    salt = base64.b64decode(stored["salt"])
    expected = scram_vectors.credential(PASSWORDS["alice"], salt, stored["iterations"], "SCRAM-SHA-512")
    assert base64.b64decode(stored["stored_key"]) == expected["stored_key"], "the second add did not replace alice"


def test_scram_vectors_reproduce_rfc7677():
    scram_vectors.check_rfc7677()


# ============================================================================= kcat (librdkafka 2.0.2)


def test_kcat_over_ssl(secured, certs):
    kcat_roundtrip(secured.address("SSL"), client_properties(certs, "SSL"), unique("kcat-ssl"),
                   make_records(120, "kcat-ssl"))


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_kcat_over_sasl_ssl(secured, certs, mechanism):
    props = client_properties(certs, "SASL_SSL", mechanism)
    kcat_roundtrip(secured.address("SASL_SSL"), props, unique(f"kcat-{mechanism}"),
                   make_records(120, f"kcat-{mechanism}"))


def test_kcat_over_sasl_plaintext_scram(secured, certs):
    props = client_properties(certs, "SASL_PLAINTEXT", "SCRAM-SHA-256", user="bob")
    kcat_roundtrip(secured.address("SASL_PLAINTEXT"), props, unique("kcat-sasl-plain"),
                   make_records(80, "kcat-sasl-plain"))


@pytest.mark.parametrize("encrypted_key", [False, True], ids=["key", "encrypted-key"])
def test_kcat_over_mutual_tls(mtls, certs, encrypted_key):
    props = client_properties(certs, "SSL", client_cert=True, encrypted_key=encrypted_key)
    kcat_roundtrip(mtls.address("SSL"), props, unique("kcat-mtls"), make_records(80, "kcat-mtls"))


@pytest.mark.timeout(120)
@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_kcat_wrong_password_is_an_authentication_error(secured, certs, mechanism):
    props = client_properties(certs, "SASL_SSL", mechanism, password=WRONG_PASSWORD)
    started = time.monotonic()
    proc = kcat("-L", "-b", secured.address("SASL_SSL"), "-m", "15", props=props, timeout=FAILURE_BOUND_S + 30,
                check=False)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode != 0, f"kcat -L succeeded with a wrong password:\n{proc.stdout.decode()[-2000:]}"
    assert time.monotonic() - started < FAILURE_BOUND_S
    assert re.search(r"authentication", stderr, re.IGNORECASE), stderr[-3000:]


# ============================================================================= confluent-kafka (librdkafka 2.16)


def confluent_roundtrip(bootstrap: str, props, topic: str, records, reference_bootstrap: str) -> None:
    create_topic(reference_bootstrap, topic, 1)
    confluent_produce(bootstrap, props, topic, records)
    assert confluent_read(bootstrap, props, topic, len(records)) == records
    # A group member too: FindCoordinator must send it back to this listener.
    assert confluent_read(bootstrap, props, topic, len(records), group=unique("confluent-group")) == records


def test_confluent_over_ssl(secured, certs):
    confluent_roundtrip(secured.address("SSL"), client_properties(certs, "SSL"), unique("confluent-ssl"),
                        make_records(120, "confluent-ssl"), secured.plaintext)


@pytest.mark.timeout(90)
@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_confluent_over_sasl_ssl(secured, certs, mechanism):
    props = client_properties(certs, "SASL_SSL", mechanism, user="bob" if mechanism == "PLAIN" else "alice")
    confluent_roundtrip(secured.address("SASL_SSL"), props, unique(f"confluent-{mechanism}"),
                        make_records(120, f"confluent-{mechanism}"), secured.plaintext)


@pytest.mark.timeout(90)
@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_confluent_over_sasl_plaintext(secured, certs, mechanism):
    props = client_properties(certs, "SASL_PLAINTEXT", mechanism)
    confluent_roundtrip(secured.address("SASL_PLAINTEXT"), props, unique(f"confluent-plain-{mechanism}"),
                        make_records(60, f"confluent-plain-{mechanism}"), secured.plaintext)


@pytest.mark.timeout(90)
def test_confluent_over_mutual_tls(mtls, certs):
    props = client_properties(certs, "SSL", client_cert=True, encrypted_key=True)
    confluent_roundtrip(mtls.address("SSL"), props, unique("confluent-mtls"), make_records(80, "confluent-mtls"),
                        mtls.plaintext)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_confluent_wrong_password_is_an_authentication_error(secured, certs, mechanism):
    error = confluent_authentication_error(
        secured.address("SASL_SSL"), client_properties(certs, "SASL_SSL", mechanism, password=WRONG_PASSWORD))
    assert "authentication" in error.str().lower(), error


# ============================================================================= kafkawire CLI

CLI_COMBINATIONS = [("PLAINTEXT", None), ("SSL", None)] + [
    (protocol, mechanism) for protocol in ["SASL_PLAINTEXT", "SASL_SSL"] for mechanism in MECHANISMS]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("protocol,mechanism", CLI_COMBINATIONS,
                         ids=[f"{p}-{m}" if m else p for p, m in CLI_COMBINATIONS])
def test_kafkawire_cli_over(secured, certs, protocol, mechanism):
    props = client_properties(certs, protocol, mechanism)
    tag = f"kw-{protocol}-{mechanism or 'none'}".lower()
    kafkawire_roundtrip(secured.address(protocol), props, secured.plaintext, unique(tag), make_records(100, tag))


@pytest.mark.timeout(120)
def test_kafkawire_cli_reads_a_client_properties_file(secured, certs, tmp_path):
    props = client_properties(certs, "SASL_SSL", "SCRAM-SHA-512", user="bob")
    properties = tmp_path / "client.properties"
    properties.write_text("# written by test_secured_kafka\n" + "".join(f"{k}={v}\n" for k, v in props.items()))
    bootstrap, topic = secured.address("SASL_SSL"), unique("kw-properties-file")
    records = make_records(60, "kw-properties-file")
    kafkawire("topics", "create", topic, "--partitions", "1", "--brokers", bootstrap, "-F", str(properties))
    kafkawire("produce", "--brokers", bootstrap, "--topic", topic, "--key-delimiter", ":", "-F", str(properties),
              input=lines(records))
    got = kafkawire_consume(bootstrap, topic, None, "-F", str(properties))
    assert [(k, v) for (_p, _o, k, v) in got] == records
    # -X after -F overrides the file: a wrong password given with -X must fail.
    kafkawire_fails("metadata", "--brokers", bootstrap, "-F", str(properties),
                    props={"sasl.password": WRONG_PASSWORD}, word="authenticationFailed")


def sni_names_of_kafkawire_connecting_to(host: str, certs: Path) -> set[str | None]:
    """The SNI names of every TLS handshake `kafkawire metadata` makes to `host`, as Python's ssl
    (OpenSSL) sees them on a listener of this call's own (no Kafka behind it: the command fails,
    maybe after connecting more than once; what matters is the name each handshake carried)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certs / "broker.pem", certs / "broker.key")
    seen: list[str | None] = []
    context.sni_callback = lambda _sock, name, _ctx: seen.append(name)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return  # closed
            try:
                with context.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(4)  # the handshake is done; the Kafka request is not answered
            except (OSError, ssl.SSLError):
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    props = {**client_properties(certs, "SSL"), "socket.connection.setup.timeout.ms": "5000"}
    try:
        kafkawire("metadata", "--brokers", f"{host}:{port}", "--timeout", "3", props=props, check=False, timeout=60)
        wait_until(lambda: len(seen) > 0, f"a TLS handshake from the client connecting to {host}", timeout=30)
    finally:
        listener.close()
    return set(seen)


@pytest.mark.timeout(120)
def test_kafkawire_sends_sni_for_a_host_name_and_none_for_an_address(certs):
    """SNI: the host name connected to, and no name for an IP address (RFC 6066 forbids
    literal addresses in SNI)."""
    assert sni_names_of_kafkawire_connecting_to("localhost", certs) == {"localhost"}
    assert sni_names_of_kafkawire_connecting_to("127.0.0.1", certs) == {None}


def test_kafkawire_cli_reads_a_java_clients_properties_file(secured, certs, tmp_path):
    """The client.properties a Java client (or Kafka's own tools, --command-config) uses: the
    credentials in sasl.jaas.config, the CA as a PEM trust store."""
    password = PASSWORDS["bob"].replace("\\", "\\\\").replace('"', '\\"')
    properties = tmp_path / "java-client.properties"
    properties.write_text(
        "security.protocol=SASL_SSL\n"
        "sasl.mechanism=SCRAM-SHA-512\n"
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
        f'username="bob" password="{password}";\n'
        "ssl.truststore.type=PEM\n"
        f"ssl.truststore.location={certs / 'ca.pem'}\n")
    bootstrap, topic = secured.address("SASL_SSL"), unique("kw-java-properties")
    records = make_records(20, "kw-java-properties")
    kafkawire("topics", "create", topic, "--partitions", "1", "--brokers", bootstrap, "-F", str(properties))
    kafkawire("produce", "--brokers", bootstrap, "--topic", topic, "--key-delimiter", ":", "-F", str(properties),
              input=lines(records))
    assert [(k, v) for (_p, _o, k, v) in kafkawire_consume(bootstrap, topic, None, "-F", str(properties))] == records
    # A JKS trust store is not read: the usage error says what to do instead.
    jks = tmp_path / "jks-client.properties"
    jks.write_text(properties.read_text().replace("ssl.truststore.type=PEM", "ssl.truststore.type=JKS"))
    proc = kafkawire("metadata", "--brokers", bootstrap, "-F", str(jks), check=False)
    assert proc.returncode != 0 and b"ssl.truststore.type=PEM" in proc.stderr, proc.stderr.decode()[-1000:]


@pytest.mark.parametrize("encrypted_key", [False, True], ids=["key", "encrypted-key"])
def test_kafkawire_cli_over_mutual_tls(mtls, certs, encrypted_key):
    props = client_properties(certs, "SSL", client_cert=True, encrypted_key=encrypted_key)
    topic = unique("kw-mtls")
    records = make_records(60, topic)
    bootstrap = mtls.address("SSL")
    kafkawire("topics", "create", topic, "--partitions", "1", "--brokers", bootstrap, props=props)
    kafkawire("produce", "--brokers", bootstrap, "--topic", topic, "--key-delimiter", ":", props=props,
              input=lines(records))
    assert [(k, v) for (_p, _o, k, v) in kafkawire_consume(bootstrap, topic, props)] == records


@pytest.mark.timeout(180)
def test_kafkawire_perf_over_sasl_ssl(secured, certs):
    props = client_properties(certs, "SASL_SSL", "SCRAM-SHA-512")
    bootstrap, topic = secured.address("SASL_SSL"), unique("kw-perf")
    create_topic(secured.plaintext, topic, 2)
    produced = json.loads(kafkawire("perf", "produce", "--brokers", bootstrap, "--topic", topic, "--messages", "20000",
                                    "--size", "1000", "--partitions", "2", "--timeout", "120", props=props,
                                    timeout=150).stdout)
    assert produced["mode"] == "produce", produced
    consumed = json.loads(kafkawire("perf", "consume", "--brokers", bootstrap, "--topic", topic, "--messages", "20000",
                                    "--partitions", "2", "--timeout", "120", props=props, timeout=150).stdout)
    assert consumed["mode"] == "consume", consumed
    # perf produce sends one empty record first (to get metadata, outside the timing).
    sizes = sorted(len(m.value() or b"") for v in consume_all(secured.plaintext, topic, 2).values() for m in v)
    assert sizes == [0] + [1000] * 20000, f"{len(sizes)} records, sizes {sorted(set(sizes))}"


def test_kafkawire_cli_skips_hostname_check_when_told(special_broker, certs):
    wrong = special_broker(["PLAINTEXT", "SSL"], certificate="wronghost")
    props = client_properties(certs, "SSL") | {"ssl.endpoint.identification.algorithm": "none"}
    topic = unique("kw-no-hostname-check")
    kafkawire("topics", "create", topic, "--partitions", "1", "--brokers", wrong.address("SSL"), props=props)
    listed = json.loads(kafkawire("topics", "list", "--json", "--brokers", wrong.address("SSL"), props=props).stdout)
    assert topic in [t["name"] for t in listed]


# ============================================================================= kafkawire CLI failures


@pytest.mark.timeout(120)
@pytest.mark.parametrize("protocol", ["SASL_PLAINTEXT", "SASL_SSL"])
@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_kafkawire_wrong_password_fails_authentication(secured, certs, protocol, mechanism):
    metadata_fails(secured.address(protocol), client_properties(certs, protocol, mechanism, password=WRONG_PASSWORD),
                   "authenticationFailed")


@pytest.mark.timeout(120)
@pytest.mark.parametrize("command", ["produce", "consume", "topics-list", "group-consume"])
def test_kafkawire_wrong_password_fails_every_command(secured, certs, command):
    props = client_properties(certs, "SASL_SSL", "SCRAM-SHA-512", password=WRONG_PASSWORD)
    bootstrap, topic = secured.address("SASL_SSL"), unique("kw-denied")
    create_topic(secured.plaintext, topic, 1)
    args = {
        "produce": ["produce", "--brokers", bootstrap, "--topic", topic],
        "consume": ["consume", "--brokers", bootstrap, "--topic", topic],
        "topics-list": ["topics", "list", "--brokers", bootstrap],
        "group-consume": ["consume", "--brokers", bootstrap, "--topic", topic, "--group", unique("denied"),
                          "--count", "1"],
    }[command]
    started = time.monotonic()
    try:
        proc = subprocess.run([kafkawire_bin(), *args, "--log-level", "info", *x_flags(props)],
                              input=b"never-written\n", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=FAILURE_BOUND_S + 30)
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"{command} with a wrong password did not exit within {e.timeout:.0f}s; stderr:\n"
                             f"{(e.stderr or b'').decode(errors='replace')[-4000:]}") from None
    elapsed = time.monotonic() - started
    assert_no_secrets("kafkawire output", proc.stdout, proc.stderr)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode != 0, f"{command} succeeded with a wrong password"
    assert elapsed < FAILURE_BOUND_S, f"{command} took {elapsed:.1f}s to fail"
    assert "authenticationFailed" in stderr, stderr[-3000:]
    assert consume_all(secured.plaintext, topic, 1)[0] == [], "a record got in without authentication"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_kafkawire_unknown_user_fails_authentication(secured, certs, mechanism):
    metadata_fails(secured.address("SASL_SSL"),
                   client_properties(certs, "SASL_SSL", mechanism, user="mallory", password=PASSWORDS["alice"]),
                   "authenticationFailed")


@pytest.mark.timeout(120)
def test_kafkawire_mechanism_the_broker_does_not_offer_fails_authentication(special_broker, certs):
    only512 = special_broker(["PLAINTEXT", "SASL_PLAINTEXT"], extra=["--sasl-mechanisms", "SCRAM-SHA-512"])
    bootstrap = only512.address("SASL_PLAINTEXT")
    for mechanism in ["PLAIN", "SCRAM-SHA-256"]:
        stderr = metadata_fails(bootstrap, client_properties(certs, "SASL_PLAINTEXT", mechanism), "authenticationFailed")
        assert mechanism in stderr, stderr
    # ...while the one it offers works.
    kafkawire("metadata", "--brokers", bootstrap, "--json",
              props=client_properties(certs, "SASL_PLAINTEXT", "SCRAM-SHA-512"))


@pytest.mark.timeout(120)
def test_kafkawire_untrusted_broker_certificate_fails_tls(secured, certs):
    metadata_fails(secured.address("SSL"), client_properties(certs, "SSL", ca="other-ca"), "tlsFailed")


@pytest.mark.timeout(120)
def test_kafkawire_sasl_ssl_with_untrusted_certificate_fails_before_sending_credentials(secured, certs):
    metadata_fails(secured.address("SASL_SSL"), client_properties(certs, "SASL_SSL", "PLAIN", ca="other-ca"),
                   "tlsFailed")
    assert_no_secrets("broker log", secured.log())


@pytest.mark.timeout(120)
def test_kafkawire_expired_broker_certificate_fails_tls(special_broker, certs):
    expired = special_broker(["PLAINTEXT", "SSL"], certificate="expired")
    metadata_fails(expired.address("SSL"), client_properties(certs, "SSL"), "tlsFailed")


@pytest.mark.timeout(120)
def test_kafkawire_wrong_host_certificate_fails_tls(special_broker, certs):
    wrong = special_broker(["PLAINTEXT", "SSL"], certificate="wronghost")
    metadata_fails(wrong.address("SSL"), client_properties(certs, "SSL"), "tlsFailed")
    metadata_fails(wrong.address("SSL"), client_properties(certs, "SSL") |
                   {"ssl.endpoint.identification.algorithm": "https"}, "tlsFailed")


@pytest.mark.timeout(120)
def test_kafkawire_plaintext_client_on_ssl_listener_fails(secured, certs):
    # The client does not know it talks to TLS, but the answer's first bytes are a TLS record:
    # the error says so (a typed tlsFailed, not a retry loop).
    metadata_fails(secured.address("SSL"), client_properties(certs, "PLAINTEXT"), "tlsFailed")


@pytest.mark.timeout(120)
def test_kafkawire_ssl_client_on_plaintext_listener_fails_tls(secured, certs):
    metadata_fails(secured.plaintext, client_properties(certs, "SSL"), "tlsFailed")


@pytest.mark.timeout(120)
def test_kafkawire_unauthenticated_client_on_sasl_listener_gets_nothing(secured, certs):
    # A client that skips SASL must not get metadata (or anything but ApiVersions/SaslHandshake).
    # The broker closes the connection, as Kafka does: the client's error is that, typed.
    metadata_fails(secured.address("SASL_PLAINTEXT"), client_properties(certs, "PLAINTEXT"), "connectionClosed")


@pytest.mark.timeout(120)
def test_kafkawire_mutual_tls_without_client_certificate_fails_tls(mtls, certs):
    metadata_fails(mtls.address("SSL"), client_properties(certs, "SSL"), "tlsFailed")


@pytest.mark.timeout(120)
def test_kcat_mutual_tls_without_client_certificate_fails(mtls, certs):
    proc = kcat("-L", "-b", mtls.address("SSL"), "-m", "15", props=client_properties(certs, "SSL"),
                timeout=FAILURE_BOUND_S + 30, check=False)
    assert proc.returncode != 0, proc.stdout.decode()[-2000:]


# ============================================================================= logs and re-authentication


def authenticated_lines(log: str, user: str, what: str = "Client authenticated") -> list[str]:
    return [line for line in log.splitlines() if what in line and re.search(rf"\b{re.escape(user)}\b", line)]


@pytest.mark.timeout(120)
def test_broker_logs_who_authenticated_and_never_a_password(secured, certs):
    for mechanism in MECHANISMS:
        kafkawire("metadata", "--brokers", secured.address("SASL_SSL"), "--json",
                  props=client_properties(certs, "SASL_SSL", mechanism, user="bob"))
        metadata_fails(secured.address("SASL_PLAINTEXT"),
                       client_properties(certs, "SASL_PLAINTEXT", mechanism, password=WRONG_PASSWORD),
                       "authenticationFailed")
    wait_until(lambda: len(authenticated_lines(secured.log(), "bob")) >= 3, "three 'Client authenticated' lines for bob",
               timeout=30, detail=lambda: "\n" + secured.broker.log_tail())
    assert_no_secrets("broker log", secured.log())


@pytest.mark.timeout(180)
def test_librdkafka_reauthenticates_and_keeps_producing(special_broker, certs):
    reauth = special_broker(["PLAINTEXT", "SASL_SSL"], extra=["--connections-max-reauth-ms", "3000"])
    bootstrap, topic = reauth.address("SASL_SSL"), unique("reauth-confluent")
    create_topic(reauth.plaintext, topic, 1)
    props = client_properties(certs, "SASL_SSL", "SCRAM-SHA-256", user="bob")
    errors, failures, delivered = [], [], []
    producer = Producer(confluent_conf(bootstrap, props, error_cb=errors.append, acks="all"))
    sent = 0

    def step():
        nonlocal sent
        producer.produce(topic, value=f"m{sent}".encode(), partition=0,
                         on_delivery=lambda err, msg: failures.append(err) if err else delivered.append(msg.offset()))
        sent += 1
        producer.poll(0.2)

    wait_until(lambda: len(authenticated_lines(reauth.log(), "bob", "Client re-authenticated")) >= 2,
               "librdkafka to re-authenticate twice", timeout=90, step=step,
               detail=lambda: f"; errors {errors}\n{reauth.broker.log_tail()}")
    assert producer.flush(30) == 0
    assert not failures, failures[:3]
    assert delivered == list(range(sent)), "a record went missing or out of order across re-authentication"


@pytest.mark.timeout(180)
def test_kafkawire_reauthenticates_and_keeps_consuming(special_broker, certs):
    reauth = special_broker(["PLAINTEXT", "SASL_SSL"], extra=["--connections-max-reauth-ms", "3000"])
    bootstrap, topic = reauth.address("SASL_SSL"), unique("reauth-kafkawire")
    create_topic(reauth.plaintext, topic, 1)
    props = client_properties(certs, "SASL_SSL", "SCRAM-SHA-512", user="alice")
    producer = Producer({"bootstrap.servers": reauth.plaintext, "acks": "all"})
    producer.produce(topic, value=b"before", partition=0)
    assert producer.flush(15) == 0
    follower = subprocess.Popen(
        [kafkawire_bin(), "consume", "--brokers", bootstrap, "--topic", topic, "--follow", "--json", *x_flags(props)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen: list[bytes] = []
    stderr: list[bytes] = []
    readers = [
        threading.Thread(target=lambda: seen.extend(base64.b64decode(json.loads(line)["value_b64"])
                                                    for line in follower.stdout), daemon=True),
        threading.Thread(target=lambda: stderr.extend(follower.stderr), daemon=True),
    ]
    for reader in readers:
        reader.start()
    try:
        wait_until(lambda: b"before" in seen, "the follower to read the first record", timeout=30,
                   detail=lambda: "\n" + b"".join(stderr).decode(errors="replace")[-2000:])
        wait_until(lambda: len(authenticated_lines(reauth.log(), "alice", "Client re-authenticated")) >= 2,
                   "kafkawire to re-authenticate twice", timeout=90,
                   detail=lambda: f"\n{reauth.broker.log_tail()}")
        assert follower.poll() is None, f"the follower exited: {b''.join(stderr).decode(errors='replace')[-2000:]}"
        producer.produce(topic, value=b"after", partition=0)
        assert producer.flush(15) == 0
        wait_until(lambda: b"after" in seen, "the follower to read a record after re-authentication", timeout=30,
                   detail=lambda: "\n" + b"".join(stderr).decode(errors="replace")[-2000:])
    finally:
        follower.terminate()
        try:
            follower.wait(30)
        except subprocess.TimeoutExpired:
            follower.kill()
            follower.wait(10)
        for reader in readers:
            reader.join(10)
    assert_no_secrets("kafkawire consume stderr", b"".join(stderr))


# ============================================================================= OAUTHBEARER


def unsecured_jwt(subject: str, expires_in_s: float) -> str:
    """A token as Kafka's default (unsecured) OAUTHBEARER validator accepts it: alg none, sub, exp."""
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")
    return f"{part({'alg': 'none'})}.{part({'sub': subject, 'exp': time.time() + expires_in_s, 'iat': time.time()})}."


@pytest.mark.timeout(180)
def test_oauthbearer_librdkafka_and_kafkawire_token_file(special_broker, certs, tmp_path):
    oauth = special_broker(["PLAINTEXT", "SASL_SSL"], extra=["--sasl-mechanisms", "OAUTHBEARER,SCRAM-SHA-512"])
    bootstrap = oauth.address("SASL_SSL")
    base = {"security.protocol": "SASL_SSL", "ssl.ca.location": str(certs / "ca.pem"), "sasl.mechanism": "OAUTHBEARER"}

    # librdkafka builds its own unsecured token for principal carol.
    kcat_props = {**base, "enable.sasl.oauthbearer.unsecure.jwt": "true", "sasl.oauthbearer.config": "principal=carol"}
    kcat_roundtrip(bootstrap, kcat_props, unique("oauth-kcat"), make_records(5, "oauth"))

    # kafkawire reads the token from a file at each authentication.
    token_file = tmp_path / "token"
    token_file.write_text(unsecured_jwt("dave", 3600) + "\n")
    props = {**base, "sasl.oauthbearer.token.file": str(token_file)}
    topic = unique("oauth-kafkawire")
    kafkawire_roundtrip(bootstrap, props, oauth.plaintext, topic, make_records(5, "oauth-kw"))
    wait_until(lambda: authenticated_lines(oauth.log(), "carol") and authenticated_lines(oauth.log(), "dave"),
               "the broker to log carol and dave as authenticated", timeout=30, detail=lambda: "\n" + oauth.broker.log_tail())

    # An expired token in the file is a final authentication failure.
    token_file.write_text(unsecured_jwt("dave", -60))
    metadata_fails(bootstrap, props, "authenticationFailed")


@pytest.mark.timeout(180)
def test_kafkawire_rereads_the_token_file_when_it_reauthenticates(special_broker, certs, tmp_path):
    """A session ends with its token: kafkawire re-authenticates with the file's current token,
    so an agent that refreshes the file keeps a long-running client connected."""
    oauth = special_broker(["PLAINTEXT", "SASL_SSL"], extra=["--sasl-mechanisms", "OAUTHBEARER"])
    bootstrap, topic = oauth.address("SASL_SSL"), unique("oauth-reauth")
    create_topic(oauth.plaintext, topic, 1)
    token_file = tmp_path / "token"
    token_file.write_text(unsecured_jwt("erin", 4))
    props = {"security.protocol": "SASL_SSL", "ssl.ca.location": str(certs / "ca.pem"), "sasl.mechanism": "OAUTHBEARER",
             "sasl.oauthbearer.token.file": str(token_file)}
    follower = subprocess.Popen(
        [kafkawire_bin(), "consume", "--brokers", bootstrap, "--topic", topic, "--follow", "--json", *x_flags(props)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        def refreshed_and_reauthenticated_twice() -> bool:
            # The agent: each check first puts a fresh short-lived token in the file (wait_until
            # polls, so the file is never older than its poll interval).
            token_file.write_text(unsecured_jwt("erin", 4))
            return len(authenticated_lines(oauth.log(), "erin", "Client re-authenticated")) >= 2
        wait_until(refreshed_and_reauthenticated_twice,
                   "kafkawire to re-authenticate twice with refreshed tokens", timeout=120,
                   detail=lambda: "\n" + oauth.broker.log_tail())
        assert follower.poll() is None, follower.stderr.read().decode()[-2000:]
    finally:
        follower.terminate()
        follower.wait(timeout=30)


# ============================================================================= secrets in help and settings


@pytest.mark.timeout(120)
def test_no_program_shows_a_secret_from_its_environment(tmp_path):
    """--help shows each option's default; a secret in the environment (the Kafka password, the
    key's passphrase, a database URL's password, admin token, webhook secret) is never one."""
    from service_process import service_bin
    secret_env = {
        "KAFKA_SASL_PASSWORD": f"kafka-{secrets.token_hex(6)}",
        "KAFKA_SSL_KEY_PASSWORD": f"keypass-{secrets.token_hex(6)}",
        "DATABASE_URL": f"postgres://orders:dbpass-{secrets.token_hex(6)}@127.0.0.1:1/orders",
        "ADMIN_TOKEN": f"admin-{secrets.token_hex(6)}",
        "NOTIFIER_WEBHOOK_SECRET": f"hook-{secrets.token_hex(6)}",
    }
    values = [v.split(":")[2].split("@")[0] if k == "DATABASE_URL" else v for k, v in secret_env.items()]
    programs = [("order-command", "ORDER_COMMAND_BIN"), ("order-query", "ORDER_QUERY_BIN"),
                ("notifier", "NOTIFIER_BIN"), ("orders", "ORDERS_BIN")]
    for name, variable in programs:
        for args in (["--help"], ["events", "--help"]) if name == "orders" else (["--help"],):
            proc = subprocess.run([service_bin(name, variable), *args], env={**os.environ, **secret_env},
                                  capture_output=True, timeout=60)
            text = (proc.stdout + proc.stderr).decode("utf-8", "replace")
            assert "--kafka-security-protocol" in text or name == "orders" and args == ["--help"], text[:500]
            for value in values:
                assert value not in text, f"{name} {' '.join(args)} shows a secret from its environment"


@pytest.mark.parametrize("broken, says", [
    ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL"}, "needs sasl.mechanism"),
    ({"KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT", "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512", "KAFKA_SASL_USERNAME": "orders",
      "KAFKA_SASL_PASSWORD_FILE": "/nonexistent/kafka-password"}, "KAFKA_SASL_PASSWORD_FILE"),
    ({"KAFKA_SECURITY_PROTOCOL": "SSL", "KAFKA_SSL_KEY_LOCATION": "/nonexistent/client.key"}, "ssl.certificate.location"),
    ({"KAFKA_SECURITY_PROTOCOL": "PLAINTEXT", "KAFKA_SASL_MECHANISM": "PLAIN", "KAFKA_SASL_USERNAME": "orders",
      "KAFKA_SASL_PASSWORD": "PASSWORD"}, "does not use SASL"),
], ids=["sasl-without-mechanism", "unreadable-password-file", "key-without-certificate", "sasl-on-plaintext"])
def test_services_refuse_a_security_setting_that_cannot_work_in_one_line(broken, says):
    """A setting that cannot work stops each service at start: exit 64 and one line naming it
    (not the help), never the password, before any connection is tried (nothing listens at the
    bootstrap address)."""
    from service_process import service_bin
    password = f"pw-{secrets.token_hex(6)}"
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}",
           **{k: password if v == "PASSWORD" else v for k, v in broken.items()}}
    for name, variable in [("order-command", "ORDER_COMMAND_BIN"), ("order-query", "ORDER_QUERY_BIN"),
                           ("notifier", "NOTIFIER_BIN")]:
        proc = subprocess.run([service_bin(name, variable)], env=env, capture_output=True, timeout=60)
        stderr = proc.stderr.decode("utf-8", "replace")
        assert proc.returncode == 64, f"{name}: exit {proc.returncode}\n{stderr[-2000:]}"
        assert stderr.count("\n") == 1 and stderr.startswith(f"{name}: "), f"{name}: not one line:\n{stderr[-2000:]}"
        assert says in stderr, f"{name}: {stderr}"
        assert password not in stderr + proc.stdout.decode("utf-8", "replace"), f"{name} shows the password"
