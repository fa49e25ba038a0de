"""A TCP proxy between Kafka clients and one broker that reads Kafka's framing, so that it can
make a Produce request's outcome unknown to the client in the ways a real cluster does:

- hold: the request reaches the broker late (an acks=all append stalled while a dead replica
  leaves the ISR; the record becomes readable seconds after the client gave up waiting). Kafka
  serves one request per connection at a time, so later requests on that connection wait too.
- cut_after: the request reaches the broker, and when its answer comes back both sides of the
  connection are reset instead (the answer is lost; the client's retry is a duplicate the
  broker must recognise).
- cut_before: the connection is reset before the request reaches the broker (nothing written).
- drop: the request and everything after it on the connection vanish (a network partition):
  nothing is written, and the client learns nothing until its request times out.
- orphan: the client's connection is reset at once, but the request is delivered to the broker
  later on the old upstream connection (a first attempt racing the client's retry, which
  arrives first on a new connection).

Only Produce requests (api key 0) are acted on; everything else passes. Every request is
assumed to get an answer (acks=0 produce requests get none; the clients here use acks=all). Faults are chosen by a
policy (a function of the request count) or armed one at a time with `arm(...)`. The broker
must advertise the proxy's address, so that every connection (metadata too) goes through it.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
from dataclasses import dataclass

PRODUCE = 0


@dataclass(frozen=True)
class Fault:
    kind: str  # "pass", "hold", "cut_after", "cut_before", "drop", "orphan"
    seconds: float = 0.0
    # For "hold": held until this is set (then `seconds` is ignored), so a test orders appends
    # by conditions rather than by guessed times.
    release: threading.Event | None = None


PASS = Fault("pass")


def accept_connections(listener: socket.socket, upstream_port: int, is_closed, on_pair) -> None:
    """Accepts clients until `listener` closes, connects each to the upstream port on loopback,
    and hands the two sockets to `on_pair(client, upstream)`."""
    while not is_closed():
        try:
            client, _ = listener.accept()
        except OSError:
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", upstream_port))
        except OSError:
            client.close()
            continue
        on_pair(client, upstream)


class KafkaFaultProxy:
    def __init__(self, port: int, upstream_port: int, policy=None, host: str = "127.0.0.1"):
        self.port = port
        self.upstream_port = upstream_port
        self.host = host
        self.policy = policy  # callable(n) -> Fault, for the n-th Produce request (from 0); None: pass
        self.armed: list[Fault] = []
        self.lock = threading.Lock()
        self.produce_requests = 0
        self.faults_done: dict[str, int] = {}
        self.pending = 0  # requests held or orphaned, not yet delivered to the broker
        self.listener = socket.create_server((host, port))
        self.closed = False
        self.stopped = threading.Event()  # cuts a timed hold short when the proxy closes
        self.sockets: set[socket.socket] = set()
        threading.Thread(target=self._accept_loop, name="fault-proxy-accept", daemon=True).start()

    # ------------------------------------------------------------------ control

    def arm(self, fault: Fault) -> None:
        """The next Produce request gets this fault (armed faults are used before the policy)."""
        with self.lock:
            self.armed.append(fault)

    def done(self, kind: str) -> int:
        with self.lock:
            return self.faults_done.get(kind, 0)

    def is_quiet(self) -> bool:
        """No request is held or orphaned (all that will reach the broker has)."""
        with self.lock:
            return self.pending == 0

    def _pending(self, delta: int) -> None:
        with self.lock:
            self.pending += delta

    def close(self) -> None:
        self.closed = True
        self.stopped.set()
        try:
            self.listener.close()
        except OSError:
            pass
        with self.lock:
            sockets = list(self.sockets)
        for s in sockets:
            try:
                s.close()
            except OSError:
                pass

    # ------------------------------------------------------------------ plumbing

    def _accept_loop(self) -> None:
        accept_connections(self.listener, self.upstream_port, lambda: self.closed, self._start_pair)

    def _start_pair(self, client: socket.socket, upstream: socket.socket) -> None:
        for s in (client, upstream):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.lock:
            self.sockets.update((client, upstream))
        # forwarded: requests sent to the broker on this connection; cut_at: the answer (by count)
        # at which the connection is reset instead of answered (cut_after).
        pair = {"client": client, "upstream": upstream, "client_open": True, "forwarded": 0, "cut_at": None}
        threading.Thread(target=self._requests, args=(pair,), name="fault-proxy-up", daemon=True).start()
        threading.Thread(target=self._responses, args=(pair,), name="fault-proxy-down", daemon=True).start()

    def _next_fault(self) -> Fault:
        with self.lock:
            n = self.produce_requests
            self.produce_requests += 1
            if self.armed:
                fault = self.armed.pop(0)
            elif self.policy is not None:
                fault = self.policy(n)
            else:
                fault = PASS
            self.faults_done[fault.kind] = self.faults_done.get(fault.kind, 0) + 1
            return fault

    @staticmethod
    def _reset(s: socket.socket) -> None:
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST, not FIN
            s.close()
        except OSError:
            pass

    def _cut(self, pair) -> None:
        pair["client_open"] = False
        self._reset(pair["client"])
        self._reset(pair["upstream"])

    @staticmethod
    def _read_exact(s: socket.socket, n: int) -> bytes | None:
        chunks = []
        while n > 0:
            data = s.recv(min(n, 1 << 16))
            if not data:
                return None
            chunks.append(data)
            n -= len(data)
        return b"".join(chunks)

    def _requests(self, pair) -> None:
        """Client to broker, one request frame at a time (Kafka: 4-byte size, then api key)."""
        client, upstream = pair["client"], pair["upstream"]
        try:
            while True:
                head = self._read_exact(client, 4)
                if head is None:
                    # The client closed: what was sent still reaches the broker (a FIN, not a
                    # reset, which would discard a request the broker has not read yet).
                    upstream.shutdown(socket.SHUT_WR)
                    return
                (size,) = struct.unpack(">i", head)
                body = self._read_exact(client, size)
                if body is None:
                    upstream.shutdown(socket.SHUT_WR)
                    return
                frame = head + body
                if pair.get("black_hole"):
                    continue
                (api_key,) = struct.unpack(">h", body[:2])
                fault = self._next_fault() if api_key == PRODUCE else PASS
                if fault.kind == "hold":
                    self._pending(1)
                    try:
                        if fault.release is not None:
                            fault.release.wait()
                        else:
                            self.stopped.wait(fault.seconds)  # the fault's length, not a wait for anything
                        upstream.sendall(frame)
                        pair["forwarded"] += 1
                    finally:
                        self._pending(-1)
                    continue
                elif fault.kind == "drop":
                    pair["black_hole"] = True
                    continue
                elif fault.kind == "cut_before":
                    self._cut(pair)
                    return
                elif fault.kind == "orphan":
                    # The client sees its connection die now; the broker gets the request later.
                    pair["client_open"] = False
                    self._reset(client)
                    self._pending(1)
                    try:
                        self.stopped.wait(fault.seconds)  # the fault's length
                        upstream.sendall(frame)
                        upstream.shutdown(socket.SHUT_WR)  # FIN after the request: the broker reads it
                    except OSError:
                        pass
                    finally:
                        self._pending(-1)
                    return
                upstream.sendall(frame)
                pair["forwarded"] += 1
                if fault.kind == "cut_after":
                    # The answer to this request resets the connection (see _responses): the
                    # broker has handled it, the client never hears.
                    pair["cut_at"] = pair["forwarded"]
                    return
        except OSError:
            pass
        self._cut(pair)

    def _responses(self, pair) -> None:
        """Broker to client, one answer frame at a time, counted against `cut_at`."""
        client, upstream = pair["client"], pair["upstream"]
        answered = 0
        try:
            while True:
                head = self._read_exact(upstream, 4)
                body = self._read_exact(upstream, struct.unpack(">i", head)[0]) if head is not None else None
                if body is None:
                    break
                answered += 1
                if answered == pair["cut_at"]:
                    break  # the cut_after request's answer: lost with the connection
                if pair["client_open"]:
                    client.sendall(head + body)
        except OSError:
            pass
        self._cut(pair)


def random_policy(seed: int, weights: dict[str, float], hold_seconds=(0.3, 3.0), orphan_seconds=(0.3, 2.0)):
    """A policy drawing each Produce request's fault at random (reproducible from `seed`)."""
    rng = random.Random(seed)
    kinds = list(weights)
    lock = threading.Lock()

    def policy(_n: int) -> Fault:
        with lock:
            kind = rng.choices(kinds, weights=[weights[k] for k in kinds])[0]
            if kind == "hold":
                return Fault("hold", rng.uniform(*hold_seconds))
            if kind == "orphan":
                return Fault("orphan", rng.uniform(*orphan_seconds))
            return Fault(kind)

    return policy
