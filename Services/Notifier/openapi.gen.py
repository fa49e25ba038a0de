"""Writes Sources/Notifier/HTTP/NotifierOpenAPIDocument.swift from the description below.

Run after changing the API: python3 Services/Notifier/openapi.gen.py
The document is served at GET /openapi.json and checked by schemathesis in the interop suite,
with positive and negative data: every status a route can answer is listed, and every JSON
body is described exactly (sorted keys; an optional field that is nil is left out, not null).
"""
import json
from pathlib import Path

ident = {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,64}$"}
int32 = {"type": "integer", "format": "int32"}
int64 = {"type": "integer", "format": "int64"}
count = {**int64, "minimum": 0}
whole = {"type": "integer", "minimum": 0, "maximum": 999999999999999999}
kinds = ["order-placed", "order-confirmed", "order-shipped", "order-delivered", "order-cancelled"]
problem_kinds = ["validation", "not-found", "unauthorized", "forbidden", "unavailable"]
problem = {"type": "object", "additionalProperties": False, "required": ["type", "title", "status", "detail"],
           "properties": {"type": {"enum": [f"/problems/{kind}" for kind in problem_kinds]}, "title": {"type": "string"},
                          "status": {"type": "integer"}, "detail": {"type": "string"}}}
timestamp = {"type": "string", "description": "RFC 3339, UTC"}


def obj(properties, required=None):
    """An object with exactly these properties: all required unless named otherwise."""
    return {"type": "object", "additionalProperties": False,
            "required": list(properties) if required is None else required, "properties": properties}


notification = obj({
    "eventId": {"type": "string", "description": "the event's id: the idempotency key a receiver drops duplicates by"},
    "orderId": {"type": "string"}, "customerId": {"type": "string"}, "kind": {"enum": kinds},
    "version": {**int64, "minimum": 1, "description": "the order's version this event made"},
    "position": {"type": "string", "pattern": "^[0-9]+:[0-9]+$", "description": "partition:offset of the event in the event topic"},
    "occurredAt": timestamp, "subject": {"type": "string"}, "text": {"type": "string"}})
delivery = obj({
    "sink": {"type": "string", "description": "the sink as configured: log, file:PATH or webhook:URL"},
    "status": {"enum": ["pending", "delivered", "dead-lettered"]},
    "round": {**count, "description": "0, then one more per replay with resend or redrive"},
    "attempts": {**count, "description": "attempts in this round"},
    "lastError": {"type": "string", "description": "absent when the last attempt did not fail"},
    "deliveredAtMs": {**int64, "description": "ms since the epoch; absent until delivered"},
    "updatedAtMs": {**int64, "description": "ms since the epoch"}},
    required=["sink", "status", "round", "attempts", "updatedAtMs"])
order_notifications = obj({
    "orderId": ident,
    "notifications": {"type": "array", "description": "oldest first; empty for an order the notifier has no events of",
                      "items": obj({"notification": {"$ref": "#/components/schemas/Notification"},
                                    "deliveries": {"type": "array", "items": delivery, "description": "by sink"}})}})
status = obj({
    "group": {"type": "string"}, "topic": {"type": "string"},
    "partitions": {"type": "array", "items": obj({
        "partition": {**int32, "minimum": 0}, "foldedOffset": {**int64, "description": "the next offset the fold will read"},
        "endOffset": int64, "lag": count, "owned": {"type": "boolean", "description": "whether this instance holds the partition now"},
        "pending": count, "delivered": count, "deadLettered": count})},
    "deliveries": obj({"pending": count, "delivered": count, "deadLettered": count}),
    "deadLetterTopic": obj({"topic": {"type": "string"},
                            "records": {**int64, "description": "records in the dead-letter topic (every partition, end minus start)"}}),
    "sinks": {"type": "array", "items": {"type": "string"}}})
replay_body = {
    "type": "object", "additionalProperties": False, "properties": {
        "offsets": {"type": "object", "minProperties": 1, "propertyNames": {"pattern": "^[0-9]{1,9}$"},
                    "additionalProperties": whole,
                    "description": "partition to offset: the events from that offset on (a partition the topic does not have: 400)"},
        "fromTimestamp": {**whole, "description": "ms since the epoch: every partition's events recorded at or after it"},
        "resend": {"type": "boolean", "description": "make delivered and dead-lettered deliveries again (default false)"}},
    "oneOf": [{"required": ["offsets"]}, {"required": ["fromTimestamp"]}],
    "description": "exactly one of offsets and fromTimestamp"}


