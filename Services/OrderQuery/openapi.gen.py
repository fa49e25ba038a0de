"""Writes Sources/OrderQuery/HTTP/QueryOpenAPIDocument.swift from the description below.

Run after changing the API: python3 Services/OrderQuery/openapi.gen.py
The document is served at GET /openapi.json and checked by schemathesis in the interop suite.
"""
import json
from pathlib import Path

ident = {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,64}$"}
int64 = {"type": "integer", "format": "int64"}
statuses = ["placed", "confirmed", "shipped", "delivered", "cancelled"]
problem = {"type": "object", "required": ["type", "title", "status", "detail"],
           "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                          "detail": {"type": "string"}, "rebuildId": {"type": "integer"}}}
money_by_currency = {"type": "object", "additionalProperties": int64, "description": "currency code to an amount in minor units"}
timestamp = {"type": "string", "description": "RFC 3339, UTC, milliseconds"}
order = {"type": "object", "additionalProperties": False,
         "required": ["orderId", "customerId", "status", "currency", "items", "itemCount", "total", "version", "placedAt", "updatedAt"],
         "properties": {
             "orderId": {"type": "string"}, "customerId": {"type": "string"}, "status": {"enum": statuses},
             "currency": {"type": "string"},
             "items": {"type": "array", "items": {"type": "object", "additionalProperties": False, "required": ["sku", "quantity", "unitPrice"],
                                                  "properties": {"sku": {"type": "string"}, "quantity": int64, "unitPrice": int64}}},
             "itemCount": int64, "total": {**int64, "description": "minor units; the confirmed total once confirmed"},
             "version": {"type": "integer", "minimum": 1}, "placedAt": timestamp, "updatedAt": timestamp,
             "shipping": {"type": "object", "additionalProperties": False, "required": ["carrier", "trackingNumber"],
                          "properties": {"carrier": {"type": "string"}, "trackingNumber": {"type": "string"}}},
             "cancelReason": {"type": "string"}}}
history = {"type": "object", "additionalProperties": False, "required": ["orderId", "events"], "properties": {
    "orderId": {"type": "string"},
    "events": {"type": "array", "items": {"type": "object", "additionalProperties": False,
               "required": ["version", "eventType", "eventId", "schemaVersion", "commandId", "occurredAt", "position", "status", "data"],
               "properties": {"version": {"type": "integer", "minimum": 1}, "eventType": {"type": "string"}, "eventId": {"type": "string"},
                              "schemaVersion": {"type": "integer"}, "commandId": {"type": "string"}, "occurredAt": timestamp,
                              "position": {"type": "string", "pattern": "^[0-9]+:[0-9]+$"}, "status": {"enum": statuses},
                              "data": {"type": "object", "description": "the event's body, upcast to the current schema version"},
                              "actor": {"type": "string", "description": "who asked for the event (a token's subject, or anonymous); absent for events written before actors were recorded"}}}}}}
order_list = {"type": "object", "additionalProperties": False, "required": ["orders"], "properties": {
    "orders": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}},
    "nextCursor": {"type": "string", "description": "absent on the last page"}}}
customer = {"type": "object", "additionalProperties": False,
            "required": ["customerId", "orderCount", "byStatus", "totals", "firstOrderAt", "lastOrderAt"],
            "properties": {"customerId": {"type": "string"}, "orderCount": int64,
                           "byStatus": {"type": "object", "additionalProperties": int64},
                           "totals": {**money_by_currency, "description": "orders not cancelled, per currency"},
                           "firstOrderAt": timestamp, "lastOrderAt": timestamp}}
stats = {"type": "object", "additionalProperties": False, "required": ["orders", "byStatus"], "properties": {
    "orders": int64,
    "byStatus": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": False, "required": ["orders", "totals"],
                                                           "properties": {"orders": int64, "totals": money_by_currency}}}}}
