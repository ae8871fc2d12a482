import Foundation

extension KolmogorovDistribution {
    /// P(D_n <= d) by Pelz and Good's (1976) expansion in 1/sqrt(n): K0 + K1/sqrt(n) + K2/n +
    /// K3/n^1.5 at z = d sqrt(n), each term in its Jacobi-theta form that converges for small z.
    /// scipy uses it for n > 140 where the exact methods are too slow; so do we, to agree with it.
    static func pelzGood(n: Int, _ d: Double) -> Double {
        if d <= 0 { return 0 }
        if d >= 1 { return 1 }
        let size = Double(n)
        let z = size.squareRoot() * d
        let z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2
        let logQ = -Double.pi * Double.pi / 8 / z2
        if logQ < -708 { return 0 }
        let q = exp(logQ)
        let pi2 = Double.pi * Double.pi, pi4 = pi2 * pi2, pi6 = pi4 * pi2
        let k1a = -z2, k1b = pi2 / 4
        let k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4, k2c = pi4 * (1 - 2 * z2) / 16
        let k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16
        let k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * pow(z, 8)

        var terms = [0.0, 0.0, 0.0, 0.0]
        let maxK = Int((16 * z / Double.pi).rounded(.up))
        for k in stride(from: maxK, through: 1, by: -1) {
            let m = Double(2 * k - 1)
            let m2 = m * m, m4 = m2 * m2, m6 = m4 * m2
            let qPower = pow(q, Double(8 * k))
            let coefficients = [1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6]
            for i in 0..<4 { terms[i] = terms[i] * qPower + coefficients[i] }
        }
        let scale = q * (2 * Double.pi).squareRoot()
        let divisors = [z, 6 * z4, 72 * pow(z, 7), 6480 * pow(z, 10)]
        for i in 0..<4 { terms[i] = terms[i] * scale / divisors[i] }

        let q2 = exp(-pi2 / 2 / z2)
        var extra2 = 0.0, extra3 = 0.0
        let sqrt3z = 3.0.squareRoot() * z
        for k in stride(from: maxK, through: 1, by: -1) {
            let k2 = Double(k * k)
            let weight = pow(q2, k2)
            let kpi = Double.pi * Double(k)
            extra2 += k2 * weight
            extra3 += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * weight
        }
        terms[2] += extra2 * pi2 * (2 * Double.pi).squareRoot() / (-36 * z3)
        terms[3] += extra3 * pi2 * (2 * Double.pi).squareRoot() / (216 * z6)
        return (0..<4).reduce(0.0) { $0 + terms[$1] / pow(size, Double($1) / 2) }
    }
}
