import Mustache

/// What every console page shares: the head with the one style sheet (inline: no CDN, works
/// offline) and the header with the navigation. Pages include it as the partials `head` and
/// `header`, with `title`, `heading` and one of `navLog`, `navSystem`, `navTry` set.
enum PageLayout {
    /// A library with the layout's partials and `templates` registered under their names.
    /// The templates are fixed text of our own: they parse, or no test of the pages passes.
    static func library(_ templates: [String: String]) -> MustacheLibrary {
        var library = MustacheLibrary()
        try! library.register(head, named: "head")
        try! library.register(header, named: "header")
        for (name, template) in templates { try! library.register(template, named: name) }
        return library
    }

    /// The navigation's flags: which page is the current one.
    static func navigation(_ current: Page) -> [String: Any] {
        ["navLog": current == .log, "navSystem": current == .system, "navTry": current == .tryIt]
    }

    enum Page { case log, order, system, tryIt, signIn }

    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · orders console</title>
        <style>
        :root { color-scheme: light; --ink: #1a1a1a; --muted: #545454; --line: #d0d0d0; --accent: #0b57d0; --void-bg: #f4f4f4; --ok: #146c2e; --now: #e8f0fe; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
        header { padding: 0.75rem 1rem; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: baseline; }
        header h1 { font-size: 1.2rem; margin: 0; }
        nav a { color: var(--accent); margin-right: 1rem; }
        nav a[aria-current] { font-weight: 700; color: var(--ink); }
        main { padding: 1rem; }
        h2 { font-size: 1.05rem; margin: 1.25rem 0 0.5rem; }
        section { margin-bottom: 1rem; }
        form { display: flex; flex-wrap: wrap; gap: 0.75rem 1rem; align-items: flex-end; margin-bottom: 0.75rem; }
        label { display: flex; flex-direction: column; font-size: 0.85rem; color: var(--muted); gap: 0.2rem; }
        input, select, button { font: inherit; padding: 0.3rem 0.5rem; border: 1px solid #767676; border-radius: 4px; background: #fff; color: var(--ink); }
        input[type=range] { padding: 0; width: min(100%, 28rem); }
        button { cursor: pointer; background: var(--accent); color: #fff; border-color: var(--accent); }
        button.secondary { background: #fff; color: var(--accent); }
        .problem { border: 1px solid #b3261e; color: #8c1d18; background: #fdecea; padding: 0.5rem 0.75rem; border-radius: 4px; }
        .note { color: var(--muted); }
        .bar { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; margin: 0.5rem 0; }
        #status { font-weight: 600; }
        .scroll { overflow-x: auto; }
        .columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(17rem, 1fr)); gap: 1rem; }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
        caption { text-align: left; color: var(--muted); padding-bottom: 0.25rem; }
        th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--line); white-space: nowrap; }
        th { font-size: 0.85rem; color: var(--muted); }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0; }
        dt { color: var(--muted); }
        dd { margin: 0; }
        tr.void td { background: var(--void-bg); color: var(--muted); }
        tr.now td { background: var(--now); }
        td.position, .mono { font-family: ui-monospace, monospace; }
        ol.lifecycle { list-style: none; display: flex; flex-wrap: wrap; gap: 0.4rem; padding: 0; margin: 0.5rem 0; }
        ol.lifecycle li { border: 2px solid var(--line); border-radius: 1rem; padding: 0.15rem 0.75rem; color: var(--muted); }
        ol.lifecycle li.done { border-color: var(--ok); color: var(--ok); }
        ol.lifecycle li[aria-current] { border-color: var(--accent); background: var(--accent); color: #fff; font-weight: 700; }
        svg.chart { width: 100%; max-width: 22rem; height: 4rem; border: 1px solid var(--line); border-radius: 4px; }
        svg.chart polyline { fill: none; stroke: var(--accent); stroke-width: 2; }
        pre { background: var(--void-bg); padding: 0.5rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
        @media (max-width: 600px) { th.optional, td.optional { display: none; } main { padding: 0.5rem; } }
        </style>
        </head>
        """

    static let header = """
        <body>
        <header>
        <h1>{{heading}}</h1>
        <nav aria-label="Console"><a href="/log"{{#navLog}} aria-current="page"{{/navLog}}>Log</a><a href="/system"{{#navSystem}} aria-current="page"{{/navSystem}}>System</a><a href="/try"{{#navTry}} aria-current="page"{{/navTry}}>Try it</a></nav>
        <form method="get" action="/orders" role="search"><label for="find-order">Order<input id="find-order" name="id" placeholder="order id" size="14" required></label><button type="submit" class="secondary">Open</button></form>
        </header>
        """
}
