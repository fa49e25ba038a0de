"""kill -9 of kafkawire in the middle of a stream of acknowledged (acks=all, idempotent) produces."""

from __future__ import annotations

import threading
import time
import warnings

from confluent_kafka import Producer

from helpers import consume_all, create_topic

PARTITIONS = 6


def test_sigkill_mid_stream_keeps_every_acknowledged_message_once_in_order(broker):
    topic = "interop-crash"
    create_topic(broker.bootstrap, topic, PARTITIONS)

    acked = []    # (partition, offset, seq, monotonic time of the acknowledgement)
    failed = []   # (error, seq)
    fatal = []
    stop = threading.Event()
    produced = [0]
    stream_position = [0]  # messages handed to the producer so far

    def on_delivery(err, msg):
        seq = int(msg.value().split(b"-")[1])
        if err is None:
            acked.append((msg.partition(), msg.offset(), seq, time.monotonic()))
        else:
            failed.append((err, seq))

    def on_error(err):
        if err.fatal():
            fatal.append(err)

    producer = Producer({
        "bootstrap.servers": broker.bootstrap,
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 2,
        "message.timeout.ms": 20000,
        "retry.backoff.ms": 100,
        "reconnect.backoff.ms": 50,
        "reconnect.backoff.max.ms": 500,
        "error_cb": on_error,
    })

    def stream():
        i = 0
        while not stop.is_set():
            try:
                producer.produce(topic, key=f"k{i % 60}".encode(), value=f"seq-{i:08d}".encode(),
                                 partition=i % PARTITIONS, on_delivery=on_delivery)
            except BufferError:
                producer.poll(0.01)
                continue
            i += 1
            stream_position[0] = i
            if i % 100 == 0:
                producer.poll(0)
                time.sleep(0.004)  # a steady stream (~25k msg/s at most), not one burst
        produced[0] = i

    thread = threading.Thread(target=stream, name="acked-producer", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while len(acked) < 3000 and time.monotonic() < deadline and not fatal:
            time.sleep(0.01)
        assert len(acked) >= 3000, f"only {len(acked)} acknowledgements before the kill (fatal: {fatal})"

        produced_at_kill = stream_position[0]
        broker.kill9()
        killed_at = time.monotonic()
        acked_at_kill = len(acked)
        broker.start()  # same port, same data dir
        restarted_at = time.monotonic()

        # The producer that lived through the crash must get going again.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not fatal:
            if sum(1 for a in acked[acked_at_kill:] if a[3] > restarted_at) >= 500:
                break
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(10)
    remaining = producer.flush(25)
    after_restart = sum(1 for a in acked if a[3] > restarted_at)
    assert not fatal, f"fatal producer error across the crash: {fatal}"
    assert after_restart >= 500, (
        f"the producer got only {after_restart} acknowledgements in 20s after the restart "
        f"(failed deliveries: {len(failed)}, first: {failed[:3]})")

    # Read everything back.
    log = consume_all(broker.bootstrap, topic, PARTITIONS, timeout=40)
    where = {}  # seq -> [(partition, offset)]
    for p, messages in log.items():
        for m in messages:
            seq = int(m.value().split(b"-")[1])
            where.setdefault(seq, []).append((p, m.offset()))

    missing, duplicated, moved = [], [], []
    for p, offset, seq, _t in acked:
        places = where.get(seq, [])
        if not places:
            missing.append((seq, p, offset))
        elif len(places) > 1:
            duplicated.append((seq, places))
        elif places[0] != (p, offset):
            moved.append((seq, (p, offset), places[0]))
    summary = (f"{produced[0]} produced, {len(acked)} acknowledged ({acked_at_kill} before the kill, "
               f"{after_restart} after the restart at +{restarted_at - killed_at:.2f}s), {len(failed)} failed, "
               f"{remaining} unresolved")
    print(f"crash test: {summary}; in flight at the kill: {produced_at_kill - acked_at_kill}; "
          f"{sum(len(v) for v in log.values())} messages in the log after recovery")
    assert not missing, f"{len(missing)} acknowledged messages lost, first (seq, partition, offset): {missing[:5]}; {summary}"
    assert not duplicated, f"{len(duplicated)} acknowledged messages duplicated: {duplicated[:5]}; {summary}"
    assert not moved, f"{len(moved)} acknowledged messages not at their acknowledged offset: {moved[:5]}; {summary}"

    # In order per partition: sequence numbers of acknowledged messages increase with the offset.
    acked_seqs = {a[2] for a in acked}
    for p, messages in log.items():
        seqs = [int(m.value().split(b"-")[1]) for m in messages]
        in_log = [s for s in seqs if s in acked_seqs]
        bad = next((i for i in range(1, len(in_log)) if in_log[i] <= in_log[i - 1]), None)
        assert bad is None, f"partition {p}: acknowledged messages out of order at {in_log[bad - 1]} -> {in_log[bad]}"
        # Unacknowledged ones may be there or not, but an idempotent producer should not cause duplicates.
        if len(set(seqs)) != len(seqs) or any(b <= a for a, b in zip(seqs, seqs[1:])):
            warnings.warn(f"partition {p}: unacknowledged messages duplicated or out of order; {summary}")
        offsets = [m.offset() for m in messages]
        assert offsets == list(range(len(offsets))), f"partition {p}: offsets are not dense after recovery"