projection = {"type": "object", "additionalProperties": False, "required": ["generation", "partitions"], "properties": {
    "generation": {"type": "integer"},
    "partitions": {"type": "array", "items": {"type": "object", "additionalProperties": False,
                   "required": ["partition", "storedOffset", "endOffset", "lag"],
                   "properties": {"partition": {"type": "integer"}, "storedOffset": {**int64, "description": "the next offset to apply"},
                                  "endOffset": int64, "lag": int64}}}}}
rebuild = {"type": "object", "additionalProperties": False,
           "required": ["id", "generation", "status", "kind", "recordsRead", "eventsApplied", "eventsPerSecond", "startedAt", "updatedAt"],
           "properties": {"id": {"type": "integer"}, "generation": {"type": "integer"},
                          "status": {"enum": ["building", "live", "retired", "snapshot-building", "snapshot", "failed"]},
                          "kind": {"enum": ["rebuild", "as-of"]},
                          "upTo": {"type": "object", "additionalProperties": int64}, "recordsRead": int64, "recordsTotal": int64,
                          "eventsApplied": int64, "eventsPerSecond": {"type": "number"}, "etaSeconds": {"type": "number"},
                          "startedAt": timestamp, "updatedAt": timestamp, "swappedAt": timestamp, "error": {"type": "string"}}}


