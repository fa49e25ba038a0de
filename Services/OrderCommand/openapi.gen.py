"""Writes Sources/OrderCommand/HTTP/OpenAPIDocument.swift from the description below.

Run after changing the API: python3 Services/OrderCommand/openapi.gen.py
The document is served at GET /openapi.json and checked by schemathesis in the interop suite.
"""
import json
from pathlib import Path

ident = {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,64}$"}
money = {"type": "integer", "format": "int64", "minimum": -9223372036854775808, "maximum": 9223372036854775807}
item = {"type": "object", "additionalProperties": False, "required": ["sku", "quantity", "unitPrice"],
        "properties": {"sku": ident, "quantity": {**money, "description": "1 to MAX_QUANTITY (a rule: 422 outside)"},
                       "unitPrice": {**money, "description": "minor units of the order's currency, 0 to MAX_UNIT_PRICE (a rule: 422 outside)"}}}
problem = {"type": "object", "required": ["type", "title", "status", "detail"],
           "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                          "detail": {"type": "string"}, "rule": {"type": "string"}, "currentVersion": {"type": "integer"}}}
success = {"type": "object", "additionalProperties": False, "required": ["orderId", "version", "position"],
           "properties": {"orderId": {"type": "string"}, "version": {"type": "integer", "minimum": 1},
                          "position": {"type": "string", "pattern": "^[0-9]+:[0-9]+$", "description": "partition:offset of the command's event"}}}

def problem_response(description, retry=False):
    r = {"description": description, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    if retry:
        r["headers"] = {"Retry-After": {"schema": {"type": "string"}, "required": True}}
    return r


def accepted(created=False):
    headers = {"ETag": {"schema": {"type": "string"}, "description": "\"<version>\"", "required": True}}
    if created:
        headers["Location"] = {"schema": {"type": "string"}, "required": True}
    return {"description": "In effect in the log" + (" (the order was placed)" if created else ""),
            "headers": headers, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Accepted"}}}}


# Every command answers with these; operations refer to them instead of repeating them.
responses = {
    "Accepted": accepted(),
    "Created": accepted(created=True),
    "Validation": problem_response("validation: malformed JSON, wrong types, unknown fields, bad headers, oversized body"),
    "OrderNotFound": problem_response("order-not-found"),
    "Conflict": problem_response("version-conflict (If-Match) or write-conflict (another writer got the version first)"),
    "Unprocessable": problem_response("rule-violated (with rule) or idempotency-key-reuse"),
    "Unavailable": problem_response("unavailable (nothing appended) or outcome-unknown (retry with the same key)", retry=True),
}
parameters = {
    "IdempotencyKey": {"name": "Idempotency-Key", "in": "header", "required": False,
                       "schema": {"type": "string", "pattern": "^[!-~]{1,200}$"},
                       "description": "Unique per command; a retry with the same key returns the first answer and appends nothing"},
    "Traceparent": {"name": "traceparent", "in": "header", "required": False, "schema": {"type": "string"}},
    "IfMatch": {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string", "pattern": "^\"[0-9]{1,18}\"$"},
                "description": "The order version the command was decided on: 409 version-conflict when it is not current"},
    "OrderId": {"name": "id", "in": "path", "required": True, "schema": ident},
}


def ref(kind, name):
    return {"$ref": f"#/components/{kind}/{name}"}


common_params = [ref("parameters", "IdempotencyKey"), ref("parameters", "Traceparent")]
if_match = ref("parameters", "IfMatch")
order_id = ref("parameters", "OrderId")


def command(summary, body=None, params=(), order=True, created=False):
    op = {"summary": summary, "parameters": list(common_params) + list(params) + ([order_id] if order else []),
          "responses": {"201" if created else "200": ref("responses", "Created" if created else "Accepted"),
                        "400": ref("responses", "Validation"), "409": ref("responses", "Conflict"),
                        "422": ref("responses", "Unprocessable"), "503": ref("responses", "Unavailable")}}
    if order:
        op["responses"]["404"] = ref("responses", "OrderNotFound")
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


def obj(props, required):
    return {"type": "object", "additionalProperties": False, "required": required, "properties": props}

def text(n):
    # No control characters (Unicode category Cc); length in code points as JSON Schema counts.
    return {"type": "string", "minLength": 1, "maxLength": n, "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"}


text100 = text(100)
doc = {
    "openapi": "3.1.0",
    "info": {"title": "OrderCommand", "version": "1.0.0",
             "description": "Commands on orders. Each accepted command appends one event to orders.events and is answered only once the event is read back in effect."},
    "paths": {
        "/orders": {"post": command("Place an order", obj({"orderId": ident, "customerId": ident,
                                                            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                                                            "items": {"type": "array", "maxItems": 1000, "items": item}},
                                                           ["customerId", "currency", "items"]),
                                    order=False, created=True)},
        "/orders/{id}/items": {"post": command("Add a line", item, params=[if_match])},
        "/orders/{id}/items/{sku}": {"delete": command("Remove a line", params=[if_match, {"name": "sku", "in": "path", "required": True, "schema": ident}])},
        "/orders/{id}/confirm": {"post": command("Confirm the order", params=[if_match])},
        "/orders/{id}/ship": {"post": command("Ship the order", obj({"carrier": text100, "trackingNumber": text100}, ["carrier", "trackingNumber"]), params=[if_match])},
        "/orders/{id}/deliver": {"post": command("Mark the order delivered", params=[if_match])},
        "/orders/{id}/cancel": {"post": command("Cancel the order", obj({"reason": text(500)}, ["reason"]), params=[if_match])},
        "/health/live": {"get": {"summary": "The process is up", "responses": {"200": {"description": "live", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
        "/health/ready": {"get": {"summary": "Every owned partition is folded to its end", "responses": {
            "200": {"description": "ready", "content": {"application/json": {"schema": {"type": "object"}}}},
            "503": problem_response("not ready", retry=True)}}},
        "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text exposition format", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
        "/status": {"get": {"summary": "Owned partitions, fold progress and the owner map", "responses": {"200": {"description": "status", "content": {"application/json": {"schema": {"type": "object", "required": ["ready", "generation", "owners", "partitions"], "properties": {
            "ready": {"type": "boolean"}, "generation": {"type": "integer"}, "owners": {"type": "object", "additionalProperties": {"type": "string"}},
            "partitions": {"type": "array", "items": {"type": "object"}}}}}}}}}},
        "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    },
    "components": {"schemas": {"Problem": problem, "Accepted": success}, "responses": responses, "parameters": parameters},
}
text = json.dumps(doc, indent=1, sort_keys=True)
swift = ("// Generated by Services/OrderCommand/openapi.gen.py: edit that, then run it.\n\n"
         "/// The OpenAPI 3.1 document of this service, served at `/openapi.json`.\n"
         "enum OpenAPIDocument {\n    static let json = #\"\"\"\n" + text + "\n\"\"\"#\n}\n")
Path(__file__).parent.joinpath("Sources/OrderCommand/HTTP/OpenAPIDocument.swift").write_text(swift)
