import Foundation

extension KolmogorovDistribution {
    /// P(D_n <= d) by Pomeranz's recursion (1974): 2n + 1 convolution steps over rows of at
    /// most 2(floor(n d) + 1) entries, each step's powers of g/n, 2g/n or (1 - 2g)/n divided by m!.
    static func pomeranz(n: Int, _ d: Double) -> Double {
        let t = Double(n) * d
        let whole = Int(t.rounded(.down))
        let fraction = t - Double(whole)
        let g = min(fraction, 1 - fraction)
        let ceilFraction = fraction > 0 ? 1 : 0
        let roundFraction = fraction > 0.5 ? 1 : 0
        let width = 2 * (whole + 1)
        func powers(_ base: Double) -> [Double] {
            var result = [Double](repeating: 1, count: width)
            for m in 1..<width { result[m] = result[m - 1] * base / Double(m) }
            return result
        }
        let gPowers = powers(g / Double(n)), twoGPowers = powers(2 * g / Double(n)), restPowers = powers((1 - 2 * g) / Double(n))

        func bounds(_ i: Int) -> (Int, Int) {
            var j1: Int, j2: Int
            if i == 0 {
                (j1, j2) = (-whole - ceilFraction - 1, whole + ceilFraction - 1)
            } else {
                let half = (i + 1) / 2
                if (i + 1) % 2 == 0 {
                    if half == n + 1 {
                        (j1, j2) = (n - whole - ceilFraction - 1, n + whole + ceilFraction - 1)
                    } else {
                        (j1, j2) = (half - 1 - whole - roundFraction - 1, half + whole - 1 + ceilFraction - 1)
                    }
                } else {
                    (j1, j2) = (half - 1 - whole - 1, half + whole + roundFraction - 1)
                }
            }
            return (max(j1 + 2, 0), min(j2, n))
        }

        var previous = [Double](repeating: 0, count: width)
        var current = [Double](repeating: 0, count: width)
        current[0] = 1
        var previousStart = 0, currentStart = 0
        var exponent = 0
        var (j1, j2) = bounds(0)
        for i in 1..<(2 * n + 2) {
            let k1 = j1
            swap(&previous, &current)
            swap(&previousStart, &currentStart)
            for index in current.indices { current[index] = 0 }
            (j1, j2) = bounds(i)
            let stepPowers = i == 1 || i == 2 * n + 1 ? gPowers : (i % 2 == 1 ? twoGPowers : restPowers)
            let length = j2 - k1 + 1
            guard length > 0 else { continue }
            // Entries [j1 - k1, j2 - k1] of the full convolution of previous[k1...] with the powers.
            let offset = k1 - previousStart
            let sourceCount = min(length, width - offset), powerCount = min(length, width)
            for target in 0..<(j2 - j1 + 1) {
                let position = j1 - k1 + target
                var sum = 0.0
                var a = max(0, position - powerCount + 1)
                while a <= min(position, sourceCount - 1) {
                    sum += previous[offset + a] * stepPowers[position - a]
                    a += 1
                }
                current[target] = sum
            }
            if let largest = current.max(), largest > 0, largest < scaleDown {
                for index in current.indices { current[index] *= scaleUp }
                exponent -= 128
            }
            currentStart = previousStart + j1 - k1
        }
        var answer = current[n - currentStart]
        for m in 1...n {
            if abs(answer) > scaleUp {
                answer *= scaleDown
                exponent += 128
            }
            answer *= Double(m)
        }
        return clip(exponent == 0 ? answer : scalbn(answer, exponent))
    }
}
