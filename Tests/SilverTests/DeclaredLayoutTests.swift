import Foundation
@testable import Silver
import Warehouse
import WarehouseTestSupport
import XCTest

/// Each silver table is declared once (`TableLayout`): the DDL SQLite creates from it reads
/// back as the same layout, and the asset's column descriptions are the declaration's.
final class DeclaredLayoutTests: XCTestCase {
    private let layouts: [TableLayout] = [
        CoinMarketsBuilder.layout, CoinPricesBuilder.layout, CoinOHLCBuilder.layout, DefiLlamaBuilders.chainTVLLayout,
        DefiLlamaBuilders.protocolTVLLayout, DefiLlamaBuilders.dexVolumeLayout, SocialMetricsBuilder.layout,
        YahooBuilders.stockPricesLayout, YahooBuilders.fxRatesLayout, ExchangeTicksBuilder.layout, ExchangeConnectionsBuilder.layout, ExchangeGapsBuilder.layout,
        ExchangeOutliersBuilder.layout, AssetMapBuilder.layout,
    ]

    /// What SQLite stores of a layout, without what it cannot hold (descriptions, defaults).
    private func stored(_ layout: TableLayout) -> TableLayout {
        TableLayout(layout.name, layout.columns.map { TableLayout.Column(name: $0.name, type: $0.type, notNull: $0.notNull || layout.primaryKey.contains($0.name)) },
                    primaryKey: layout.primaryKey, indexes: layout.indexes, withoutRowID: layout.withoutRowID)
    }

    func testTheDDLMadeFromEachDeclarationReadsBackAsIt() throws {
        let database = try Database(path: ":memory:")
        for layout in layouts {
            try database.execute(layout.createSQL(as: layout.name))
            for index in layout.indexSQL { try database.execute(index) }
            XCTAssertEqual(try TableLayout.read(layout.name, from: database), stored(layout), layout.name)
        }
    }

    func testEverySilverAssetDescribesTheColumnsItsTableHas() throws {
        let specs = Dictionary(uniqueKeysWithValues: SilverAssets.specs().map { ($0.key.name, $0) })
        XCTAssertEqual(Set(layouts.map(\.name)), Set(specs.keys), "every silver table is declared")
        for layout in layouts {
            let spec = try XCTUnwrap(specs[layout.name])
            XCTAssertEqual(spec.columns, layout.descriptions, layout.name)
            XCTAssertTrue(layout.columns.allSatisfy { !$0.description.isEmpty }, "\(layout.name): a column without a description")
        }
        // A derived column (with a default) is left to the builder's second pass, and raw_file_id to the loader.
        XCTAssertEqual(YahooBuilders.stockPricesLayout.filledColumns, ["ticker", "date", "open", "high", "low", "close", "adj_close", "volume", "currency"])
    }
}
