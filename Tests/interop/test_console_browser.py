"""The console in a real browser: headless Chromium (Debian's chromium and chromium-driver,
driven by selenium) against the separate-process system (a dev broker, order-command,
order-query and the notifier on PostgreSQL, and `console`), each page checked against what the
CLI says, by axe-core, and at a phone's width. Everything waits for conditions; screenshots of
each page are kept under .build/test-artefacts/console/."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from browser import Browser, describe_violations
from console import Console
from helpers import Broker
from notifier import Notifier
from order_command import Client, OrderCommand
from order_query import OrderQuery, fresh_postgres_database
from orders_cli import OrdersCLI

ADMIN = "console-admin-token"


class System:
    def __init__(self, tmp: Path):
        self.broker = Broker(tmp / "data", tmp / "broker.log")
        self.broker.start()
        self.command = OrderCommand(self.broker.bootstrap, tmp / "order-command.log").start()
        self.query = OrderQuery(self.broker.bootstrap, tmp / "order-query.log",
                                env={"DATABASE_URL": fresh_postgres_database("console_browser_oq"), "ADMIN_TOKEN": ADMIN}).start()
        self.notifier = Notifier(self.broker.bootstrap, tmp / "notifier.log",
                                 env={"DATABASE_URL": fresh_postgres_database("console_browser_nt"), "ADMIN_TOKEN": ADMIN,
                                      "NOTIFIER_SINKS": f"file:{tmp / 'notifications.jsonl'}"}).start()
        self.urls = {"ORDERS_COMMAND_URL": self.command.url, "ORDERS_QUERY_URL": self.query.url,
                     "ORDERS_NOTIFIER_URL": self.notifier.url}
        self.console = Console(self.broker.bootstrap, tmp / "console.log", env=self.urls).start()
        self.cli = OrdersCLI({**self.urls, "KAFKA_BOOTSTRAP_SERVERS": self.broker.bootstrap, "ADMIN_TOKEN": ADMIN})

    def place(self, customer: str = "alice", items=(("TEA", 2, 450),)) -> dict:
        args = ["place", "--customer", customer, "--currency", "EUR"]
        for sku, quantity, price in items:
            args += ["--item", f"{sku}:{quantity}:{price}"]
        return self.cli.json(*args)

    def stop(self) -> None:
        for service in (self.console, self.notifier, self.query, self.command):
            service.stop()
        self.broker.stop(timeout=10, strict=False)


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    started = System(tmp_path_factory.mktemp("console-browser"))
    yield started
    started.stop()


@pytest.fixture(autouse=True)
def log_tails_on_failure(request, system):
    # The suite's report hook attaches these logs' tails when a test fails.
    request.node._kafkawire_broker = system.broker
    request.node._order_commands = [system.command]
    request.node._order_queries = [system.query]
    request.node._notifiers = [system.notifier]


@pytest.fixture(scope="module")
def browser():
    opened = Browser()
    yield opened
    opened.close()


def items_text(items: list) -> str:
    return ", ".join(f"{item['quantity']} × {item['sku']}" for item in items) or "none"


def fields(page: Browser, container: str) -> dict:
    return page.js(f"""return Object.fromEntries(Array.from(document.querySelectorAll('{container} [data-field]'))
                       .map(e => [e.dataset.field, e.textContent]))""")


def assert_accessible(page: Browser, name: str) -> None:
    violations = page.axe_violations()
    assert violations == [], f"axe-core on {name}:\n{describe_violations(violations)}"


@pytest.mark.timeout(300)
def test_the_live_log_page_shows_commands_sent_through_the_cli_at_their_positions(system, browser):
    browser.open(f"{system.console.url}/log")
    browser.wait_for("the live log to be live", lambda: browser.text("#status").startswith("Live"))

    first = system.place("alice")
    second = system.place("bob", items=(("MUG", 1, 1200),))
    confirmed = system.cli.json("confirm", first["orderId"])
    expected = {first["position"]: (first["orderId"], "OrderPlaced", "1"),
                second["position"]: (second["orderId"], "OrderPlaced", "1"),
                confirmed["position"]: (first["orderId"], "OrderConfirmed", "2")}

    def rows() -> dict:
        cells = browser.js("""return Array.from(document.querySelectorAll('#events tr'))
            .map(tr => [tr.dataset.position, ...Array.from(tr.cells).map(td => td.textContent)])""")
        return {row[0]: row for row in cells}

    shown = browser.wait_for("a row for each command, at its position", lambda: (r := rows()) and expected.keys() <= r.keys() and r)
    for position, (order_id, event_type, version) in expected.items():
        row = shown[position]
        assert row[1] == position and row[3] == order_id and row[4] == event_type and row[5] == version, row
        assert row[6] == "in effect" and row[7] == "anonymous", row
    # The newest received is on top; nothing else was appended.
    assert len(shown) == 3
    browser.screenshot("log")
    assert_accessible(browser, "/log")


@pytest.mark.timeout(300)
def test_the_order_page_shows_what_orders_get_and_history_show_and_its_slider_what_at_offset_shows(system, browser):
    placed = system.place("carol", items=(("TEA", 2, 450), ("CUP", 1, 900)))
    order_id = placed["orderId"]
    system.cli.json("add-item", order_id, "--sku", "JAM", "--quantity", "3", "--unit-price", "300")
    system.cli.json("remove-item", order_id, "CUP")
    system.cli.json("confirm", order_id)
    last = system.cli.json("ship", order_id, "--carrier", "DHL", "--tracking-number", "TRK-7")
    got = system.cli.json("get", order_id, "--position", last["position"])
    history = system.cli.json("history", order_id)
    assert history["version"] == got["version"] == 5

    # The notifier's deliveries are made after the read model's row: wait until the page has them all.
    browser.open(f"{system.console.url}/orders/{order_id}")

    def delivered() -> bool:
        browser.open(f"{system.console.url}/orders/{order_id}")
        return len(browser.find_all("#notifications tbody tr")) == 3  # placed, confirmed, shipped
    browser.wait_for("the notifier's three notifications", delivered)

    read_model = fields(browser, "#read-model")
    assert read_model == {"status": got["status"], "version": str(got["version"]), "customerId": got["customerId"],
                          "items": items_text(got["items"]), "total": str(got["total"])}
    from_log = fields(browser, "#log-state")
    assert from_log == {"status": history["status"], "version": str(history["version"]), "customerId": history["customerId"],
                        "items": items_text(history["items"]), "total": str(history["total"]), "currency": history["currency"]}
    assert browser.find("#lifecycle li[aria-current]").text == "shipped"
    assert [li.get_attribute("class") for li in browser.find_all("#lifecycle li")][:2] == ["done", "done"]

    # The slider, at each event in effect, shows the order as `orders history --at-offset` does.
    steps = history["history"]
    assert browser.find("#at").get_attribute("max") == str(len(steps) - 1)
    for index, step in enumerate(steps):
        browser.js("const s = document.getElementById('at'); s.value = arguments[0]; s.dispatchEvent(new Event('input'));", index)
        offset = int(step["position"].split(":")[1])
        then = system.cli.json("history", order_id, "--at-offset", str(offset))
        assert browser.text("#at-position") == step["position"]
        assert fields(browser, "#log-state") == {
            "status": then["status"], "version": str(then["version"]), "customerId": then["customerId"],
            "items": items_text(then["items"]), "total": str(then["total"]), "currency": then["currency"]}, step
        assert browser.find("#lifecycle li[aria-current]").text == then["status"]
        if index == 1:
            browser.screenshot("order-slider-at-second-event")
    browser.js("const s = document.getElementById('at'); s.value = s.max; s.dispatchEvent(new Event('input'));")
    browser.screenshot("order")
    assert_accessible(browser, f"/orders/{order_id}")


@pytest.mark.timeout(300)
def test_the_system_page_shows_every_reader_catch_up_after_a_burst(system, browser):
    browser.open(f"{system.console.url}/system")
    browser.wait_for("the first poll", lambda: browser.text("#status").startswith("Live"))
    def place(n: int) -> int:
        return Client(system.command.port).request(
            "POST", "/orders", {"customerId": f"burst-{n % 7}", "currency": "EUR",
                                "items": [{"sku": "TEA", "quantity": 1, "unitPrice": 450}]},
            headers={"Idempotency-Key": f"burst-{n}-{secrets.token_hex(4)}"}).status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(place, range(300)))
    assert statuses == [201] * 300

    ends = system.cli.json_lines("lag")
    browser.wait_for("OrderQuery's and the notifier's lag to reach 0",
                     lambda: browser.text("#query-lag") == "0" and browser.text("#notifier-lag") == "0", timeout=120)
    rows = browser.js("""return Array.from(document.querySelectorAll('#partitions tbody tr'))
        .map(tr => Array.from(tr.cells).map(td => td.textContent))""")
    total_end = sum(int(row[1]) for row in rows)
    assert total_end >= 300 and all(row[2].startswith("http://") for row in rows), rows
    assert all(row[4] == "0" and row[6] == "0" for row in rows), rows
    assert ends, "orders lag answered"
    assert browser.find_all("#problems li") == []
    # The charts have points once two polls have been compared.
    browser.wait_for("the charts to be drawn",
                     lambda: browser.js("return document.querySelector('svg[data-chart=\"commands\"] polyline').getAttribute('points').length > 0"))
    browser.screenshot("system")
    assert_accessible(browser, "/system")


@pytest.mark.timeout(300)
def test_the_try_form_places_confirms_and_ships_and_the_log_shows_the_events(system, browser):
    browser.open(f"{system.console.url}/try")
    browser.find("#customer").clear()
    browser.find("#customer").send_keys("dave")
    browser.find("#place button[type=submit]").click()
    browser.wait_for("the place answer", lambda: browser.find("#answer").get_attribute("data-status") == "201")
    placed_position = browser.find("#answer").get_attribute("data-position")
    order_id = browser.find("#order-link").text
    positions = [placed_position]
    for action, version in (("confirm", "2"), ("ship", "3")):
        browser.find(f"#steps button[data-action={action}]").click()
        browser.wait_for(f"the {action} answer", lambda: browser.find("#answer").get_attribute("data-version") == version)
        assert browser.find("#answer").get_attribute("data-status") == "200"
        positions.append(browser.find("#answer").get_attribute("data-position"))

    def shown() -> list:
        return browser.js("""return Array.from(document.querySelectorAll('#try-events tbody tr'))
            .map(tr => Array.from(tr.cells).map(td => td.textContent))""")
    rows = browser.wait_for("the three events in the page's live log", lambda: len(r := shown()) == 3 and r)
    logged = system.cli.json_lines("events", "--order", order_id)
    assert [row[0] for row in rows] == positions == [f"{e['partition']}:{e['offset']}" for e in logged]
    assert [row[1] for row in rows] == ["OrderPlaced", "OrderConfirmed", "OrderShipped"] == [e["eventType"] for e in logged]
    assert all(row[3] == "in effect" for row in rows)
    # A step the lifecycle forbids is answered with OrderCommand's problem, shown as it is.
    browser.find("#steps button[data-action=confirm]").click()
    browser.wait_for("the refusal", lambda: browser.find("#answer").get_attribute("data-status") == "422")
    assert "rule" in browser.text("#answer-body")
    browser.screenshot("try")
    assert_accessible(browser, "/try")


@pytest.mark.timeout(300)
def test_every_page_works_at_a_phones_width(system):
    order = system.place("erin")
    phone = Browser(width=390, height=844)
    try:
        for name, path, ready in [
            ("log-390", "/log", lambda: phone.text("#status").startswith("Live")),
            ("order-390", f"/orders/{order['orderId']}", lambda: phone.find("#log-state")),
            ("system-390", "/system", lambda: phone.text("#status").startswith("Live")),
            ("try-390", "/try", lambda: phone.find("#place")),
        ]:
            phone.open(system.console.url + path)
            phone.wait_for(f"{path} to be ready", ready)
            assert phone.js("return window.innerWidth") == 390
            assert phone.fits_width(), f"{path} is wider than 390 px: {phone.js('return document.documentElement.scrollWidth')}"
            phone.screenshot(name)
            assert_accessible(phone, f"{path} at 390 px")
    finally:
        phone.close()
