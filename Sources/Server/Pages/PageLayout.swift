/// The frame of every dashboard page: navigation, the stylesheet (light and dark, from 360 px
/// phones to wide screens) and the page's content. Everything is inline: the dashboard needs
/// no CDN and no download, and works offline.
enum PageLayout {
    static let sections: [(path: String, title: String)] = [
        ("/", "Overview"), ("/assets", "Assets"), ("/runs", "Runs"), ("/markets", "Markets"), ("/exchanges", "Exchanges"), ("/quality", "Quality & drift"),
    ]

    /// Every page says it was written by the warehouse, so a file it did not write is never mistaken for one.
    static let generator = "medallion-warehouse"

    /// - Parameter sections: the navigation (the dashboard's by default; the static docs site has its own).
    static func page(title: String, active: String, root: String, body: String, sections: [(path: String, title: String)] = sections) -> String {
        let navigation = sections.map { section in
            "<a href=\"\(section.path)\"\(section.path == active ? " class=\"active\" aria-current=\"page\"" : "")>\(section.title)</a>"
        }.joined()
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="generator" content="\(generator)">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · warehouse</title>
            <style>\(stylesheet)</style>
            </head>
            <body>
            <header><span class="brand">warehouse</span><nav>\(navigation)</nav><span class="root" title="warehouse root">\(HTML.escape(root))</span></header>
            <main>
            <h1>\(HTML.escape(title))</h1>
            \(body)
            </main>
            </body>
            </html>
            """
    }

    static let stylesheet = """
        :root { --bg: #ffffff; --fg: #1d2330; --muted: #5c6678; --line: #dde2ea; --card: #f6f8fb; --accent: #2563eb;
                --good: #15803d; --warn: #b45309; --bad: #b91c1c; --bronze: #a16207; --silver: #64748b; --gold: #ca8a04;
                --series1: #2563eb; --series2: #db2777; --series3: #16a34a; --series4: #9333ea; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #0f1420; --fg: #e6e9ef; --muted: #9aa3b2; --line: #283042; --card: #161c2b; --accent: #60a5fa;
                  --good: #4ade80; --warn: #fbbf24; --bad: #f87171; --series1: #60a5fa; --series2: #f472b6; --series3: #4ade80; --series4: #c084fc; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--fg); }
        header { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px; padding: 10px 20px; border-bottom: 1px solid var(--line); }
        .brand { font-weight: 700; letter-spacing: .02em; }
        nav { display: flex; flex-wrap: wrap; gap: 2px 4px; }
        nav a { color: var(--muted); text-decoration: none; padding: 4px 8px; border-radius: 6px; }
        nav a.active, nav a:hover { color: var(--fg); background: var(--card); }
        .root { margin-left: auto; color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
        main { padding: 16px 20px 40px; max-width: 1400px; margin: 0 auto; }
        h1 { font-size: 22px; margin: 4px 0 16px; } h2 { font-size: 17px; margin: 24px 0 8px; }
        a { color: var(--accent); }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 12px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
        .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
        .card .value { font-size: 22px; font-weight: 600; margin-top: 2px; overflow-wrap: anywhere; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 14px; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
        th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        th a { color: inherit; text-decoration: none; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; }
        .badge.good { color: var(--good); } .badge.warn { color: var(--warn); } .badge.bad { color: var(--bad); } .badge.neutral { color: var(--muted); }
        .muted { color: var(--muted); }
        svg { max-width: 100%; height: auto; display: block; }
        svg text { fill: var(--muted); font: 11px system-ui, sans-serif; }
        svg .axis { stroke: var(--line); } svg .grid { stroke: var(--line); stroke-dasharray: 2 3; }
        svg .node rect { stroke-width: 1.5; } svg .node text { fill: var(--fg); font-size: 11px; }
        svg .edge { stroke: var(--muted); fill: none; opacity: .55; }
        form.inline { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
        input, select, button { font: inherit; padding: 6px 10px; border-radius: 6px; border: 1px solid var(--line); background: var(--bg); color: var(--fg); }
        button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
        .tabs a { margin-right: 10px; } .tabs a.active { font-weight: 700; color: var(--fg); text-decoration: none; }
        .legend span { margin-right: 14px; white-space: nowrap; } .legend i { display: inline-block; width: 12px; height: 3px; vertical-align: middle; margin-right: 4px; }
        .split { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 20px; }
        figure.chart { margin: 8px 0 16px; overflow-x: auto; }
        @media (max-width: 800px) { .split { grid-template-columns: 1fr; } main { padding: 12px; } .card .value { font-size: 18px; }
                                    figure.chart svg, .scroll svg { min-width: 640px; } }
        """
}