def problem_response(description, retry=False):
    r = {"description": description, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    if retry:
        r["headers"] = {"Retry-After": {"schema": {"type": "string"}, "required": True}}
    return r


def ok(schema, description="OK", headers=None):
    r = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        r["headers"] = headers
    return r


responses = {
    "Validation": problem_response("validation: a parameter is malformed, unknown, repeated or out of range"),
    "NotYetVisible": problem_response("not-yet-visible (the position or version was not applied within waitMs) or unavailable", retry=True),
    "GenerationNotFound": problem_response("order-not-found, customer-not-found, or generation-not-found (a generation that is neither live nor a kept read model as of a position)"),
    "Unauthorized": {**problem_response("unauthorized: no or a wrong bearer token"),
                     "headers": {"WWW-Authenticate": {"schema": {"type": "string"}, "required": True}}},
    "Forbidden": problem_response("forbidden: ADMIN_TOKEN is not set, so admin routes are disabled"),
}
ref = lambda name: {"$ref": f"#/components/responses/{name}"}
pref = lambda name: {"$ref": f"#/components/parameters/{name}"}
parameters = {
    "Position": {"name": "position", "in": "query", "required": False,
                 "description": "PARTITION:OFFSET as a command answered it: wait until the read model has applied it",
                 "schema": {"type": "string", "pattern": "^[0-9]{1,9}:[0-9]{1,18}$"}},
    "MinVersion": {"name": "minVersion", "in": "query", "required": False, "description": "wait until the order has reached this version",
                   "schema": {"type": "integer", "minimum": 1, "maximum": 999999999999999999}},
    "WaitMs": {"name": "waitMs", "in": "query", "required": False, "description": "how long to wait for position or minVersion (default 5000)",
               "schema": {"type": "integer", "minimum": 0, "maximum": 30000}},
    "Generation": {"name": "generation", "in": "query", "required": False,
                   "description": "read a kept read model as of a position (default: the live generation)",
                   "schema": {"type": "integer", "minimum": 1, "maximum": 999999999999999999}},
    "Id": {"name": "id", "in": "path", "required": True, "schema": ident},
}
common = [pref("Position"), pref("WaitMs"), pref("Generation")]
security = [{"bearer": []}]


def read(summary, schema, params, extra=None, etag=False):
    rs = {"200": ok(schema, headers={"ETag": {"schema": {"type": "string"}, "required": True}} if etag else None),
          "400": ref("Validation"), "404": ref("GenerationNotFound"), "503": ref("NotYetVisible")}
    if etag:
        rs["304"] = {"description": "Not modified (If-None-Match matched the ETag)"}
    rs.update(extra or {})
    return {"summary": summary, "parameters": params, "responses": rs}


doc = {
    "openapi": "3.1.0",
    "info": {"title": "OrderQuery", "version": "1.0.0",
             "description": "The read side: orders.events folded exactly once into a read model, with read-your-writes."},
    "paths": {
        "/orders/{id}": {"get": read("One order with its items", {"$ref": "#/components/schemas/Order"},
                                     [pref("Id"), pref("MinVersion"), *common,
                                      {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}}], etag=True)},
        "/orders/{id}/history": {"get": read("The order's events in effect, oldest first", history, [pref("Id"), pref("MinVersion"), *common])},
        "/orders": {"get": read("Orders, newest first, with keyset pagination", order_list, [
            {"name": "status", "in": "query", "required": False, "schema": {"enum": statuses}},
            {"name": "customerId", "in": "query", "required": False, "schema": ident},
            {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
            {"name": "cursor", "in": "query", "required": False, "description": "nextCursor of the previous page",
             "schema": {"type": "string", "maxLength": 200}},
            *common])},
        "/customers/{id}": {"get": read("A customer's summary", customer, [pref("Id"), *common])},
        "/stats": {"get": read("Orders and totals by status", stats, common)},
        "/projection": {"get": {"summary": "Per partition: stored offset, log end, lag; the live generation", "responses": {
            "200": ok(projection), "400": ref("Validation"), "503": problem_response("unavailable", retry=True)}}},
        "/admin/rebuild": {"post": {
            "summary": "Start a rebuild into a fresh generation (swapped in when caught up), or a read model as of a position",
            "security": security,
            "requestBody": {"required": False, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": False, "properties": {
                "upTo": {"type": "object", "minProperties": 1, "propertyNames": {"pattern": "^[0-9]{1,9}$"},
                         "additionalProperties": {"type": "integer", "minimum": 0, "maximum": 999999999999999999},
                         "description": "partition to offset: fold each partition up to (not including) the offset"},
                "upToTimestamp": {"type": "integer", "minimum": 0, "maximum": 999999999999999999, "description": "ms since the epoch"}},
                "not": {"required": ["upTo", "upToTimestamp"]}}}}},
            "responses": {"202": ok(rebuild, "Started", headers={"Location": {"schema": {"type": "string"}, "required": True}}),
                          "400": ref("Validation"), "401": ref("Unauthorized"), "403": ref("Forbidden"),
                          "409": problem_response("rebuild-running"), "413": problem_response("too-large"),
                          "503": problem_response("unavailable", retry=True)}}},
        "/admin/rebuild/{id}": {"get": {"summary": "A rebuild's progress (records, rate, ETA)", "security": security,
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": 999999999999999999}}],
            "responses": {"200": ok(rebuild), "400": ref("Validation"), "401": ref("Unauthorized"), "403": ref("Forbidden"),
                          "404": problem_response("rebuild-not-found"), "503": problem_response("unavailable", retry=True)}}},
        "/health/live": {"get": {"summary": "The process is up", "responses": {"200": ok({"type": "object"})}}},
        "/health/ready": {"get": {"summary": "In the group, no partition stopped", "responses": {
            "200": ok({"type": "object"}), "503": problem_response("not ready", retry=True)}}},
        "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text exposition format", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
        "/openapi.json": {"get": {"summary": "This document", "responses": {"200": ok({"type": "object"})}}},
    },
    "components": {"schemas": {"Problem": problem, "Order": order}, "responses": responses, "parameters": parameters,
                   "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
}
text = json.dumps(doc, indent=1, sort_keys=True)
swift = ("// Generated by Services/OrderQuery/openapi.gen.py: edit that, then run it.\n\n"
         "/// The OpenAPI 3.1 document of this service, served at `/openapi.json`.\n"
         "enum QueryOpenAPIDocument {\n    static let json = #\"\"\"\n" + text + "\n\"\"\"#\n}\n")
Path(__file__).parent.joinpath("Sources/OrderQuery/HTTP/QueryOpenAPIDocument.swift").write_text(swift)
