import Events
import Foundation
import Mustache
import OrderLog

/// An order, three ways side by side: folded from the log by the fold rule (with a slider
/// through its positions, as `orders history --at-offset` shows it), the read model's row
/// (order-query), and the notifier's deliveries. Its lifecycle is a row of states with the
/// current one marked.
struct OrderPage: Sendable {
    private let library = PageLayout.library(["order": Self.template])

    /// A service's part of the page: what it answered, or why there is nothing to show.
    enum Part<Value> {
        case shown(Value)
        case missing(String)
    }

    struct Context {
        var timeline: OrderTimeline
        var readModel: Part<UpstreamBodies.Order>
        var notifications: Part<UpstreamBodies.Notifications>
    }

    /// The state fields the page shows, as the slider's script sets them.
    struct StateFields: Encodable {
        var position: String
        var exists: Bool
        var status: String
        var version: Int64
        var customerId: String
        var currency: String
        var items: String
        var total: Int64

        init(_ state: OrderState, position: String) {
            self.position = position
            exists = state.exists
            status = state.exists ? state.status.rawValue : "none"
            version = state.version
            customerId = state.customerId
            currency = state.currency
            items = Self.items(state.items.map { ($0.quantity, $0.sku) })
            total = state.confirmedTotal ?? state.total
        }

        static func items(_ lines: [(Int64, String)]) -> String {
            lines.isEmpty ? "none" : lines.map { "\($0.0) × \($0.1)" }.joined(separator: ", ")
        }

        var values: [String: Any] {
            ["position": position, "status": status, "version": "\(version)", "customerId": customerId,
             "currency": currency, "items": items, "total": "\(total)"]
        }
    }

    /// The lifecycle's states in order; cancelled can follow placed or confirmed.
    static let lifecycle: [OrderStatus] = [.placed, .confirmed, .shipped, .delivered, .cancelled]

    static func lifecycleValues(_ status: String) -> [[String: Any]] {
        let happy = ["placed", "confirmed", "shipped", "delivered"]
        let reached = happy.firstIndex(of: status) ?? (status == "cancelled" ? 0 : -1)
        return lifecycle.map { state in
            let index = happy.firstIndex(of: state.rawValue)
            return ["name": state.rawValue, "current": state.rawValue == status,
                    "done": index.map { $0 < reached } ?? false]
        }
    }

    func render(_ context: Context) -> String {
        let timeline = context.timeline
        let position = { (offset: Int64) in "\(timeline.partition):\(offset)" }
        var slider: [StateFields] = []
        var rows: [[String: Any]] = []
        for step in timeline.steps {
            let event = step.event
            var row: [String: Any] = [
                "position": position(event.offset), "eventType": event.eventType ?? "?",
                "version": event.version.map { "\($0)" } ?? "?", "actor": event.actor ?? "—",
                "effect": event.inEffect ? "in effect" : (event.void.map { "void: \($0)" } ?? "unreadable: \(event.unreadable ?? "")"),
                "void": !event.inEffect,
            ]
            if event.inEffect {
                row["step"] = "\(slider.count)"
                row["statusAfter"] = step.state.status.rawValue
                slider.append(StateFields(step.state, position: position(event.offset)))
            } else {
                row["statusAfter"] = "—"
            }
            rows.append(row)
        }
        let final = slider.last ?? StateFields(OrderState(), position: "—")
        var values: [String: Any] = [
            "title": "Order \(timeline.orderId)",
            "heading": "Order \(timeline.orderId)",
            "orderId": timeline.orderId,
            "partition": "\(timeline.partition)",
            "logState": final.values,
            "exists": final.exists,
            "lifecycle": Self.lifecycleValues(final.status),
            "rows": rows,
            "hasSteps": !slider.isEmpty,
            "lastStep": "\(max(0, slider.count - 1))",
            "stepsJSON": Self.scriptJSON(slider),
        ]
        switch context.readModel {
        case .shown(let order):
            values["readModel"] = [
                "status": order.status, "version": "\(order.version)", "customerId": order.customerId,
                "currency": order.currency, "total": "\(order.total)", "updatedAt": order.updatedAt ?? "—",
                "items": StateFields.items(order.items.map { ($0.quantity, $0.sku) }),
                "agrees": order.version == final.version && order.status == final.status,
            ] as [String: Any]
        case .missing(let why):
            values["readModelMissing"] = why
        }
        switch context.notifications {
        case .shown(let body):
            values["notifications"] = body.notifications.map { item -> [String: Any] in
                ["kind": item.notification.kind, "version": "\(item.notification.version)", "position": item.notification.position,
                 "subject": item.notification.subject,
                 "deliveries": item.deliveries.map { "\($0.sink): \($0.status) (\($0.attempts) attempt\($0.attempts == 1 ? "" : "s"))" }
                    .joined(separator: "; ")]
            }
            values["noNotifications"] = body.notifications.isEmpty
            values["hasNotifications"] = !body.notifications.isEmpty
        case .missing(let why):
            values["notificationsMissing"] = why
        }
        values.merge(PageLayout.navigation(.order)) { $1 }
        return library.render(values, withTemplate: "order") ?? ""
    }

    /// JSON to put inside a `<script>` element: `</` cannot end the element early.
    static func scriptJSON(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return text.replacingOccurrences(of: "</", with: "<\\/")
    }

