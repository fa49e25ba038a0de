"""The published contracts of orders.events, checked by software nobody here wrote (jsonschema).

- Every record the Swift encoder writes (Tests/EventsTests/Fixtures/golden-events.jsonl: the
  Swift test FixtureTests fails unless the encoder writes exactly these bytes) and every
  version-1 record still read (v1-events.jsonl) validates against the JSON Schema of its
  event-type and schema-version, and its headers against the envelope schema of the AsyncAPI
  document.
- The AsyncAPI document names every event type, with the current schema version's file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "Shared" / "Events"
SCHEMAS = EVENTS / "Schemas"
FIXTURES = ROOT / "Tests" / "EventsTests" / "Fixtures"
EVENT_TYPES = ["OrderPlaced", "ItemAdded", "ItemRemoved", "OrderConfirmed", "OrderShipped",
               "OrderDelivered", "OrderCancelled"]


def asyncapi() -> dict:
    return yaml.safe_load((EVENTS / "asyncapi.yaml").read_text())


def schema_for(event_type: str, version: str) -> Draft202012Validator:
    path = SCHEMAS / f"{event_type}.v{version}.schema.json"
    assert path.is_file(), f"no schema {path.name} for a record of {event_type} v{version}"
    return Draft202012Validator(json.loads(path.read_text()))


def records(name: str) -> list[dict]:
    lines = (FIXTURES / name).read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def check_record(record: dict, headers_schema: dict) -> None:
    headers = dict(record["headers"])
    assert len(headers) == len(record["headers"]), "a header appears twice"
    Draft202012Validator(headers_schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(headers)
    body = json.loads(record["value"])
    schema_for(headers["event-type"], headers["schema-version"]).validate(body)


def test_every_schema_is_a_valid_json_schema():
    files = sorted(SCHEMAS.glob("*.schema.json"))
    assert len(files) >= len(EVENT_TYPES) + 1
    for path in files:
        Draft202012Validator.check_schema(json.loads(path.read_text()))


@pytest.mark.parametrize("fixture", ["golden-events.jsonl", "pre-actor-events.jsonl", "v1-events.jsonl"])
def test_encoded_events_validate_against_their_schemas(fixture):
    headers_schema = asyncapi()["components"]["schemas"]["EnvelopeHeaders"]
    recs = records(fixture)
    assert recs
    for record in recs:
        check_record(record, headers_schema)


def test_golden_records_cover_every_event_type():
    seen = {dict(r["headers"])["event-type"] for r in records("golden-events.jsonl")}
    assert seen == set(EVENT_TYPES)


def test_a_schema_rejects_what_the_encoder_must_not_write():
    # The check above can fail: a wrong type, a missing field and an unknown field are refused.
    placed = schema_for("OrderPlaced", "2")
    good = {"customerId": "c", "currency": "EUR", "items": [{"sku": "A", "quantity": 1, "unitPrice": 5}]}
    placed.validate(good)
    for bad in ({**good, "items": [{"sku": "A", "quantity": "1", "unitPrice": 5}]},
                {"customerId": "c", "currency": "EUR"},
                {**good, "lines": []}):
        assert list(placed.iter_errors(bad)), bad


def test_asyncapi_names_every_event_with_its_current_schema():
    doc = asyncapi()
    assert doc["asyncapi"].startswith("3.")
    channel = doc["channels"]["ordersEvents"]
    assert channel["address"] == "orders.events"
    assert set(channel["messages"]) == set(EVENT_TYPES)
    current = {dict(r["headers"])["event-type"]: dict(r["headers"])["schema-version"]
               for r in records("golden-events.jsonl")}
    for name in EVENT_TYPES:
        message = doc["components"]["messages"][name]
        ref = message["payload"]["$ref"]
        assert ref == f"Schemas/{name}.v{current[name]}.schema.json", (name, ref)
        assert (EVENTS / ref).is_file()
    header_names = set(doc["components"]["schemas"]["EnvelopeHeaders"]["properties"])
    assert header_names == {"event-type", "event-id", "schema-version", "aggregate-version", "command-id",
                            "occurred-at", "content-type", "traceparent", "actor"}
    addresses = {c["address"] for c in doc["channels"].values()}
    assert addresses == {"orders.events", "orders.notifications", "orders.notifications.dlq"}
