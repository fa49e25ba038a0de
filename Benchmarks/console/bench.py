#!/usr/bin/env python3
"""The console's live log in headless Chromium (issue 26's benchmark), against a running system
(run.sh starts it): a dev broker, order-command, and the console under test.

1. Keeping up: the page open on /log (from the end), events appended straight to orders.events
   with confluent-kafka at --rates events/s for --duration s each (valid OrderPlaced events, each
   in effect, as order-command writes them); "shown ÷ appended" is the events the page had
   taken in (its counter) one second after the last append, over the events appended, the same
   run. Also the rate the page took them in.
2. Latency: --commands commands through order-command at --command-rate/s, each timed from its
   answer (the HTTP response, in this process) to its row in the page (a MutationObserver in the
   page stamps each row with Date.now(); same machine, same clock): p50 and p99.

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
import uuid
from pathlib import Path

from confluent_kafka import Producer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "Tests" / "interop"))
from browser import Browser  # noqa: E402


def event(order_id: str, n: int) -> tuple[bytes, bytes, list]:
    body = json.dumps({"currency": "EUR", "customerId": f"c-{n % 100}",
                       "items": [{"quantity": 1, "sku": "TEA", "unitPrice": 450}]}, sort_keys=True, separators=(",", ":")).encode()
    now = time.time()
    occurred = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + ".%03dZ" % int((now % 1) * 1000)
    headers = [("event-type", b"OrderPlaced"), ("event-id", str(uuid.uuid4()).encode()), ("schema-version", b"2"),
               ("aggregate-version", b"1"), ("command-id", str(uuid.uuid4()).encode()), ("occurred-at", occurred.encode()),
               ("content-type", b"application/json"), ("actor", b"bench")]
    return order_id.encode(), body, headers


def append_at(producer: Producer, topic: str, rate: int, duration: float, prefix: str) -> int:
    """Appends `rate` events a second for `duration` seconds, paced every 10 ms."""
    sent = 0
    start = time.monotonic()
    while True:
        elapsed = time.monotonic() - start
        if elapsed >= duration:
            break
        due = int(rate * elapsed)
        while sent < due:
            key, value, headers = event(f"{prefix}-{sent}", sent)
            producer.produce(topic, key=key, value=value, headers=headers)  # murmur2: the key's partition
            sent += 1
        producer.poll(0)
        time.sleep(0.01)
    producer.flush(30)
    return sent


def received(page: Browser) -> int:
    return int(page.js("return Number(document.getElementById('count').textContent.replace(/,/g, ''))"))


def keep_up(page: Browser, console: str, bootstrap: str, topic: str, rate: int, duration: float) -> dict:
    page.open(f"{console}/log?from=end")
    page.wait_for("the live log", lambda: page.text("#status").startswith("Live"), timeout=120)
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "partitioner": "murmur2_random"})
    begun = time.monotonic()
    appended = append_at(producer, topic, rate, duration, f"keep-{rate}-{uuid.uuid4().hex[:6]}")
    ended = time.monotonic()
    time.sleep(1.0)
    shown = received(page)
    # How long the page then takes to have every one (bounded: 60 s).
    deadline = time.monotonic() + 60
    while received(page) < appended and time.monotonic() < deadline:
        time.sleep(0.1)
    return {"rate": rate, "appended": appended, "appendSeconds": round(ended - begun, 2),
            "shownAfter1s": shown, "ratio": round(shown / appended, 4),
            "allShownAfterSeconds": round(time.monotonic() - ended, 2) if received(page) >= appended else None}


OBSERVER = """
window.__seen = {};
new MutationObserver((changes) => {
  const now = Date.now();
  for (const change of changes) for (const row of change.addedNodes)
    if (row.dataset && row.dataset.position && !(row.dataset.position in window.__seen)) window.__seen[row.dataset.position] = now;
}).observe(document.getElementById('events'), { childList: true });
"""


def latency(page: Browser, console: str, command_port: int, count: int, rate: float) -> dict:
    page.open(f"{console}/log?from=end")
    page.wait_for("the live log", lambda: page.text("#status").startswith("Live"), timeout=120)
    page.js(OBSERVER)
    conn = http.client.HTTPConnection("127.0.0.1", command_port, timeout=60)
    answered = {}
    start = time.monotonic()
    for n in range(count):
        due = start + n / rate
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        body = json.dumps({"customerId": "lat", "currency": "EUR", "items": [{"sku": "TEA", "quantity": 1, "unitPrice": 450}]})
        conn.request("POST", "/orders", body=body, headers={"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())})
        response = conn.getresponse()
        reply = json.loads(response.read())
        at = time.time() * 1000
        if response.status != 201:
            raise SystemExit(f"command answered {response.status}: {reply}")
        answered[reply["position"]] = at
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        seen = page.js("return window.__seen")
        if all(p in seen for p in answered):
            break
        time.sleep(0.2)
    seen = page.js("return window.__seen")
    missing = [p for p in answered if p not in seen]
    if missing:
        raise SystemExit(f"{len(missing)} rows never appeared: {missing[:5]}")
    delays = sorted(max(0.0, seen[p] - answered[p]) for p in answered)
    return {"commands": count, "rate": rate, "p50Ms": round(statistics.median(delays), 1),
            "p99Ms": round(delays[min(len(delays) - 1, int(0.99 * len(delays)))], 1), "maxMs": round(delays[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--console", required=True)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--command-port", type=int, required=True)
    parser.add_argument("--topic", default="orders.events")
    parser.add_argument("--rates", default="1000,5000")
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--commands", type=int, default=300)
    parser.add_argument("--command-rate", type=float, default=20)
    args = parser.parse_args()
    page = Browser()
    try:
        result = {"keepUp": [keep_up(page, args.console, args.bootstrap, args.topic, int(rate), args.duration)
                             for rate in args.rates.split(",")],
                  "latency": latency(page, args.console, args.command_port, args.commands, args.command_rate)}
    finally:
        page.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
