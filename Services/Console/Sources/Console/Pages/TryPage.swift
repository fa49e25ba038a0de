import Mustache

/// "Try it": place an order and step it through its lifecycle from the browser. Each step is
/// a command sent through the console (`/api/order-command/...`, with an idempotency key of
/// its own, so a retried click is the same command); the answer is shown as OrderCommand gave
/// it (version and position, or the problem), and the order's events arrive below from the
/// live log as the log has them.
struct TryPage: Sendable {
    private let library = PageLayout.library(["try": Self.template])

    func render() -> String {
        var values: [String: Any] = ["title": "Try it", "heading": "Try it"]
        values.merge(PageLayout.navigation(.tryIt)) { $1 }
        return library.render(values, withTemplate: "try") ?? ""
    }

    static let template = """
        {{> head}}
        {{> header}}
        <main id="try">
        <section aria-labelledby="place-heading">
        <h2 id="place-heading">1. Place an order</h2>
        <form id="place">
        <label for="customer">Customer<input id="customer" name="customerId" value="alice" required size="12"></label>
        <label for="currency">Currency<input id="currency" name="currency" value="EUR" required size="4" pattern="[A-Z]{3}"></label>
        <label for="sku">Item<input id="sku" name="sku" value="book-1" required size="10"></label>
        <label for="quantity">Quantity<input id="quantity" name="quantity" type="number" min="1" value="2" required></label>
        <label for="unit-price">Unit price (minor units)<input id="unit-price" name="unitPrice" type="number" min="0" value="1250" required></label>
        <button type="submit">Place</button>
        </form>
        </section>
        <section aria-labelledby="step-heading">
        <h2 id="step-heading">2. Step it through its lifecycle</h2>
        <p>Order: <a id="order-link" href="#">none yet</a></p>
        <form id="steps" onsubmit="return false">
        <button type="button" data-action="confirm" disabled>Confirm</button>
        <label for="carrier">Carrier<input id="carrier" value="DHL" size="8"></label>
        <label for="tracking">Tracking number<input id="tracking" value="TRK-1" size="10"></label>
        <button type="button" data-action="ship" disabled>Ship</button>
        <button type="button" data-action="deliver" disabled>Deliver</button>
        <label for="reason">Reason<input id="reason" value="changed my mind" size="14"></label>
        <button type="button" data-action="cancel" class="secondary" disabled>Cancel</button>
        </form>
        </section>
        <section aria-labelledby="answer-heading">
        <h2 id="answer-heading">OrderCommand's answer</h2>
        <p id="answer" role="status" aria-live="polite">Nothing sent yet.</p>
        <pre id="answer-body" aria-label="The answer's body"></pre>
        </section>
        <section aria-labelledby="events-heading">
        <h2 id="events-heading">The order's events, as the log has them</h2>
        <div class="scroll"><table id="try-events">
        <thead><tr><th scope="col">Position</th><th scope="col">Event</th><th scope="col">Version</th><th scope="col">Effect</th></tr></thead>
        <tbody></tbody>
        </table></div>
        </section>
        </main>
        <script>
        (() => {
          const $ = (id) => document.getElementById(id);
          let orderId = null;
          let source = null;
          const key = () => (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : "k-" + Date.now() + "-" + Math.random().toString(36).slice(2);
          const buttons = () => document.querySelectorAll("#steps button");
          const send = async (path, body) => {
            $("answer").textContent = "Sending…";
            let response;
            try {
              response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json", "Idempotency-Key": key() }, body: JSON.stringify(body) });
            } catch (error) {
              $("answer").textContent = "The console cannot be reached: " + error;
              return null;
            }
            const answer = await response.json().catch(() => ({}));
            const answerLine = $("answer");
            answerLine.dataset.status = String(response.status);
            answerLine.dataset.version = answer.version == null ? "" : String(answer.version);
            answerLine.dataset.position = answer.position || "";
            answerLine.textContent = response.ok
              ? `${response.status}: order ${answer.orderId}, version ${answer.version}, at position ${answer.position}`
              : `${response.status}: ${answer.title || "problem"}${answer.detail ? " (" + answer.detail + ")" : ""}`;
            $("answer-body").textContent = JSON.stringify(answer, null, 2);
            return response.ok ? answer : null;
          };
          const follow = (id) => {
            if (source) source.close();
            $("try-events").tBodies[0].replaceChildren();
            source = new EventSource("/log/events?order=" + encodeURIComponent(id));
            source.addEventListener("log", (message) => {
              const e = JSON.parse(message.data);
              const tr = document.createElement("tr");
              tr.dataset.position = e.partition + ":" + e.offset;
              for (const value of [e.partition + ":" + e.offset, e.eventType || "?", e.version == null ? "?" : e.version, e.inEffect ? "in effect" : "void: " + (e.void || e.unreadable)]) {
                const td = document.createElement("td");
                td.textContent = String(value);
                tr.append(td);
              }
              $("try-events").tBodies[0].append(tr);
            });
          };
          $("place").addEventListener("submit", async (event) => {
            event.preventDefault();
            const answer = await send("/api/order-command/orders", {
              customerId: $("customer").value, currency: $("currency").value,
              items: [{ sku: $("sku").value, quantity: Number($("quantity").value), unitPrice: Number($("unit-price").value) }],
            });
            if (!answer) return;
            orderId = answer.orderId;
            const link = $("order-link");
            link.textContent = orderId;
            link.href = "/orders/" + encodeURIComponent(orderId);
            for (const button of buttons()) button.disabled = false;
            follow(orderId);
          });
          for (const button of buttons()) {
            button.addEventListener("click", async () => {
              const action = button.dataset.action;
              const body = action === "ship" ? { carrier: $("carrier").value, trackingNumber: $("tracking").value }
                : action === "cancel" ? { reason: $("reason").value } : {};
              await send("/api/order-command/orders/" + encodeURIComponent(orderId) + "/" + action, body);
            });
          }
        })();
        </script>
        </body>
        </html>
        """
}
