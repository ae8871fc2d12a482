import Foundation

extension KolmogorovDistribution {
    /// P(D_n <= d) by Durbin's matrix method as Marsaglia, Tsang and Wang (2003) compute it:
    /// the (k, k) entry of H^n times n!/n^n, with H of order 2k - 1 for k = ceil(n d),
    /// rescaled by powers of two as the powers grow.
    static func durbin(n: Int, _ d: Double) -> Double {
        if d >= 1 { return 1 }
        let nd = Double(n) * d
        if nd <= 0.5 { return 0 }
        let k = Int(nd.rounded(.up))
        let h = Double(k) - nd
        let m = 2 * k - 1
        var v = (1...m).map { 1 - pow(h, Double($0)) }
        var w = [Double](repeating: 0, count: m)
        var factorial = 1.0
        for j in 1...m {
            w[j - 1] = factorial
            factorial /= Double(j)
            v[j - 1] *= factorial
        }
        let corner = pow(max(2 * h - 1, 0), Double(m)) - 2 * pow(h, Double(m))
        v[m - 1] = (1 + corner) * factorial
        var matrix = SquareMatrix(order: m)
        for column in 1..<m {
            for row in (column - 1)..<m { matrix[row, column] = w[row - column + 1] }
        }
        for row in 0..<m { matrix[row, 0] = v[row] }
        for column in 0..<m { matrix[m - 1, column] = v[m - 1 - column] }

        var power = SquareMatrix.identity(order: m)
        var remaining = n
        var exponent = 0, matrixExponent = 0
        while remaining > 0 {
            if remaining % 2 == 1 {
                power = power * matrix
                exponent += matrixExponent
            }
            matrix = matrix * matrix
            matrixExponent *= 2
            if abs(matrix[k - 1, k - 1]) > scaleUp {
                matrix.scale(by: scaleDown)
                matrixExponent += 128
            }
            remaining /= 2
        }
        var p = power[k - 1, k - 1]
        for i in 1...n {
            p = Double(i) * p / Double(n)
            if abs(p) < scaleDown {
                p *= scaleUp
                exponent -= 128
            }
        }
        return clip(exponent == 0 ? p : scalbn(p, exponent))
    }
}
