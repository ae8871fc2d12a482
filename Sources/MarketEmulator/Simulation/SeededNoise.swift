import Foundation

/// Counter-based randomness: every draw is a pure function of (seed, stream, index), so any
/// point of the simulation can be recomputed alone and every run sees the same market.
struct SeededNoise: Sendable {
    let seed: UInt64

    /// SplitMix64 finalizer over the combined counters.
    @inline(__always)
    func bits(_ stream: UInt64, _ index: UInt64) -> UInt64 {
        var z = seed &+ stream &* 0x9E37_79B9_7F4A_7C15 &+ index &* 0xD1B5_4A32_D192_ED03
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    @inline(__always)
    func uniform(_ stream: UInt64, _ index: UInt64) -> Double {
        Double(bits(stream, index) >> 11) * 0x1.0p-53
    }

    /// Standard normal (Box-Muller).
    @inline(__always)
    func normal(_ stream: UInt64, _ index: UInt64) -> Double {
        let u1 = max(uniform(stream, index &* 2), 1e-300)
        let u2 = uniform(stream, index &* 2 &+ 1)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
