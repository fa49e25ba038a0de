"""Group user data and high watermarks of the KafkaWire consumer in a group with a
confluent-kafka (librdkafka) member, both speaking cooperative-sticky.

The kafkawire member (`kafkawire consume --group --user-data URL --owner-map --print-events`)
puts its URL in its subscription user data; when it leads, it attaches to every assignment a
JSON map from partition to its owner's user data. Whoever leads, both members get partitions
without overlap and read their records; the kafkawire member reports each partition caught up
at its high watermark (empty partitions included).
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time

import pytest

from helpers import create_topic, kafkawire_bin, wait_until
from test_kafkawire_consumer import ConfluentMember, b64, produce

URL = "http://order-command-kw:8080"


class KafkaWireEventsMember:
    """`kafkawire consume --group --print-events` as a subprocess: records land in `seen`,
    rebalance and caught-up events in `events`."""

    def __init__(self, bootstrap: str, topic: str, group: str, seen: list):
        self.proc = subprocess.Popen(
            [kafkawire_bin(), "consume", "--brokers", bootstrap, "--topic", topic, "--group", group, "--json",
             "--assignment-strategy", "cooperative-sticky", "--session-timeout-ms", "6000",
             "--heartbeat-interval-ms", "500", "--user-data", URL, "--owner-map", "--print-events",
             "--log-level", "info"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.seen = seen
        self.events = []
        self.stderr = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            r = json.loads(line)
            if "event" in r:
                self.events.append(r)
            else:
                self.seen.append(("kafkawire", r["partition"], r["offset"], b64(r["value_b64"])))

    def assigned(self):
        """The last assignment received, or None."""
        found = [e for e in list(self.events) if e["event"] == "assigned"]
        return found[-1] if found else None

    def caught_up(self):
        return {e["partition"]: e["high_watermark"] for e in list(self.events) if e["event"] == "caught_up"}

    def log(self) -> str:
        return b"".join(self.stderr).decode("utf-8", "replace")[-3000:]

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        assert self.proc.wait(30) == 0, self.log()
        self.reader.join(10)


@pytest.mark.timeout(180)
@pytest.mark.parametrize("leader", ["kafkawire", "confluent"])
def test_user_data_member_in_a_cooperative_group_with_confluent(broker, leader):
    topic = group = f"kw-user-data-{leader}"
    create_topic(broker.bootstrap, topic, 6)
    seen = []
    # Partitions 0-3 hold records, 4 and 5 stay empty until the split.
    produced = produce(broker.bootstrap, topic, "first", 20, partitions=4)
    cf = None

    def values():
        return {v for (_w, _p, _o, v) in list(seen)}

    def wait_for(condition, what, timeout=60.0):
        # Between checks, serve the confluent member's callbacks (its poll waits up to 0.2 s).
        wait_until(condition, what, timeout, step=lambda: cf.poll(0.2) if cf is not None else time.sleep(0.05),
                   detail=lambda: f"; seen {len(seen)} records; events {kw.events[-5:]}\n{kw.log()}")

    if leader == "confluent":
        cf = ConfluentMember(broker.bootstrap, topic, group, seen, strategy="cooperative-sticky")
        wait_for(lambda: len(cf.assignment) == 6, "the confluent member alone to own everything")
    kw = KafkaWireEventsMember(broker.bootstrap, topic, group, seen)
    try:
        if leader == "kafkawire":
            # Alone: every partition, every one of them owned by its URL, each caught up at
            # its high watermark (the empty ones without any record).
            wait_for(lambda: values() >= produced, "kafkawire alone to read the first records")
            wait_for(lambda: len(kw.caught_up()) == 6, "kafkawire to reach the end of every partition")
            assert kw.caught_up() == {0: 20, 1: 20, 2: 20, 3: 20, 4: 0, 5: 0}
            owners = json.loads(kw.assigned()["user_data"])
            assert owners == {f"{topic}/{p}": URL for p in range(6)}
            cf = ConfluentMember(broker.bootstrap, topic, group, seen, strategy="cooperative-sticky")

        def split():
            mine = kw.assigned()
            return (mine is not None and len(cf.assignment) == 3 and len(mine["partitions"]) == 3
                    and set(mine["partitions"]).isdisjoint(cf.assignment))
        wait_for(split, "the cooperative hand-over to split the partitions 3/3")
        mine = set(kw.assigned()["partitions"])
        assert mine | cf.assignment == set(range(6))
        if leader == "kafkawire":
            # The leader told every member who owns what; the confluent member's share is
            # under its own (librdkafka's) user data.
            owners = json.loads(kw.assigned()["user_data"])
            assert {int(k.split("/")[1]) for k, v in owners.items() if v == URL} == mine
            assert len(owners) == 6
        wait_for(lambda: set(kw.caught_up()) >= mine, "kafkawire to reach the end of its partitions")

        mark = len(seen)
        produced |= produce(broker.bootstrap, topic, "split", 10)
        wait_for(lambda: values() >= produced, "both members to read the records after the split")
        kw_partitions = {p for (w, p, _o, _v) in seen[mark:] if w == "kafkawire"}
        cf_partitions = {p for (w, p, _o, _v) in seen[mark:] if w == "confluent"}
        assert kw_partitions == mine
        assert cf_partitions == cf.assignment
    finally:
        if kw.proc.poll() is None:
            kw.stop()
    wait_for(lambda: len(cf.assignment) == 6, "the confluent member to take every partition back")
    cf.close()
