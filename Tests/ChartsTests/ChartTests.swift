import Charts
import Foundation
import XCTest

/// Axis ticks, text layout, colours and the PNG encoder behind the report figures.
final class ChartTests: XCTestCase {
    func testTicksAreOneTwoOrFiveTimesAPowerOfTen() {
        let s = NiceScale(0.48, 0.87)
        XCTAssertEqual(s.step, 0.1, accuracy: 1e-12)
        XCTAssertEqual(s.ticks.map { s.label($0) }, ["0.4", "0.5", "0.6", "0.7", "0.8", "0.9"])
        XCTAssertEqual(NiceScale(0, 2600).ticks.map { NiceScale(0, 2600).label($0) }, ["0", "1000", "2000", "3000"])
        for raw in [0.0013, 0.7, 3.0, 42.0, 9e6] {
            let step = NiceScale.niceStep(raw), mantissa = step / pow(10, log10(step).rounded(.down))
            XCTAssertTrue([1, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "\(raw) → \(step)")
            XCTAssertGreaterThanOrEqual(step, raw * (1 - 1e-9))
        }
    }

    func testBoundedQuantitiesStayInTheirBounds() {
        let s = NiceScale(0.31, 0.999, bounds: 0...1)
        XCTAssertLessThanOrEqual(s.high, 1)
        XCTAssertGreaterThanOrEqual(s.low, 0)
        XCTAssertLessThanOrEqual(s.ticks.max()!, 1)
        let figure = Chart.line(
            name: "a", title: "Accuracy", x: "step", y: "accuracy",
            series: [Series(name: "s", points: [(1, 0.5), (2, 1.0)], spread: [(1, 0.4, 0.6), (2, 0.95, 1.0)])],
            yBounds: 0...1)
        // The y tick labels are the right-aligned texts.
        let yTicks = figure.svg.components(separatedBy: "text-anchor=\"end\">").dropFirst()
            .compactMap { Double($0.prefix { $0 != "<" }) }
        XCTAssertFalse(yTicks.isEmpty)
        XCTAssertLessThanOrEqual(yTicks.max()!, 1, "an accuracy tick above 1")
    }

    func testLogarithmicTicksAreDecades() {
        let s = NiceScale(logarithmic: 1, 256)
        XCTAssertEqual(s.ticks.map { s.label($0) }, ["10⁰", "10¹", "10²", "10³"])
    }

    func testWrappingKeepsEveryCharacterWithinTheWidth() {
        let text = "model.hidden=[64] activation=gelu_erf task={\"kind\":\"rule_of_thumb\"} averyveryverylongwordindeed"
        let lines = TextLayout.wrap(text, width: 120, size: 11)
        XCTAssertGreaterThan(lines.count, 1)
        XCTAssertTrue(lines.allSatisfy { TextLayout.width($0, size: 11) <= 120 + 11 * 0.62 })
        XCTAssertEqual(lines.joined().filter { $0 != " " }, text.filter { $0 != " " })
    }

    func testEachTaskKeepsItsColour() {
        XCTAssertEqual(Palette.color(for: "pure", index: 3), Palette.tasks["pure"])
        XCTAssertEqual(Palette.color(for: "task=pure model.hidden=[8]", index: 0), Palette.tasks["pure"])
        XCTAssertEqual(Palette.color(for: #"task={"kind":"generalising"}"#, index: 1), Palette.tasks["generalising"])
        XCTAssertEqual(Palette.diverging(0).0, Palette.diverging(0).2, "white at 0")
        XCTAssertGreaterThan(Palette.diverging(1).0, Palette.diverging(1).2, "red for positive")
    }

    func testPNGChecksumsAndHeader() {
        XCTAssertEqual(PNG.adler32(Array("Wikipedia".utf8)), 0x11E6_0398)
        XCTAssertEqual(PNG.crc32(Array("IEND".utf8)), 0xAE42_6082)
        let png = [UInt8](PNG.encode(width: 3, height: 2, rgb: [UInt8](repeating: 200, count: 18)))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        XCTAssertEqual(Array(png[16..<24]), [0, 0, 0, 3, 0, 0, 0, 2], "IHDR width 3, height 2")
    }

    func testHeatmapsKeepFullResolutionUpTo256() {
        let panel = HeatmapPanel(
            title: "t", values: (0..<(200 * 150)).map { Double($0 % 7) - 3 }, rows: 200, cols: 150, scale: .diverging,
            unit: "activation")
        let (w, h, _) = panel.raster()
        XCTAssertEqual([w, h], [150, 200])
        let big = HeatmapPanel(
            title: "t", values: [Double](repeating: 1, count: 1000 * 600), rows: 1000, cols: 600, scale: .diverging,
            unit: "activation")
        let (bw, bh, _) = big.raster()
        XCTAssertLessThanOrEqual(max(bw, bh), 256)
    }
}
