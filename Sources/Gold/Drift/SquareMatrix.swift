/// A dense square matrix of doubles, row-major, just enough for Durbin's matrix powers.
struct SquareMatrix {
    let order: Int
    private var storage: [Double]

    init(order: Int) {
        self.order = order
        storage = [Double](repeating: 0, count: order * order)
    }

    static func identity(order: Int) -> SquareMatrix {
        var matrix = SquareMatrix(order: order)
        for i in 0..<order { matrix[i, i] = 1 }
        return matrix
    }

    subscript(row: Int, column: Int) -> Double {
        get { storage[row * order + column] }
        set { storage[row * order + column] = newValue }
    }

    mutating func scale(by factor: Double) {
        for i in storage.indices { storage[i] *= factor }
    }

    static func * (lhs: SquareMatrix, rhs: SquareMatrix) -> SquareMatrix {
        let n = lhs.order
        var product = SquareMatrix(order: n)
        lhs.storage.withUnsafeBufferPointer { a in
            rhs.storage.withUnsafeBufferPointer { b in
                product.storage.withUnsafeMutableBufferPointer { c in
                    for i in 0..<n {
                        for k in 0..<n {
                            let aik = a[i * n + k]
                            if aik == 0 { continue }
                            for j in 0..<n { c[i * n + j] += aik * b[k * n + j] }
                        }
                    }
                }
            }
        }
        return product
    }
}
