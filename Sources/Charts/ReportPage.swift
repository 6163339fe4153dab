import Foundation
import RunStore

/// A self-contained HTML page of figures (inline SVG, no scripts or network),
/// with each figure's Vega-Lite spec written to `figures/<name>.vl.json` and
/// the SVG itself to `figures/<name>.svg` (for embedding elsewhere).
public enum ReportPage {
    public static func write(title: String, intro: String, tables: [String] = [], figures: [Figure], to directory: URL)
        throws
    {
        let figureDirectory = directory.appendingPathComponent("figures")
        if FileManager.default.fileExists(atPath: figureDirectory.path) {
            try FileManager.default.removeItem(at: figureDirectory)
        }
        try FileManager.default.createDirectory(at: figureDirectory, withIntermediateDirectories: true)
        for f in figures {
            try AtomicFile.write(f.vegaLite, to: figureDirectory.appendingPathComponent("\(f.name).vl.json"))
            try AtomicFile.write(f.svg + "\n", to: figureDirectory.appendingPathComponent("\(f.name).svg"))
        }
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(Chart.escape(title))</title>
            <style>body{font-family:system-ui,sans-serif;margin:24px;max-width:1200px;color:#222}
            figure{display:inline-block;margin:8px;vertical-align:top}figcaption{font-size:12px;color:#555}
            table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}
            th{background:#f4f4f4}</style></head>
            <body data-figures="\(figures.count)"><h1>\(Chart.escape(title))</h1><p>\(intro)</p>
            """
        html += tables.joined()
        for f in figures {
            html +=
                "<figure id=\"\(f.name)\" class=\"figure\">\(f.svg)<figcaption>\(Chart.escape(f.title)) — "
                + "<a href=\"figures/\(f.name).vl.json\">Vega-Lite spec</a></figcaption></figure>"
        }
        html += "</body></html>\n"
        try AtomicFile.write(html, to: directory.appendingPathComponent("report.html"))
    }

    /// An HTML table of rows (first row is the header).
    public static func table(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var html = "<table><tr>" + header.map { "<th>\(Chart.escape($0))</th>" }.joined() + "</tr>"
        for row in rows.dropFirst() { html += "<tr>" + row.map { "<td>\(Chart.escape($0))</td>" }.joined() + "</tr>" }
        return html + "</table>"
    }
}
