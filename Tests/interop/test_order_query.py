"""OrderQuery acceptance (issue 7), each test on PostgreSQL and on SQLite, against the real dev
broker over TCP and real HTTP:

1. 100,000+ events over 10,000 orders (with a second writer's void events): the read model after
   live processing equals an independent fold of the log, row by row, and equals a rebuild's.
2. SIGKILL at random moments during folding, 20 times: the final read model equals the fold.
3. 1,000 commands: a query carrying each command's position sees its effect, every time.
4. Bad parameters get 400 problems and leave the database as it was.
5. A rebuild while commands and queries run: no query fails; the swap is atomic.
"""

from __future__ import annotations

import json
import random
import threading

import pytest

from helpers import wait_until
from order_command import Client
from order_query import History, all_orders, create_topic, expected_read_model, wait_caught_up

PARTITIONS = 6
ADMIN = {"Authorization": "Bearer test-admin-token"}
FIELDS = ["orderId", "customerId", "status", "currency", "items", "itemCount", "total", "version",
          "placedAt", "updatedAt", "shipping", "cancelReason"]


def write_history(broker, orders: int, seed: int, void_every: int = 6, prefix: str = "o") -> History:
    history = History(broker.bootstrap, PARTITIONS, seed=seed)
    for n in range(orders):
        history.lifecycle(f"{prefix}-{n:05d}", f"c-{n % 997}", void_every=void_every)
    history.flush()
    return history


def assert_matches_fold(served: dict, expected: dict) -> None:
    assert sorted(served) == sorted(expected), (
        f"orders differ: {len(served)} served, {len(expected)} expected; "
        f"missing {sorted(set(expected) - set(served))[:5]}, extra {sorted(set(served) - set(expected))[:5]}")
    for order_id, want in expected.items():
        got = served[order_id]
        for field in FIELDS:
            assert got.get(field) == want.get(field), f"{order_id}.{field}: served {got.get(field)!r}, fold {want.get(field)!r}"


def rebuild(client: Client, body=None, timeout: float = 300.0) -> dict:
    reply = client.request("POST", "/admin/rebuild", body=body, headers=ADMIN)
    assert reply.status == 202, reply.body
    rebuild_id = reply.body["id"]
    assert reply.headers["location"] == f"/admin/rebuild/{rebuild_id}"
    last = {}

    def done() -> bool:
        nonlocal last
        last = client.request("GET", f"/admin/rebuild/{rebuild_id}", headers=ADMIN).body
        assert last["status"] != "failed", last
        return last["status"] in ("live", "snapshot")

    wait_until(done, f"rebuild {rebuild_id} to finish", timeout, detail=lambda: f" (last: {last})")
    return last


@pytest.mark.timeout(900)
def test_live_read_model_equals_independent_fold_and_rebuild(broker, database_url, order_queries):
    create_topic(broker.bootstrap, PARTITIONS)
    oq = order_queries(broker, database_url, env={"ADMIN_TOKEN": "test-admin-token", "RETIRE_GRACE_MS": "0"})
    # Written while the service runs: this is live processing, batch by batch.
    history = write_history(broker, 10_000, seed=11)
    assert history.written >= 100_000, history.written
    client = Client(oq.port, timeout=60)
    projection = wait_caught_up(client)
    assert sum(p["storedOffset"] for p in projection["partitions"]) == history.written

    expected = expected_read_model(broker.bootstrap, PARTITIONS)
    assert len(expected) == 10_000
    live = all_orders(client)
    assert_matches_fold(live, expected)

    # Void events were in the log and skipped, counted by reason.
    metrics = client.request("GET", "/metrics").raw.decode()
    void_total = sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines() if line.startswith("order_query_void_events_total{"))
    assert void_total == history.written - sum(o["version"] for o in expected.values())
    assert void_total > 1000

    # Histories: every event in effect, in version order, for a sample of orders.
    for order_id in random.Random(3).sample(sorted(expected), 200):
        events = client.request("GET", f"/orders/{order_id}/history").body["events"]
        assert [e["version"] for e in events] == list(range(1, expected[order_id]["version"] + 1))

    # Stats and a customer's summary agree with the orders.
    stats = client.request("GET", "/stats").body
    assert stats["orders"] == 10_000
    for status in ("placed", "confirmed", "shipped", "delivered", "cancelled"):
        assert stats["byStatus"][status]["orders"] == sum(1 for o in expected.values() if o["status"] == status)
    mine = [o for o in expected.values() if o["customerId"] == "c-5"]
    customer = client.request("GET", "/customers/c-5").body
    assert customer["orderCount"] == len(mine)
    totals: dict = {}
    for o in mine:
        if o["status"] != "cancelled":
            totals[o["currency"]] = totals.get(o["currency"], 0) + o["total"]
    assert customer["totals"] == totals

    # A from-scratch rebuild gives exactly the same read model, then serves.
    before = client.request("GET", "/projection").body["generation"]
    status = rebuild(client)
    assert status["eventsApplied"] == sum(o["version"] for o in expected.values())
    after = client.request("GET", "/projection").body
    assert after["generation"] == status["generation"] != before
    assert all_orders(client) == live


