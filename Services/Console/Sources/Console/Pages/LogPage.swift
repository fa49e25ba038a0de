import Events
import Mustache

/// The live log page: a form for the filters, a status line, and a table the page's script
/// fills from the stream (`/log/events` with the same filters). Served as it is, with its
/// style and script inline: no CDN, no other fetch, so it works offline.
struct LogPage: Sendable {
    private let library: MustacheLibrary

    init() {
        library = PageLayout.library(["log": Self.template])
    }

    /// What the page shows; `streamPath` is `/log/events` with the filters' query.
    struct Context {
        var topic: String
        var partitionCount: Int32?
        var query: LiveLogQuery
        var fromText: String
        var streamPath: String
        var problem: String?
    }

    func render(_ context: Context) -> String {
        let partitions: [[String: Any]] = (0..<(context.partitionCount ?? 0)).map {
            ["number": "\($0)", "selected": context.query.partitions.contains($0)]
        }
        let types: [[String: Any]] = EventType.allCases.map {
            ["name": $0.rawValue, "selected": context.query.types.contains($0)]
        }
        var values: [String: Any] = [
            "title": "Live log · \(context.topic)",
            "heading": "Live log · \(context.topic)",
            "partitions": partitions,
            "types": types,
            "order": context.query.order ?? "",
            "from": context.fromText,
            "stream": context.streamPath,
            "problem": context.problem ?? false,
        ]
        values.merge(PageLayout.navigation(.log)) { $1 }
        return library.render(values, withTemplate: "log") ?? ""
    }

    static let template = """
        {{> head}}
        {{> header}}
        <main id="live-log" data-stream="{{stream}}">
        {{#problem}}<p class="problem" role="alert">{{problem}}</p>{{/problem}}
        <form method="get" action="/log">
        <label for="from">From<input id="from" name="from" value="{{from}}" placeholder="beginning, end, 42, @2026-12-07T10:00:00Z" size="24"></label>
        <label for="partition">Partition<select id="partition" name="partition"><option value="">every partition</option>{{#partitions}}<option value="{{number}}"{{#selected}} selected{{/selected}}>{{number}}</option>{{/partitions}}</select></label>
        <label for="order">Order<input id="order" name="order" value="{{order}}" placeholder="any order" size="16"></label>
        <label for="type">Event type<select id="type" name="type"><option value="">every type</option>{{#types}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/types}}</select></label>
        <button type="submit">Show</button>
        </form>
        <div class="bar">
        <span id="status" role="status" aria-live="polite">Connecting…</span>
        <span><span id="count">0</span> events received</span>
        <button type="button" id="pause" class="secondary" aria-pressed="false">Pause</button>
        </div>
        <div class="scroll">
        <table>
        <caption>Newest first; at most the last 1,000 events are kept on the page.</caption>
        <thead><tr><th scope="col">Position</th><th scope="col" class="optional">Time (UTC)</th><th scope="col">Order</th><th scope="col">Event</th><th scope="col">Version</th><th scope="col">Effect</th><th scope="col" class="optional">Actor</th></tr></thead>
        <tbody id="events"></tbody>
        </table>
        </div>
        </main>
        <script>
        (() => {
          const root = document.getElementById("live-log");
          const base = root.dataset.stream;
          const rows = document.getElementById("events");
          const status = document.getElementById("status");
          const count = document.getElementById("count");
          const pause = document.getElementById("pause");
          const maxRows = 1000;
          let pending = [];
          let received = 0;
          let lastId = null;
          let paused = false;
          let scheduled = false;
          let calmAfter = 0;
          let source = null;

          const say = (text) => { status.textContent = text; };
          const cell = (text, className) => {
            const td = document.createElement("td");
            td.textContent = text;
            if (className) td.className = className;
            return td;
          };
          const effect = (e) => e.inEffect ? "in effect" : (e.void ? "void: " + e.void : "unreadable: " + e.unreadable);
          const row = (e) => {
            const tr = document.createElement("tr");
            tr.dataset.position = e.partition + ":" + e.offset;
            tr.dataset.order = e.orderId || "";
            tr.dataset.effect = e.inEffect ? "in-effect" : (e.void ? "void" : "unreadable");
            if (!e.inEffect) tr.className = "void";
            tr.append(
              cell(e.partition + ":" + e.offset, "position"),
              cell(new Date(e.timestamp).toISOString().replace("T", " ").replace("Z", ""), "optional"),
              cell(e.orderId || "—"),
              cell(e.eventType || "?"),
              cell(e.version == null ? "?" : String(e.version)),
              cell(effect(e)),
              cell(e.actor || "—", "optional"));
            return tr;
          };
          // Rows are added in batches: at most once a frame while events trickle in (each shows
          // within a frame), at most ten times a second once a batch is large (thousands of
          // events a second cost a few DOM updates, not one per event). A hidden tab draws
          // none; what waits is capped below.
          const flush = () => {
            scheduled = false;
            count.textContent = received.toLocaleString("en");
            if (paused || pending.length === 0) return;
            if (pending.length > 100) calmAfter = performance.now() + 100;
            const batch = pending.length > maxRows ? pending.slice(-maxRows) : pending;
            pending = [];
            const fragment = document.createDocumentFragment();
            for (let i = batch.length - 1; i >= 0; i--) fragment.append(row(batch[i]));
            rows.prepend(fragment);
            while (rows.rows.length > maxRows) rows.deleteRow(-1);
          };
          const schedule = () => {
            if (scheduled) return;
            scheduled = true;
            const wait = calmAfter - performance.now();
            if (wait > 0) setTimeout(() => requestAnimationFrame(flush), wait); else requestAnimationFrame(flush);
          };

          const connect = () => {
            const url = lastId ? base + (base.includes("?") ? "&" : "?") + "after=" + encodeURIComponent(lastId) : base;
            source = new EventSource(url);
            say("Catching up…");
            source.addEventListener("log", (message) => {
              lastId = message.lastEventId;
              received++;
              pending.push(JSON.parse(message.data));
              if (pending.length > 2 * maxRows) pending = pending.slice(-maxRows);
              schedule();
            });
            source.addEventListener("caught-up", () => say("Live: new events appear as they are appended."));
            source.addEventListener("failure", (message) => say("The log cannot be read (" + JSON.parse(message.data).detail + "); reconnecting…"));
            source.onerror = () => {
              if (source.readyState === EventSource.CLOSED) {
                say("Disconnected; reconnecting…");
                setTimeout(connect, 2000);
              } else {
                say("Reconnecting…");
              }
            };
          };

          pause.addEventListener("click", () => {
            paused = !paused;
            pause.setAttribute("aria-pressed", String(paused));
            pause.textContent = paused ? "Resume" : "Pause";
            if (!paused) schedule();
          });
          connect();
        })();
        </script>
        </body>
        </html>
        """
}
