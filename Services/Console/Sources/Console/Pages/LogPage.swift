import Events
import Mustache

/// The live log page: a form for the filters, a status line, and a table the page's script
/// fills from the stream (`/log/events` with the same filters). Served as it is, with its
/// style and script inline: no CDN, no other fetch, so it works offline.
struct LogPage: Sendable {
    private let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        // A fixed template of our own: it parses, or no test of the page would pass.
        try! library.register(Self.template, named: "log")
        self.library = library
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
        let values: [String: Any] = [
            "topic": context.topic,
            "partitions": partitions,
            "types": types,
            "order": context.query.order ?? "",
            "from": context.fromText,
            "stream": context.streamPath,
            "problem": context.problem ?? false,
        ]
        return library.render(values, withTemplate: "log") ?? ""
    }

    static let template = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Live log · {{topic}} · orders console</title>
        <style>
        :root { color-scheme: light; --ink: #1a1a1a; --muted: #545454; --line: #d0d0d0; --accent: #0b57d0; --void-bg: #f4f4f4; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
        header { padding: 0.75rem 1rem; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: baseline; }
        header h1 { font-size: 1.2rem; margin: 0; }
        nav a { color: var(--accent); margin-right: 1rem; }
        main { padding: 1rem; }
        form { display: flex; flex-wrap: wrap; gap: 0.75rem 1rem; align-items: flex-end; margin-bottom: 0.75rem; }
        label { display: flex; flex-direction: column; font-size: 0.85rem; color: var(--muted); gap: 0.2rem; }
        input, select, button { font: inherit; padding: 0.3rem 0.5rem; border: 1px solid #767676; border-radius: 4px; background: #fff; color: var(--ink); }
        button { cursor: pointer; background: var(--accent); color: #fff; border-color: var(--accent); }
        button.secondary { background: #fff; color: var(--accent); }
        .problem { border: 1px solid #b3261e; color: #8c1d18; background: #fdecea; padding: 0.5rem 0.75rem; border-radius: 4px; }
        .bar { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; margin: 0.5rem 0; }
        #status { font-weight: 600; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
        caption { text-align: left; color: var(--muted); padding-bottom: 0.25rem; }
        th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--line); white-space: nowrap; }
        th { font-size: 0.85rem; color: var(--muted); }
        tr.void td { background: var(--void-bg); color: var(--muted); }
        td.position { font-family: ui-monospace, monospace; }
        @media (max-width: 600px) { th.optional, td.optional { display: none; } main { padding: 0.5rem; } }
        </style>
        </head>
        <body>
        <header>
        <h1>Live log <span aria-hidden="true">·</span> {{topic}}</h1>
        <nav aria-label="Console"><a href="/log" aria-current="page">Log</a></nav>
        </header>
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
          // Rows are added in batches, a few times a second, whatever the rate of events.
          const flush = () => {
            scheduled = false;
            count.textContent = received.toLocaleString("en");
            if (paused || pending.length === 0) return;
            const batch = pending.length > maxRows ? pending.slice(-maxRows) : pending;
            pending = [];
            const fragment = document.createDocumentFragment();
            for (let i = batch.length - 1; i >= 0; i--) fragment.append(row(batch[i]));
            rows.prepend(fragment);
            while (rows.rows.length > maxRows) rows.deleteRow(-1);
          };
          const schedule = () => { if (!scheduled) { scheduled = true; setTimeout(flush, 100); } };

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