@pytest.mark.timeout(900)
def test_sigkill_during_folding_loses_nothing_and_applies_nothing_twice(broker, database_url, order_queries):
    create_topic(broker.bootstrap, PARTITIONS)
    history = write_history(broker, 6_000, seed=23, prefix="k")
    rng = random.Random(5)
    kills_while_behind = 0
    oq = None
    for round_ in range(20):
        # Static membership: the restarted instance takes the partitions back without waiting
        # for the killed one's session to expire, so every round folds.
        oq = order_queries(broker, database_url, env={"MAX_BATCH": str(rng.choice([50, 200, 1000])),
                                                      "GROUP_INSTANCE_ID": "oq-kill"}, ready_timeout=0)
        # A random point of progress, not of time: as soon as it answers (some rounds), or
        # once a random share of what is left to fold has been stored.
        share = rng.choice([0.0, rng.random()])
        start = None
        last = {}

        def reached() -> bool:
            nonlocal start, last
            if oq.proc.poll() is not None:
                raise AssertionError(f"order-query exited with {oq.proc.returncode}\n{oq.log_tail()}")
            try:
                reply = Client(oq.port, timeout=5).request("GET", "/projection")
            except OSError:
                return False
            if reply.status != 200:
                return False
            last = reply.body
            stored = sum(p["storedOffset"] for p in last["partitions"])
            start = stored if start is None else start
            return stored >= start + share * (history.written - start)

        wait_until(reached, f"order-query to store {share:.0%} of what was left", 120, detail=lambda: f" (last: {last})")
        if sum(p["lag"] for p in last["partitions"]):
            kills_while_behind += 1
        oq.kill9()
        if round_ == 9:
            # Half-way, more events arrive, so later kills also land in the middle of new batches.
            for n in range(2_000):
                history.lifecycle(f"k2-{n:05d}", f"c-{n % 97}", void_every=5)
            history.flush()
    assert kills_while_behind >= 5, f"only {kills_while_behind} of 20 kills landed while the projection was behind"
    final = order_queries(broker, database_url, env={"GROUP_INSTANCE_ID": "oq-kill"})
    client = Client(final.port, timeout=60)
    wait_caught_up(client)
    expected = expected_read_model(broker.bootstrap, PARTITIONS)
    assert_matches_fold(all_orders(client), expected)
    # No event applied twice or lost: each history is exactly versions 1..N.
    for order_id in random.Random(9).sample(sorted(expected), 300):
        events = client.request("GET", f"/orders/{order_id}/history").body["events"]
        assert [e["version"] for e in events] == list(range(1, expected[order_id]["version"] + 1)), order_id


