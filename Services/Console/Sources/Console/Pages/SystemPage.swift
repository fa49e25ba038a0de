import Mustache

/// The system page: per partition the log's end, OrderCommand's owner, OrderQuery's and the
/// notifier's positions and lag; the dead-letter topic's entries with their redrive; rebuilds with their
/// progress; small charts of the services' rates and latencies. Its script polls
/// `/system/status` every second and redraws; the admin actions go through `/api/...` with
/// the admin token typed into the page (kept in the page only, never stored).
struct SystemPage: Sendable {
    private let library = PageLayout.library(["system": Self.template])

    func render(topic: String) -> String {
        var values: [String: Any] = ["title": "System", "heading": "System · \(topic)", "topic": topic]
        values.merge(PageLayout.navigation(.system)) { $1 }
        return library.render(values, withTemplate: "system") ?? ""
    }

    static let template = """
        {{> head}}
        {{> header}}
        <main id="system">
        <div class="bar"><span id="status" role="status" aria-live="polite">Loading…</span><span class="note">Updated every second.</span></div>
        <ul id="problems" class="note" aria-label="Services not answering"></ul>
        <section aria-labelledby="partitions-heading">
        <h2 id="partitions-heading">Partitions</h2>
        <div class="scroll"><table id="partitions">
        <caption>Positions are next offsets (Kafka's convention): lag is the log's end minus the position.</caption>
        <thead><tr><th scope="col">Partition</th><th scope="col">Log end</th><th scope="col">OrderCommand owner</th><th scope="col">OrderQuery stored</th><th scope="col">OrderQuery lag</th><th scope="col">Notifier folded</th><th scope="col">Notifier lag</th></tr></thead>
        <tbody></tbody>
        </table></div>
        <p>Total lag: OrderQuery <strong id="query-lag">—</strong>, notifier <strong id="notifier-lag">—</strong>. Read model generation <span id="generation">—</span>.</p>
        </section>
        <section aria-labelledby="charts-heading">
        <h2 id="charts-heading">Throughput and latency</h2>
        <div class="columns" id="charts">
        <figure><figcaption>Commands/s <strong data-chart-value="commands">—</strong></figcaption><svg class="chart" data-chart="commands" viewBox="0 0 120 40" preserveAspectRatio="none" role="img" aria-label="Commands per second, last two minutes"><polyline points=""/></svg></figure>
        <figure><figcaption>Append → read back, mean ms <strong data-chart-value="append">—</strong></figcaption><svg class="chart" data-chart="append" viewBox="0 0 120 40" preserveAspectRatio="none" role="img" aria-label="Mean append latency, last two minutes"><polyline points=""/></svg></figure>
        <figure><figcaption>Events applied/s (OrderQuery) <strong data-chart-value="applied">—</strong></figcaption><svg class="chart" data-chart="applied" viewBox="0 0 120 40" preserveAspectRatio="none" role="img" aria-label="Events applied per second, last two minutes"><polyline points=""/></svg></figure>
        <figure><figcaption>Notifications delivered/s <strong data-chart-value="delivered">—</strong></figcaption><svg class="chart" data-chart="delivered" viewBox="0 0 120 40" preserveAspectRatio="none" role="img" aria-label="Notifications delivered per second, last two minutes"><polyline points=""/></svg></figure>
        </div>
        </section>
        <section aria-labelledby="dead-letters-heading">
        <h2 id="dead-letters-heading">Dead letters</h2>
        <p class="note" id="dead-letters-note">The last entries of the notifier's dead-letter topic, newest first. They stay in the topic after a redrive; the order's page shows each delivery's status.</p>
        <div class="scroll"><table id="dead-letter-entries">
        <thead><tr><th scope="col">Position</th><th scope="col">Order</th><th scope="col">Event</th><th scope="col">Version</th><th scope="col">Sink</th><th scope="col">Attempts</th><th scope="col">Error</th><th scope="col" class="optional">Event's position</th></tr></thead>
        <tbody></tbody>
        </table></div>
        </section>
        <section aria-labelledby="admin-heading">
        <h2 id="admin-heading">Operations</h2>
        <p class="note">These need the admin token (<code>ADMIN_TOKEN</code>) or a token with the admin role. It stays in this page: it is sent with the action and not stored.</p>
        <form id="admin" onsubmit="return false">
        <label for="admin-token">Admin token<input id="admin-token" type="password" size="24"></label>
        <button type="button" id="redrive">Redrive dead letters (<span id="dead-letters">—</span>)</button>
        <button type="button" id="rebuild" class="secondary">Rebuild the read model</button>
        </form>
        <p id="admin-answer" role="status" aria-live="polite"></p>
        <div id="rebuilds"></div>
        </section>
        <section aria-labelledby="token-heading">
        <h2 id="token-heading">Services that require a token</h2>
        <form method="post" action="/token">
        <input type="hidden" name="back" value="/system">
        <label for="bearer">Bearer token for every page (kept in a cookie of this site; empty to forget it)<input id="bearer" name="token" type="password" size="32"></label>
        <button type="submit" class="secondary">Save</button>
        </form>
        </section>
        </main>
        <script>
        (() => {
          const $ = (id) => document.getElementById(id);
          const history = [];
          const say = (text) => { $("status").textContent = text; };
          const text = (value) => value === null || value === undefined ? "—" : String(value);
          const td = (value) => { const cell = document.createElement("td"); cell.textContent = text(value); return cell; };
          const rate = (a, b, key) => (b.counters[key] == null || a.counters[key] == null) ? null : Math.max(0, (b.counters[key] - a.counters[key]) / ((b.takenAtMs - a.takenAtMs) / 1000));
          const meanMs = (a, b, sum, count) => {
            if (b.counters[sum] == null || a.counters[sum] == null) return null;
            const n = b.counters[count] - a.counters[count];
            return n > 0 ? 1000 * (b.counters[sum] - a.counters[sum]) / n : null;
          };
          const draw = (name, values) => {
            const svg = document.querySelector(`svg[data-chart="${name}"] polyline`);
            const shown = values.filter((v) => v !== null);
            const top = Math.max(1, ...shown);
            svg.setAttribute("points", values.map((v, i) => `${(i * 120 / Math.max(1, values.length - 1)).toFixed(1)},${(40 - 38 * (v || 0) / top).toFixed(1)}`).join(" "));
            const last = values[values.length - 1];
            document.querySelector(`[data-chart-value="${name}"]`).textContent = last === null || last === undefined ? "—" : last.toFixed(1);
          };
          const render = (s) => {
            const body = $("partitions").tBodies[0];
            body.replaceChildren(...s.partitions.map((p) => {
              const tr = document.createElement("tr");
              tr.dataset.partition = p.partition;
              tr.append(td(p.partition), td(p.endOffset), td(p.owner), td(p.queryStored), td(p.queryLag), td(p.notifierFolded), td(p.notifierLag));
              return tr;
            }));
            const sum = (key) => s.partitions.some((p) => p[key] == null) ? null : s.partitions.reduce((t, p) => t + p[key], 0);
            $("query-lag").textContent = text(sum("queryLag"));
            $("notifier-lag").textContent = text(sum("notifierLag"));
            $("generation").textContent = text(s.generation);
            $("dead-letters").textContent = text(s.deadLetters);
            const problems = s.services.filter((x) => x.problem).map((x) => x.name + ": " + x.problem);
            if (s.logProblem) problems.unshift(s.logProblem);
            $("problems").replaceChildren(...problems.map((p) => { const li = document.createElement("li"); li.textContent = p; return li; }));
            history.push(s);
            if (history.length > 121) history.shift();
            const pairs = history.slice(1).map((b, i) => [history[i], b]);
            draw("commands", pairs.map(([a, b]) => rate(a, b, "commands")));
            draw("append", pairs.map(([a, b]) => meanMs(a, b, "appendSeconds", "appends")));
            draw("applied", pairs.map(([a, b]) => rate(a, b, "eventsApplied")));
            draw("delivered", pairs.map(([a, b]) => rate(a, b, "delivered")));
            say("Live at " + new Date(s.takenAtMs).toISOString().slice(11, 19) + " UTC");
          };
          const poll = async () => {
            try {
              const response = await fetch("/system/status", { cache: "no-store" });
              render(await response.json());
            } catch (error) {
              say("The console cannot be reached; retrying…");
            }
            setTimeout(poll, 1000);
          };
          const admin = async (method, path) => {
            const token = $("admin-token").value.trim();
            const headers = { "Content-Type": "application/json" };
            if (token) headers.Authorization = "Bearer " + token;
            const response = await fetch(path, { method, headers, body: method === "POST" ? "{}" : undefined });
            return { status: response.status, body: await response.json().catch(() => ({})) };
          };
          const tell = (answer) => { $("admin-answer").textContent = answer.body.detail ? answer.status + ": " + answer.body.detail : JSON.stringify(answer.body); };
          const deadLetters = async () => {
            try {
              const body = await (await fetch("/system/dead-letters", { cache: "no-store" })).json();
              $("dead-letter-entries").tBodies[0].replaceChildren(...body.entries.map((e) => {
                const tr = document.createElement("tr");
                tr.dataset.position = e.position;
                const order = document.createElement("td");
                if (e.orderId) {
                  const link = document.createElement("a");
                  link.href = "/orders/" + encodeURIComponent(e.orderId);
                  link.textContent = e.orderId;
                  order.append(link);
                } else {
                  order.textContent = "—";
                }
                const source = td(e.source);
                source.className = "optional";
                tr.append(td(e.position), order, td(e.eventType), td(e.version), td(e.sink), td(e.attempts), td(e.error), source);
                return tr;
              }));
              if (body.problem) $("dead-letters-note").textContent = body.problem;
            } catch (error) {
              // The next round tries again.
            }
          };
          const everyFewSeconds = () => { deadLetters(); setTimeout(everyFewSeconds, 5000); };
          $("redrive").addEventListener("click", async () => { tell(await admin("POST", "/api/notifier/admin/dlq/redrive")); deadLetters(); });
          $("rebuild").addEventListener("click", async () => {
            const started = await admin("POST", "/api/order-query/admin/rebuild");
            tell(started);
            if (!started.body.id) return;
            const line = document.createElement("p");
            line.setAttribute("role", "status");
            $("rebuilds").prepend(line);
            const follow = async () => {
              const now = await admin("GET", "/api/order-query/admin/rebuild/" + started.body.id);
              const r = now.body;
              line.textContent = r.id ? `Rebuild ${r.id} (generation ${r.generation}): ${r.status}, ${r.recordsRead} of ${r.recordsTotal ?? "?"} records, ${Math.round(r.eventsPerSecond)} events/s` + (r.error ? ", " + r.error : "") : "Rebuild: " + (r.detail || now.status);
              if (["building", "snapshot-building"].includes(r.status)) setTimeout(follow, 1000);
            };
            follow();
          });
          poll();
          everyFewSeconds();
        })();
        </script>
        </body>
        </html>
        """
}
