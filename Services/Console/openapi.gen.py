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


filters = [
    {"name": "from", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "where each partition starts: beginning (default), end, an offset, or @TIME (milliseconds since the "
                    "epoch, or ISO-8601 with a zone, as @2026-01-01T00:00:00Z). An empty value is left out."},
    {"name": "partition", "in": "query", "required": False, "style": "form", "explode": True,
     "schema": {"type": "array", "items": {"type": "integer", "minimum": 0}},
     "description": "only these partitions (repeatable); one the topic does not have is a 400"},
    {"name": "order", "in": "query", "required": False, "schema": ident, "description": "only this order's events"},
    {"name": "type", "in": "query", "required": False, "style": "form", "explode": True,
     "schema": {"type": "array", "items": {"enum": event_types}}, "description": "only these event types (repeatable)"},
]
after = {"name": "after", "in": "query", "required": False, "schema": {"type": "string", "pattern": "^([0-9]+:[0-9]+(,[0-9]+:[0-9]+)*)?$"},
         "description": "resume after a stream's last event: its id (partition:offset pairs, the next offset of each). "
                        "The Last-Event-ID header, which a browser sends when it reconnects, wins over it."}
last_event_id = {"name": "Last-Event-ID", "in": "header", "required": False, "schema": after["schema"],
                 "description": "the id of the last event a browser got, sent when it reconnects"}
responses = {
    "Validation": problem_response("validation: an unknown query parameter, or a malformed or impossible value", "validation", 400),
    "Unavailable": problem_response("unavailable: the log (Kafka) cannot be read, or the service is shutting down",
                                    "unavailable", 503, retry=True),
}
ref = lambda name: {"$ref": f"#/components/responses/{name}"}
doc = {
    "openapi": "3.1.0",
    "info": {"title": "Console", "version": "1.0.0",
             "description": "A web console over the order log: the live log page and its Server-Sent Events stream, "
                            "read from Kafka with the fold rule's verdicts."},
    "paths": {
        "/": {"get": {"summary": "To the live log", "responses": {
            "303": {"description": "See /log", "headers": {"Location": {"schema": {"const": "/log"}, "required": True}}}}}},
        "/log": {"get": {
            "summary": "The live log page (HTML): filters, and a table filled from /log/events",
            "parameters": filters,
            "responses": {"200": {"description": "the page", "content": {"text/html": {"schema": {"type": "string"}}}},
                          "400": ref("Validation")}}},
        "/log/events": {"get": {
            "summary": "The log as Server-Sent Events: `log` (one record; id: the stream's position after it), `caught-up`, "
                       "`failure`; comments keep it alive. It does not end while the client reads; a client that falls "
                       "behind is ended and resumes with Last-Event-ID.",
            "parameters": filters + [after, last_event_id],
            "responses": {"200": {"description": "the stream", "content": {"text/event-stream": {"schema": {"type": "string"}}}},
                          "400": ref("Validation"), "503": ref("Unavailable")}}},
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