@pytest.mark.timeout(600)
def test_position_token_sees_the_command(broker, database_url, order_commands, order_queries):
    oc = order_commands(broker)
    oq = order_queries(broker, database_url)
    failures = []
    last_position = {}
    lock = threading.Lock()

    def worker(index: int) -> None:
        commands = Client(oc.port)
        queries = Client(oq.port)
        order_id = None
        for n in range(125):
            if order_id is None or n % 5 == 0:
                reply = commands.request("POST", "/orders", {"customerId": f"ryw-{index}", "currency": "EUR",
                                                               "items": [{"sku": "A", "quantity": 1, "unitPrice": 100}]})
                order_id = reply.body["orderId"] if reply.status == 201 else None
                sku = "A"
            else:
                sku = f"S{n}"
                reply = commands.request("POST", f"/orders/{order_id}/items", {"sku": sku, "quantity": n, "unitPrice": 7})
            if reply.status not in (200, 201):
                with lock:
                    failures.append(f"command answered {reply.status}: {reply.body}")
                continue
            with lock:
                last_position[reply.body["orderId"]] = reply.body["position"]
            seen = queries.request("GET", f"/orders/{reply.body['orderId']}?position={reply.body['position']}&waitMs=30000")
            ok = (seen.status == 200 and seen.body["version"] >= reply.body["version"]
                  and any(i["sku"] == sku for i in seen.body["items"]))
            if not ok:
                with lock:
                    failures.append(f"{reply.body} not visible: {seen.status} {seen.body}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []

    # Reads with a position are answered from the projection's last stored rows when it has
    # them; those rows are the database's, value for value: a plain read (the database's
    # answer) of every order, once all is stored, gives the same body and ETag.
    queries = Client(oq.port)
    assert len(last_position) == 8 * 25
    for order_id, position in last_position.items():
        fresh = queries.request("GET", f"/orders/{order_id}?position={position}&waitMs=30000")
        plain = queries.request("GET", f"/orders/{order_id}")
        assert fresh.status == 200
        assert (fresh.body, fresh.headers.get("etag")) == (plain.body, plain.headers.get("etag"))
    metrics = queries.request("GET", "/metrics").raw.decode()
    from_projection = [line for line in metrics.splitlines() if line.startswith('order_query_order_reads_total{source="projection"}')]
    assert from_projection and float(from_projection[0].split()[-1]) > 0, metrics


BAD_QUERIES = [
    "/orders?limit=0", "/orders?limit=501", "/orders?limit=99999999999999999999", "/orders?limit=-1", "/orders?limit=1e3",
    "/orders?status=lost", "/orders?status=placed'%20OR%201=1--", "/orders?customerId=x'%3BDROP%20TABLE%20orders%3B--",
    "/orders?cursor=not-a-cursor", "/orders?cursor=" + "A" * 300, "/orders?cursor=MTIzOmEnOy0t",
    "/orders?position=abc", "/orders?position=0", "/orders?position=6:1", "/orders?position=-1:3", "/orders?position=0:-1",
    "/orders?position=0:1&minVersion=1", "/orders?waitMs=30001", "/orders?waitMs=-5", "/orders?generation=0",
    "/orders?limit=5&limit=6", "/orders?unknown=1", "/orders/%27%3B%20DROP%20TABLE%20x%3B--",
    "/orders/a/history?minVersion=0", "/customers/%22%3B--", "/stats?position=1:x", "/projection?x=1",
    "/orders/" + "a" * 65,
]


@pytest.mark.timeout(300)
def test_bad_parameters_are_400_and_touch_nothing(broker, database_url, order_queries):
    create_topic(broker.bootstrap, PARTITIONS)
    oq = order_queries(broker, database_url, env={"ADMIN_TOKEN": "test-admin-token"})
    write_history(broker, 300, seed=31)
    client = Client(oq.port)
    wait_caught_up(client)
    before = (all_orders(client), client.request("GET", "/stats").body)
    for path in BAD_QUERIES:
        reply = client.request("GET", path)
        assert reply.status == 400, f"{path}: {reply.status} {reply.body}"
        assert reply.headers["content-type"] == "application/problem+json"
        assert reply.body["type"] == "/problems/validation", (path, reply.body)
    for body in [b"[]", b"{\"upTo\": 5}", b"{\"upTo\": {\"9\": 1}}", b"{\"upTo\": {\"0\": -1}}", b"{\"upTo\": {\"0\": true}}",
                 b"{\"upToTimestamp\": \"x\"}", b"{\"what\": 1}", b"{", b"{\"upTo\": {\"0\": 1}, \"upToTimestamp\": 5}"]:
        reply = client.request("POST", "/admin/rebuild", raw=body, headers=ADMIN)
        assert reply.status == 400, f"{body!r}: {reply.status} {reply.body}"
    assert client.request("POST", "/admin/rebuild", headers={"Authorization": "Bearer wrong"}).status == 401
    assert client.request("GET", "/admin/rebuild/1").status == 401
    assert client.request("GET", "/orders/no-such-order").body["type"] == "/problems/order-not-found"
    assert client.request("GET", "/customers/nobody").body["type"] == "/problems/customer-not-found"
    assert client.request("GET", "/orders?generation=99").body["type"] == "/problems/generation-not-found"
    assert client.request("PUT", "/orders").status == 405
    # Nothing changed; a read model as of a position is kept beside the live one.
    assert (all_orders(client), client.request("GET", "/stats").body) == before
    ends = {str(p["partition"]): p["endOffset"] // 2 for p in client.request("GET", "/projection").body["partitions"]}
    snapshot = rebuild(client, {"upTo": ends})
    assert snapshot["status"] == "snapshot"
    as_of = all_orders(client, f"generation={snapshot['generation']}")
    assert 0 < len(as_of) < len(before[0])
    assert all(as_of[o]["version"] <= before[0][o]["version"] for o in as_of)
    assert all_orders(client) == before[0]


@pytest.mark.timeout(900)
def test_rebuild_under_load_swaps_without_a_failed_query(broker, database_url, order_commands, order_queries):
    oc = order_commands(broker)
    oq = order_queries(broker, database_url, env={"ADMIN_TOKEN": "test-admin-token", "RETIRE_GRACE_MS": "2000"})
    # Some history first, so the rebuild has work to do while the load runs.
    seed = Client(oc.port)
    for n in range(300):
        reply = seed.request("POST", "/orders", {"customerId": f"c-{n % 7}", "currency": "EUR",
                                                  "items": [{"sku": "A", "quantity": 1, "unitPrice": 10}]})
        assert reply.status == 201, reply.body
    stop = threading.Event()
    errors: list = []
    counts = {"commands": 0, "queries": 0}
    lock = threading.Lock()

    def load(index: int) -> None:
        commands, queries = Client(oc.port), Client(oq.port)
        while not stop.is_set():
            reply = commands.request("POST", "/orders", {"customerId": f"load-{index}", "currency": "USD",
                                                          "items": [{"sku": "B", "quantity": 2, "unitPrice": 5}]})
            if reply.status != 201:
                errors.append(f"command {reply.status} {reply.body}")
                continue
            for path in (f"/orders/{reply.body['orderId']}?position={reply.body['position']}&waitMs=30000",
                         f"/orders?customerId=load-{index}&limit=5", "/stats", f"/customers/load-{index}"):
                seen = queries.request("GET", path)
                if seen.status != 200:
                    errors.append(f"{path}: {seen.status} {seen.body}")
            with lock:
                counts["commands"] += 1
                counts["queries"] += 4

    threads = [threading.Thread(target=load, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    try:
        client = Client(oq.port)
        wait_until(lambda: counts["commands"] >= 50, "load to run", 120)
        status = rebuild(client)
        assert status["status"] == "live"
        start = counts["queries"]
        wait_until(lambda: counts["queries"] >= start + 200, "queries after the swap", 120)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    wait_caught_up(client)
    expected = expected_read_model(broker.bootstrap, 6)
    assert_matches_fold(all_orders(client), expected)


@pytest.mark.timeout(600)
def test_a_repeated_version_one_of_a_stored_order_stays_void_in_a_backlog(broker, database_url, order_queries):
    """A backlog's large batches do not read the orders whose first record in the batch is
    their version 1 (nearly always new orders). Another writer's repeat of the version 1 of an
    order stored before is the exception: storing the batch fails on the events table's key,
    and the batch is folded again from the rows read, so the repeat stays void."""
    create_topic(broker.bootstrap, 1)
    history = History(broker.bootstrap, 1, seed=41)
    history.lifecycle("r-0001", "c-1")
    history.flush()
    oq = order_queries(broker, database_url)
    client = Client(oq.port)
    wait_caught_up(client)
    before = client.request("GET", "/orders/r-0001").body
    oq.stop()
    # While it is down: the repeat, then a backlog behind it, so that the repeat is the first
    # record of its order in a batch of thousands (one partition: the batch is what is fetched).
    history._send("r-0001", "OrderPlaced", {"customerId": "c-9", "currency": "USD", "items": []}, 1)
    for n in range(600):
        history.lifecycle(f"r-{n + 2:04d}", f"c-{n % 17}")
    history.flush()
    oq = order_queries(broker, database_url)
    client = Client(oq.port)
    wait_caught_up(client)
    after = client.request("GET", "/orders/r-0001").body
    assert {f: after.get(f) for f in FIELDS} == {f: before.get(f) for f in FIELDS}
    assert_matches_fold(all_orders(client), expected_read_model(broker.bootstrap, 1))
    assert "folding it again from rows read" in oq.log_tail(400)
    metrics = client.request("GET", "/metrics").raw.decode()
    assert 'order_query_void_events_total{reason="version-not-next"} 1' in metrics


def test_unreadable_event_stops_its_partition_visibly(broker, database_url, order_queries):
    """An event of a newer schema version is not folded past: its partition stops (not ready,
    a metric, a log line); the other partitions go on."""
    create_topic(broker.bootstrap, PARTITIONS)
    oq = order_queries(broker, database_url)
    history = History(broker.bootstrap, PARTITIONS, seed=3)
    history.lifecycle("u-1", "c-1")
    bad = "u-2"
    history.event(bad, "OrderPlaced", {"customerId": "c-2", "currency": "EUR", "items": []})
    history._send(bad, "ItemAdded", {"sku": "X", "quantity": 1, "unitPrice": 1}, 2, schema=99)
    history.versions[bad] = 2
    history.flush()
    client = Client(oq.port)
    from order_command import partition_of
    stopped = partition_of(bad, PARTITIONS)

    def not_ready() -> bool:
        reply = client.request("GET", "/health/ready")
        return reply.status == 503 and f"partition {stopped} stopped" in reply.body["detail"]

    wait_until(not_ready, "readiness to name the stopped partition", 60)
    metrics = client.request("GET", "/metrics").raw.decode()
    assert "order_query_partitions_stopped_total 1" in metrics
    assert "cannot read" in oq.log_tail(200)
    # The event is not skipped: the stored offset stays at it.
    partitions = {p["partition"]: p for p in client.request("GET", "/projection").body["partitions"]}
    assert partitions[stopped]["lag"] >= 1
    assert client.request("GET", f"/orders/{bad}").body["version"] == 1
    # Other partitions are served.
    for n in range(30):
        history.lifecycle(f"v-{n}", "c-3")
    history.flush()
    others = [f"v-{n}" for n in range(30) if partition_of(f"v-{n}", PARTITIONS) != stopped]
    wait_until(lambda: all(client.request("GET", f"/orders/{o}").status == 200 for o in others), "other partitions to fold", 60)


@pytest.mark.timeout(900)
def test_partitions_move_between_instances_without_loss_or_repeat(broker, database_url, order_queries):
    """Two instances share the partitions through the group; one is killed mid-stream, the other
    takes its partitions from the stored offsets; a third joins. The read model equals the fold."""
    create_topic(broker.bootstrap, PARTITIONS)
    first = order_queries(broker, database_url, env={"MAX_BATCH": "100"})
    second = order_queries(broker, database_url, env={"MAX_BATCH": "100"})
    history = History(broker.bootstrap, PARTITIONS, seed=13)
    for n in range(1_500):
        history.lifecycle(f"m-{n:05d}", f"c-{n % 50}", void_every=4)
        if n == 500:
            history.flush()
            first.kill9()
        if n == 1000:
            history.flush()
            order_queries(broker, database_url, env={"MAX_BATCH": "100"}, ready_timeout=0)
    history.flush()
    client = Client(second.port, timeout=60)
    wait_caught_up(client, timeout=300)
    expected = expected_read_model(broker.bootstrap, PARTITIONS)
    assert_matches_fold(all_orders(client), expected)
    for order_id in random.Random(2).sample(sorted(expected), 200):
        events = client.request("GET", f"/orders/{order_id}/history").body["events"]
        assert [e["version"] for e in events] == list(range(1, expected[order_id]["version"] + 1)), order_id
