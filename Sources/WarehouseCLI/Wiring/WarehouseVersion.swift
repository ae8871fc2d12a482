/// `warehouse --version`.
enum WarehouseVersion {
    static let product = "0.14.0"
    static let text = "warehouse \(product)"
}
