"""Writes Sources/Console/HTTP/ConsoleOpenAPIDocument.swift from the description below.

Run after changing the API: python3 Services/Console/openapi.gen.py
The document is served at GET /openapi.json. Every status a route can answer is listed, and
every JSON body is described exactly (sorted keys; an optional field that is nil is left out).
"""
import json
from pathlib import Path

ident = {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,64}$"}
event_types = ["OrderPlaced", "ItemAdded", "ItemRemoved", "OrderConfirmed", "OrderShipped", "OrderDelivered", "OrderCancelled"]
problem_kinds = ["validation", "unavailable"]
problem = {"type": "object", "additionalProperties": False, "required": ["type", "title", "status", "detail"],
           "properties": {"type": {"enum": [f"/problems/{kind}" for kind in problem_kinds]}, "title": {"type": "string"},
                          "status": {"type": "integer"}, "detail": {"type": "string"}}}


def obj(properties, required=None):
    """An object with exactly these properties: all required unless named otherwise."""
    return {"type": "object", "additionalProperties": False,
            "required": list(properties) if required is None else required, "properties": properties}


def problem_response(description, kind, status_code, retry=False):
    schema = {"allOf": [{"$ref": "#/components/schemas/Problem"},
                        {"properties": {"type": {"const": f"/problems/{kind}"}, "status": {"const": status_code}}}]}
    r = {"description": description, "content": {"application/problem+json": {"schema": schema}}}
    if retry:
        r["headers"] = {"Retry-After": {"schema": {"type": "string", "pattern": "^[0-9]+$"}, "required": True}}
    return r


def ok(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def html(description):
    return {"description": description, "content": {"text/html": {"schema": {"type": "string"}}}}


def relay(what, body=False, parameters=None):
    """A call relayed to a service with the caller's token and Idempotency-Key: answered as the service answered."""
    headers = [{"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string"}}]
    op = {"summary": f"Relays {what}, with the caller's token and Idempotency-Key, and answers as it answered",
          "parameters": (parameters or []) + headers,
          "responses": {**{code: ref("Relayed") for code in ["200", "201", "202", "400", "401", "403", "404", "405", "409", "413", "415", "422"]},
                        "503": ref("RelayedUnavailable")}}
    if body:
        op["requestBody"] = {"required": False, "content": {"application/json": {"schema": {}}}}
    return op


dead_letters = obj({
    "topic": {"type": "string"},
    "entries": {"type": "array", "items": obj({
        "position": {"type": "string"}, "orderId": {"type": "string"}, "eventType": {"type": "string"},
        "version": {"type": "integer"}, "sink": {"type": "string"}, "error": {"type": "string"},
        "attempts": {"type": "integer"}, "source": {"type": "string"}, "deadLetteredAt": {"type": "string"}},
        required=["position"])},
    "problem": {"type": "string"},
}, required=["topic", "entries"])
system_status = obj({
    "takenAtMs": {"type": "integer"},
    "logProblem": {"type": "string"},
    "partitions": {"type": "array", "items": obj({
        "partition": {"type": "integer", "minimum": 0}, "endOffset": {"type": "integer", "minimum": 0},
        "owner": {"type": "string"}, "queryStored": {"type": "integer"}, "queryLag": {"type": "integer", "minimum": 0},
        "notifierFolded": {"type": "integer"}, "notifierLag": {"type": "integer", "minimum": 0}}, required=["partition"])},
    "services": {"type": "array", "items": obj({"name": {"enum": ["order-command", "order-query", "notifier"]},
                                                 "problem": {"type": "string"}}, required=["name"])},
    "generation": {"type": "integer"},
    "deadLetterTopic": {"type": "string"},
    "deadLetters": {"type": "integer", "minimum": 0},
    "counters": obj({name: {"type": "number"} for name in [
        "commands", "appendSeconds", "appends", "eventsApplied", "applySeconds", "applies", "delivered",
        "deliverySeconds", "deliveries"]}, required=[]),
}, required=["takenAtMs", "partitions", "services", "counters"])