    static let template = """
        {{> head}}
        {{> header}}
        <main id="order" data-order="{{orderId}}" data-partition="{{partition}}">
        <p class="note">Partition {{partition}}. The log is the record; the read model and the notifications follow it.</p>
        <section aria-labelledby="lifecycle-heading">
        <h2 id="lifecycle-heading">Lifecycle</h2>
        <ol class="lifecycle" id="lifecycle">{{#lifecycle}}<li data-state="{{name}}"{{#done}} class="done"{{/done}}{{#current}} aria-current="step"{{/current}}>{{name}}</li>{{/lifecycle}}</ol>
        </section>
        <div class="columns">
        <section aria-labelledby="log-heading">
        <h2 id="log-heading">From the log, folded</h2>
        {{^exists}}<p class="note">No event of this order is in effect in partition {{partition}}.</p>{{/exists}}
        {{#hasSteps}}
        <label for="at">As of position <output id="at-position" for="at">{{logState.position}}</output>
        <input type="range" id="at" min="0" max="{{lastStep}}" value="{{lastStep}}" step="1" aria-describedby="at-help"></label>
        <p id="at-help" class="note">Slide through the events in effect: the order as it was once each was read.</p>
        {{/hasSteps}}
        <dl id="log-state">{{#logState}}
        <dt>Status</dt><dd data-field="status">{{status}}</dd>
        <dt>Version</dt><dd data-field="version">{{version}}</dd>
        <dt>Customer</dt><dd data-field="customerId">{{customerId}}</dd>
        <dt>Items</dt><dd data-field="items">{{items}}</dd>
        <dt>Total</dt><dd><span data-field="total">{{total}}</span> <span data-field="currency">{{currency}}</span> <span class="note">(minor units)</span></dd>
        {{/logState}}</dl>
        </section>
        <section aria-labelledby="read-model-heading">
        <h2 id="read-model-heading">Read model (order-query)</h2>
        {{#readModel}}
        <dl id="read-model">
        <dt>Status</dt><dd data-field="status">{{status}}</dd>
        <dt>Version</dt><dd data-field="version">{{version}}</dd>
        <dt>Customer</dt><dd data-field="customerId">{{customerId}}</dd>
        <dt>Items</dt><dd data-field="items">{{items}}</dd>
        <dt>Total</dt><dd><span data-field="total">{{total}}</span> {{currency}}</dd>
        <dt>Updated</dt><dd>{{updatedAt}}</dd>
        </dl>
        {{^agrees}}<p class="note">The read model is behind the log here: it has not applied every event yet, or a rebuild is running.</p>{{/agrees}}
        {{/readModel}}
        {{#readModelMissing}}<p class="note" id="read-model-missing">{{readModelMissing}}</p>{{/readModelMissing}}
        </section>
        <section aria-labelledby="notifications-heading">
        <h2 id="notifications-heading">Notifications (notifier)</h2>
        {{#notificationsMissing}}<p class="note">{{notificationsMissing}}</p>{{/notificationsMissing}}
        {{#noNotifications}}<p class="note">None yet.</p>{{/noNotifications}}
        {{#hasNotifications}}<div class="scroll"><table id="notifications">
        <thead><tr><th scope="col">Kind</th><th scope="col">Version</th><th scope="col">Position</th><th scope="col">Deliveries</th></tr></thead>
        <tbody>{{#notifications}}<tr><td>{{kind}}</td><td>{{version}}</td><td class="position">{{position}}</td><td>{{deliveries}}</td></tr>{{/notifications}}</tbody></table></div>{{/hasNotifications}}
        </section>
        </div>
        <section aria-labelledby="events-heading">
        <h2 id="events-heading">Its records in the log</h2>
        <div class="scroll"><table id="order-events">
        <caption>Oldest first. A void record is kept in the log and ignored by every reader.</caption>
        <thead><tr><th scope="col">Position</th><th scope="col">Event</th><th scope="col">Version</th><th scope="col">Effect</th><th scope="col">Status after</th><th scope="col" class="optional">Actor</th></tr></thead>
        <tbody>{{#rows}}<tr data-position="{{position}}"{{#step}} data-step="{{step}}"{{/step}}{{#void}} class="void"{{/void}}><td class="position">{{position}}</td><td>{{eventType}}</td><td>{{version}}</td><td>{{effect}}</td><td>{{statusAfter}}</td><td class="optional">{{actor}}</td></tr>{{/rows}}</tbody>
        </table></div>
        </section>
        </main>
        <script type="application/json" id="steps">{{{stepsJSON}}}</script>
        <script>
        (() => {
          const slider = document.getElementById("at");
          if (!slider) return;
          const steps = JSON.parse(document.getElementById("steps").textContent);
          const happy = ["placed", "confirmed", "shipped", "delivered"];
          const show = (index) => {
            const step = steps[index];
            document.getElementById("at-position").textContent = step.position;
            for (const dd of document.querySelectorAll("#log-state [data-field]")) dd.textContent = String(step[dd.dataset.field]);
            const reached = step.status === "cancelled" ? 0 : happy.indexOf(step.status);
            for (const li of document.querySelectorAll("#lifecycle li")) {
              const at = happy.indexOf(li.dataset.state);
              li.classList.toggle("done", at >= 0 && at < reached);
              if (li.dataset.state === step.status) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
            }
            for (const tr of document.querySelectorAll("#order-events tr[data-step]")) tr.classList.toggle("now", tr.dataset.step === String(index));
          };
          slider.addEventListener("input", () => show(Number(slider.value)));
          show(Number(slider.value));
        })();
        </script>
        </body>
        </html>
        """
}
