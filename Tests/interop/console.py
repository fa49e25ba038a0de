"""The `console` process, and a Server-Sent Events reader for its live log (/log/events),
read over a real socket as a browser's EventSource reads it."""

from __future__ import annotations

import http.client
import json

from service_process import ServiceProcess


class Console(ServiceProcess):
    name = "console"
    bin_env = "CONSOLE_BIN"


class EventStream:
    """GET /log/events (or any SSE path) held open; `frames()` yields each frame as a dict of
    its fields (`event`, `id`, `data`, `comment`, `retry`), `data` parsed as JSON."""

    def __init__(self, port: int, path: str = "/log/events", headers: dict | None = None, timeout: float = 60.0,
                 host: str = "127.0.0.1"):
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.conn.request("GET", path, headers=headers or {})
        self.response = self.conn.getresponse()
        self.status = self.response.status
        self.headers = {k.lower(): v for k, v in self.response.getheaders()}
        self.last_id: str | None = None

    def frames(self):
        frame: dict = {}
        while True:
            line = self.response.readline()
            if not line:
                return
            text = line.decode("utf-8").rstrip("\r\n")
            if text == "":
                if frame:
                    if "id" in frame:
                        self.last_id = frame["id"]
                    if "data" in frame:
                        frame["data"] = json.loads(frame["data"])
                    yield frame
                frame = {}
                continue
            if text.startswith(":"):
                frame["comment"] = text[1:].strip()
                continue
            name, _, value = text.partition(":")
            frame[name] = value[1:] if value.startswith(" ") else value

    def events_until_caught_up(self) -> list[dict]:
        """The `log` events sent before `caught-up`."""
        events = []
        for frame in self.frames():
            if frame.get("event") == "caught-up":
                return events
            if frame.get("event") == "log":
                events.append(frame)
        raise AssertionError(f"the stream ended before caught-up, after {len(events)} events")

    def next_events(self, count: int) -> list[dict]:
        """The next `count` `log` events (keep-alive comments skipped)."""
        events = []
        for frame in self.frames():
            if frame.get("event") == "log":
                events.append(frame)
                if len(events) == count:
                    return events
            elif frame.get("event") == "failure":
                raise AssertionError(f"the stream failed: {frame}")
        raise AssertionError(f"the stream ended after {len(events)} of {count} events")

    def close(self) -> None:
        self.conn.close()


def position(frame: dict) -> str:
    return f"{frame['data']['partition']}:{frame['data']['offset']}"
