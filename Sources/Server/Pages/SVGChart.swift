import Foundation

/// A chart drawn by the server as SVG: lines or bars over a numeric x axis (times), with
/// labelled axes and a grid. No script, so it renders anywhere, offline.
struct SVGChart {
    enum Kind { case line, bars }

    struct Series {
        let name: String
        let kind: Kind
        /// A CSS colour, e.g. `var(--series1)`.
        let color: String
        /// Points in x order; a nil y leaves a gap.
        let points: [(x: Double, y: Double?)]
    }

    var width = 900.0
    var height = 260.0
    var series: [Series]
    var yRange: ClosedRange<Double>?
    var xLabel: (Double) -> String
    var yLabel: (Double) -> String = { HTML.compact($0) }
    /// Horizontal reference lines (RSI 30 and 70).
    var guides: [Double] = []

    private let left = 64.0, right = 12.0, top = 10.0, bottom = 26.0

    func render(title: String) -> String {
        let all = series.flatMap { $0.points }
        let xs = all.map(\.x), ys = all.compactMap(\.y)
        guard let minX = xs.min(), let maxX = xs.max(), let minY0 = ys.min(), let maxY0 = ys.max() else {
            return "<p class=\"muted\">No data for \(HTML.escape(title)).</p>"
        }
        var (minY, maxY) = yRange.map { ($0.lowerBound, $0.upperBound) } ?? (min(minY0, series.contains { $0.kind == .bars } ? 0 : minY0), maxY0)
        if maxY == minY { maxY += 1; minY -= 1 }
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + (maxX == minX ? plotW / 2 : (x - minX) / (maxX - minX) * plotW) }
        func py(_ y: Double) -> Double { top + (1 - (y - minY) / (maxY - minY)) * plotH }
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\"><title>\(HTML.escape(title))</title>"
        for tick in Self.ticks(minY, maxY, count: 5) {
            let y = py(tick)
            svg += "<line class=\"grid\" x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y))\" y2=\"\(f(y))\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(HTML.escape(yLabel(tick)))</text>"
        }
        for guide in guides where guide >= minY && guide <= maxY {
            svg += "<line class=\"axis\" x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(py(guide)))\" y2=\"\(f(py(guide)))\" stroke-dasharray=\"5 4\"/>"
        }
        let xTicks = 6
        for i in 0...xTicks {
            let x = minX + (maxX - minX) * Double(i) / Double(xTicks)
            svg += "<text x=\"\(f(px(x)))\" y=\"\(f(height - 8))\" text-anchor=\"\(i == 0 ? "start" : i == xTicks ? "end" : "middle")\">\(HTML.escape(xLabel(x)))</text>"
        }
        svg += "<line class=\"axis\" x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH))\"/>"
        for series in series {
            switch series.kind {
            case .bars:
                let barWidth = max(1, plotW / Double(max(series.points.count, 1)) * 0.7)
                for point in series.points {
                    guard let y = point.y else { continue }
                    let top = py(max(y, minY)), base = py(max(minY, 0))
                    svg += "<rect x=\"\(f(px(point.x) - barWidth / 2))\" y=\"\(f(min(top, base)))\" width=\"\(f(barWidth))\" height=\"\(f(abs(base - top)))\" fill=\"\(series.color)\" opacity=\".55\"/>"
                }
            case .line:
                var path = ""
                var drawing = false
                for point in series.points {
                    guard let y = point.y else { drawing = false; continue }
                    path += (drawing ? "L" : "M") + "\(f(px(point.x))),\(f(py(y)))"
                    drawing = true
                }
                svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(series.color)\" stroke-width=\"1.6\" data-series=\"\(HTML.escape(series.name))\"/>"
            }
        }
        svg += "</svg>"
        let legend = series.map { "<span><i style=\"background:\($0.color)\"></i>\(HTML.escape($0.name))</span>" }.joined()
        return "<figure class=\"chart\"><figcaption class=\"legend\">\(legend)</figcaption>\(svg)</figure>"
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// About `count` round tick values covering [low, high].
    static func ticks(_ low: Double, _ high: Double, count: Int) -> [Double] {
        let raw = (high - low) / Double(max(count, 1))
        guard raw > 0, raw.isFinite else { return [low] }
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var tick = ceil(low / step) * step
        var ticks: [Double] = []
        while tick <= high + step * 1e-9, ticks.count < 50 { ticks.append(tick); tick += step }
        return ticks
    }

    /// `Nov 23 14:00` for a window within days, `2026-11-23` beyond.
    static func timeLabel(spanSeconds: Double) -> (Double) -> String {
        { seconds in
            let formatter = DateFormatter()
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = spanSeconds <= 3 * 86_400 ? "MMM d HH:mm" : spanSeconds <= 400 * 86_400 ? "MMM d" : "yyyy-MM-dd"
            return formatter.string(from: Date(timeIntervalSince1970: seconds))
        }
    }
}