def problem_response(description, kind, status_code, retry=False):
    schema = {"allOf": [{"$ref": "#/components/schemas/Problem"},
                        {"properties": {"type": {"const": f"/problems/{kind}"}, "status": {"const": status_code}}}]}
    r = {"description": description, "content": {"application/problem+json": {"schema": schema}}}
    if retry:
        r["headers"] = {"Retry-After": {"schema": {"type": "string", "pattern": "^[0-9]+$"}, "required": True}}
    return r


def ok(schema, description="OK", headers=None):
    r = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        r["headers"] = headers
    return r


responses = {
    "Validation": problem_response("validation: a malformed path parameter or body, or any query parameter (none of these routes takes one)",
                                   "validation", 400),
    "NoRoute": {"description": "The router found no route: the path does not name a resource (an empty id, or one with a `/`). "
                               "No body."},
    "Unauthorized": {**problem_response("unauthorized: no or a wrong bearer token", "unauthorized", 401),
                     "headers": {"WWW-Authenticate": {"schema": {"type": "string", "pattern": "^Bearer"}, "required": True}}},
    "Forbidden": problem_response("forbidden: ADMIN_TOKEN is not set, so admin routes are disabled", "forbidden", 403),
    "TooLarge": problem_response("too-large: the body is larger than 64 KiB", "too-large", 413),
    "Unavailable": problem_response("unavailable: the ledger (database) or the log (Kafka) cannot be reached, or the service is "
                                    "shutting down", "unavailable", 503, retry=True),
}
ref = lambda name: {"$ref": f"#/components/responses/{name}"}
security = [{"bearer": []}]


def admin(summary, body, answer, description):
    return {"summary": summary, "security": security, "requestBody": body,
            "responses": {"202": ok(answer, description), "400": ref("Validation"), "401": ref("Unauthorized"),
                          "403": ref("Forbidden"), "413": ref("TooLarge"), "503": ref("Unavailable")}}


doc = {
    "openapi": "3.1.0",
    "info": {"title": "Notifier", "version": "1.0.0",
             "description": "orders.events folded into notifications, each delivered at least once to every sink, "
                            "with a ledger of deliveries, replays and dead-letter redrives. No API route takes query parameters (any is a 400)."},
    "paths": {
        "/orders/{id}/notifications": {"get": {
            "summary": "An order's notifications, oldest first, each with its deliveries",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": ident}],
            "responses": {"200": ok(order_notifications), "400": ref("Validation"), "404": ref("NoRoute"),
                          "503": ref("Unavailable")}}},
        "/status": {"get": {
            "summary": "Per partition: folded offset, log end, lag, ownership and deliveries; totals; the dead-letter topic",
            "responses": {"200": ok(status), "400": ref("Validation"), "503": ref("Unavailable")}}},
        "/admin/replay": {"post": admin(
            "Queue deliveries again for the events in effect from offsets or a timestamp: the missing ones, or with resend all",
            {"required": True, "content": {"application/json": {"schema": replay_body}}},
            obj({"queued": count, "resend": {"type": "boolean"}}), "Queued")},
        "/admin/dlq/redrive": {"post": admin(
            "Make the dead-lettered deliveries again",
            {"required": False, "content": {"application/json": {"schema": {
                "type": "object", "maxProperties": 0, "additionalProperties": False, "description": "no body, or {}"}}}},
            obj({"redriven": count}), "Redriven")},
        "/health/live": {"get": {"summary": "The process is up", "responses": {
            "200": ok(obj({"status": {"const": "live"}}))}}},
        "/health/ready": {"get": {"summary": "In the consumer group, the ledger readable and writable", "responses": {
            "200": ok(obj({"status": {"const": "ready"}})),
            "503": problem_response("not ready: not in the consumer group yet, or the ledger cannot be read or written",
                                    "unavailable", 503, retry=True)}}},
        "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text exposition format", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
        "/openapi.json": {"get": {"summary": "This document", "responses": {"200": ok({"type": "object"})}}},
    },
    "components": {"schemas": {"Problem": problem, "Notification": notification}, "responses": responses,
                   "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
}
text = json.dumps(doc, indent=1, sort_keys=True)
swift = ("// Generated by Services/Notifier/openapi.gen.py: edit that, then run it.\n\n"
         "/// The OpenAPI 3.1 document of this service, served at `/openapi.json`.\n"
         "enum NotifierOpenAPIDocument {\n    static let json = #\"\"\"\n" + text + "\n\"\"\"#\n}\n")
Path(__file__).parent.joinpath("Sources/Notifier/HTTP/NotifierOpenAPIDocument.swift").write_text(swift)
