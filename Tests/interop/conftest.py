"""Fixtures for the kafkawire interop suite.

`broker`: a fresh `kafkawire broker` on a free 127.0.0.1 port with a fresh data dir in the
test's tmp_path. The test gets a helpers.Broker with .bootstrap ("127.0.0.1:PORT"),
.restart(hard=False), .kill9(), .start(), .assert_alive(). The broker is stopped at the end;
if it died on its own during the test, the test errors. On failure the broker log tail is
attached to the report.

Extra broker flags for one test: @pytest.mark.broker_args("--auto-create-topics", "true").
"""

from __future__ import annotations

import gc

import pytest

from helpers import Broker, kafkawire_bin, kcat_bin


def pytest_sessionstart(session):
    # Fail fast and loudly (not skip) when the environment is incomplete.
    try:
        kafkawire_bin()
        kcat_bin()
    except RuntimeError as e:
        raise pytest.UsageError(f"interop suite cannot run: {e}") from None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    broker = getattr(item, "_kafkawire_broker", None)
    if broker is not None and rep.failed:
        rep.sections.append((f"kafkawire broker log, tail ({rep.when})", broker.log_tail(80)))
    if rep.failed:
        for index, instance in enumerate(getattr(item, "_order_commands", [])):
            rep.sections.append((f"order-command #{index} log, tail ({rep.when})", instance.log_tail(80)))
        for index, instance in enumerate(getattr(item, "_order_queries", [])):
            rep.sections.append((f"order-query #{index} log, tail ({rep.when})", instance.log_tail(80)))
        for index, instance in enumerate(getattr(item, "_notifiers", [])):
            rep.sections.append((f"notifier #{index} log, tail ({rep.when})", instance.log_tail(80)))


@pytest.fixture
def broker(request, tmp_path):
    marker = request.node.get_closest_marker("broker_args")
    extra = tuple(marker.args) if marker else ()
    b = Broker(tmp_path / "data", tmp_path / "broker.log", extra_args=extra)
    request.node._kafkawire_broker = b
    b.start()
    yield b
    # Let the test's clients (librdkafka handles are freed on garbage collection) go away while the
    # broker is still up, so they do not linger reconnecting to a dead port.
    gc.collect()
    # A broker that died by itself (not through stop()/kill9() in the test) fails this test.
    died = b.died_unexpectedly()
    code = b.proc.returncode if b.proc is not None else None
    b.stop(timeout=10, strict=False)
    if died:
        pytest.fail(f"kafkawire exited on its own during the test (status {code})\n{b.log_tail()}",
                    pytrace=False)


@pytest.fixture
def order_commands(request, tmp_path):
    """Starts `order-command` instances against a broker: order_commands(broker, env={...}).
    Each is stopped at the end; on failure their log tails are attached to the report."""
    from order_command import OrderCommand

    started = []

    def start(broker, env=None, ready_timeout=90.0):
        instance = OrderCommand(broker.bootstrap, tmp_path / f"order-command-{len(started)}.log", env=env)
        started.append(instance)
        request.node._order_commands = started
        return instance.start(ready_timeout=ready_timeout)

    yield start
    for instance in started:
        instance.stop()



@pytest.fixture(params=["postgres", "sqlite"])
def database_url(request, tmp_path):
    """A fresh, empty read-model database: a new database on the test command's PostgreSQL
    server, or a new SQLite file. Tests that take it run once on each."""
    from order_query import fresh_postgres_database
    if request.param == "postgres":
        name = "oq_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[-50:]
        return fresh_postgres_database(name)
    return f"sqlite:{tmp_path / 'order-query.sqlite'}"


@pytest.fixture
def order_queries(request, tmp_path):
    """Starts `order-query` instances: order_queries(broker, database_url, env={...}). Each is
    stopped at the end; on failure their log tails are attached to the report."""
    from order_query import OrderQuery

    started = []

    def start(broker, database_url, env=None, ready_timeout=90.0):
        instance = OrderQuery(broker.bootstrap, tmp_path / f"order-query-{len(started)}.log",
                              env={"DATABASE_URL": database_url, **(env or {})})
        started.append(instance)
        request.node._order_queries = started
        return instance.start(ready_timeout=ready_timeout)

    yield start
    for instance in started:
        instance.stop()


@pytest.fixture
def notifiers(request, tmp_path):
    """Starts `notifier` instances: notifiers(broker, database_url, env={...}). Each is stopped
    at the end; on failure their log tails are attached to the report."""
    from notifier import Notifier

    started = []

    def start(broker, database_url, env=None, ready_timeout=90.0):
        instance = Notifier(broker.bootstrap, tmp_path / f"notifier-{len(started)}.log",
                            env={"DATABASE_URL": database_url, **(env or {})})
        started.append(instance)
        request.node._notifiers = started
        return instance.start(ready_timeout=ready_timeout)

    yield start
    for instance in started:
        instance.stop()


@pytest.fixture
def webhooks():
    """Starts webhook receivers (notifier.WebhookReceiver): webhooks(secret=..., policy=..., port=...).
    Each is closed at the end."""
    from notifier import WebhookReceiver

    started = []

    def start(secret=None, policy=None, port=0):
        receiver = WebhookReceiver(secret=secret, policy=policy, port=port)
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.close()