# One Server-Sent Event of the live log (comments and the retry field are not events).
sse_event = {"type": "object", "required": ["event", "data"], "properties": {
    "event": {"enum": ["log", "caught-up", "failure"]}, "data": {"type": "string"},
    "id": {"type": "string", "pattern": "^([0-9]+:[0-9]+(,[0-9]+:[0-9]+)*)?$"}, "retry": {"type": "integer"}}}

# An empty value is left out (a form's "any" choice), so every filter also takes "".
filters = [
    {"name": "from", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "where each partition starts: beginning (default), end, an offset, or @TIME (milliseconds since the "
                    "epoch, or ISO-8601 with a zone, as @2026-01-01T00:00:00Z). An empty value is left out."},
    {"name": "partition", "in": "query", "required": False, "style": "form", "explode": True,
     "schema": {"type": "array", "items": {"anyOf": [{"type": "integer", "minimum": 0}, {"const": ""}]}},
     "description": "only these partitions (repeatable); one the topic does not have is a 400"},
    {"name": "order", "in": "query", "required": False, "schema": {"type": "string", "pattern": "^([A-Za-z0-9._:-]{1,64})?$"},
     "description": "only this order's events"},
    {"name": "type", "in": "query", "required": False, "style": "form", "explode": True,
     "schema": {"type": "array", "items": {"enum": event_types + [""]}}, "description": "only these event types (repeatable)"},
]
follow = {"name": "follow", "in": "query", "required": False, "schema": {"enum": ["true", "false", ""]},
          "description": "true (default): the stream goes on with new events; false: it ends after caught-up"}
after = {"name": "after", "in": "query", "required": False, "schema": {"type": "string", "pattern": "^([0-9]+:[0-9]+(,[0-9]+:[0-9]+)*)?$"},
         "description": "resume after a stream's last event: its id (partition:offset pairs, the next offset of each). "
                        "The Last-Event-ID header, which a browser sends when it reconnects, wins over it."}
last_event_id = {"name": "Last-Event-ID", "in": "header", "required": False, "schema": after["schema"],
                 "description": "the id of the last event a browser got, sent when it reconnects"}
responses = {
    "Relayed": {"description": "the service's answer, as it gave it", "content": {
        "application/json": {"schema": {"type": "object"}}, "application/problem+json": {"schema": {"type": "object"}}}},
    "RelayedUnavailable": {"description": "the service's 503, or the console's when the service does not answer (unavailable)",
                           "content": {"application/problem+json": {"schema": {"type": "object"}}}},
    "Validation": problem_response("validation: an unknown query parameter, or a malformed or impossible value", "validation", 400),
    "Unavailable": problem_response("unavailable: the log (Kafka) cannot be read, or the service is shutting down",
                                    "unavailable", 503, retry=True),
}
ref = lambda name: {"$ref": f"#/components/responses/{name}"}
doc = {
    "openapi": "3.1.0",
    "info": {"title": "Console", "version": "1.0.0",
             "description": "A web console over the order log: the live log (Server-Sent Events, read from Kafka with "
                            "the fold rule's verdicts), an order (folded from the log, beside the read model and the "
                            "notifier's deliveries), the system (positions, lag, charts, admin actions) and a page to "
                            "try commands. The caller's bearer token (Authorization, or the console_token cookie set "
                            "by POST /token) is passed through to the services."},
    "paths": {
        "/": {"get": {"summary": "To the live log", "responses": {
            "303": {"description": "See /log", "headers": {"Location": {"schema": {"const": "/log"}, "required": True}}}}}},
        "/log": {"get": {
            "summary": "The live log page (HTML): filters, and a table filled from /log/events",
            "parameters": filters + [follow],
            "responses": {"200": {"description": "the page", "content": {"text/html": {"schema": {"type": "string"}}}},
                          "400": ref("Validation")}}},
        "/log/events": {"get": {
            "summary": "The log as Server-Sent Events: `log` (one record; id: the stream's position after it), `caught-up`, "
                       "`failure`; comments keep it alive. It does not end while the client reads; a client that falls "
                       "behind is ended and resumes with Last-Event-ID.",
            "parameters": filters + [follow, after, last_event_id],
            "responses": {"200": {"description": "the stream", "content": {"text/event-stream": {"schema": sse_event}}},
                          "400": ref("Validation"), "503": ref("Unavailable")}}},
        "/orders": {"get": {
            "summary": "To an order's page (the header's search box)",
            "parameters": [{"name": "id", "in": "query", "required": True, "schema": ident}],
            "responses": {"303": {"description": "See /orders/{id}", "headers": {"Location": {"schema": {"type": "string"}, "required": True}}},
                          "400": ref("Validation")}}},
        "/orders/{id}": {"get": {
            "summary": "An order's page (HTML): its records in the log folded by the fold rule, with a slider through "
                       "its positions and its lifecycle, beside order-query's row and the notifier's deliveries",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": ident}],
            "responses": {"200": html("the page; a service that does not answer is said on it"),
                          "400": ref("Validation"), "503": ref("Unavailable")}}},
        "/system": {"get": {"summary": "The system page (HTML); its script polls /system/status",
                            "responses": {"200": html("the page")}}},
        "/system/status": {"get": {
            "summary": "Per partition the log's end, OrderCommand's owner, OrderQuery's and the notifier's positions "
                       "and lag; the dead-letter topic; the services' counters. What cannot be had is null, and said.",
            "responses": {"200": ok(system_status)}}},
        "/system/dead-letters": {"get": {
            "summary": "The last entries of the notifier's dead-letter topic (its name from the notifier's /status), newest first",
            "responses": {"200": ok(dead_letters)}}},
        "/try": {"get": {"summary": "The try page (HTML): place an order and step it through its lifecycle",
                         "responses": {"200": html("the page")}}},
        "/token": {"post": {
            "summary": "Saves the bearer token the pages pass through to the services (a cookie; empty forgets it)",
            "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": obj({
                "token": {"type": "string", "pattern": "^[A-Za-z0-9._~/=-]{0,8192}$"},
                "back": {"type": "string", "description": "the page to return to: a path of this site"}}, required=["token"])}}},
            "responses": {"303": {"description": "Back to the page", "headers": {
                "Location": {"schema": {"type": "string", "pattern": "^/"}, "required": True},
                "Set-Cookie": {"schema": {"type": "string"}, "required": True}}},
                "400": ref("Validation")}}},
        "/api/order-command/orders": {"post": relay("OrderCommand's POST /orders", body=True)},
        "/api/order-command/orders/{id}/{action}": {"post": relay(
            "OrderCommand's POST /orders/{id}/{action}", body=True,
            parameters=[{"name": "id", "in": "path", "required": True, "schema": ident},
                        {"name": "action", "in": "path", "required": True, "schema": {"enum": ["confirm", "ship", "deliver", "cancel", "items"]}}])},
        "/api/notifier/admin/dlq/redrive": {"post": relay("the notifier's POST /admin/dlq/redrive (admin)", body=True)},
        "/api/order-query/admin/rebuild": {"post": relay("OrderQuery's POST /admin/rebuild (admin)", body=True)},
        "/api/order-query/admin/rebuild/{id}": {"get": relay(
            "OrderQuery's GET /admin/rebuild/{id} (admin)",
            parameters=[{"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}])},
        "/health/live": {"get": {"summary": "The process is up", "responses": {
            "200": ok(obj({"status": {"const": "live"}}))}}},
        "/health/ready": {"get": {"summary": "The event topic can be described", "responses": {
            "200": ok(obj({"status": {"const": "ready"}})),
            "503": problem_response("not ready: the event topic cannot be described", "unavailable", 503, retry=True)}}},
        "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text exposition format", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
        "/openapi.json": {"get": {"summary": "This document", "responses": {"200": ok({"type": "object"})}}},
    },
    "components": {"schemas": {"Problem": problem}, "responses": responses},
}
text = json.dumps(doc, indent=1, sort_keys=True)
swift = ("// Generated by Services/Console/openapi.gen.py: edit that, then run it.\n\n"
         "/// The OpenAPI 3.1 document of this service, served at `/openapi.json`.\n"
         "enum ConsoleOpenAPIDocument {\n    static let json = #\"\"\"\n" + text + "\n\"\"\"#\n}\n")
Path(__file__).parent.joinpath("Sources/Console/HTTP/ConsoleOpenAPIDocument.swift").write_text(swift)
