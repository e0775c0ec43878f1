import CDecoyKernels

extension PythonRandom {
  /// The first `outputs` 32-bit outputs (at most 227) of `random.Random(seed)` for every seed, computed
  /// sixteen seeds at a time in vector lanes by the C kernel; `result[k * outputs + j]` is output j
  /// of seed k. Tests check them against ``next32()``.
  public static func firstOutputs(seeds: [UInt64], outputs: Int) -> [UInt32] {
    [UInt32](unsafeUninitializedCapacity: seeds.count * outputs) { out, count in
      seeds.withUnsafeBufferPointer { firstOutputs(seeds: $0, outputs: outputs, into: out) }
      count = seeds.count * outputs
    }
  }

  /// The same into `out` (room for `seeds.count × outputs` values, which it initializes).
  public static func firstOutputs(
    seeds: UnsafeBufferPointer<UInt64>, outputs: Int, into out: UnsafeMutableBufferPointer<UInt32>
  ) {
    precondition((0...227).contains(outputs) && out.count >= seeds.count * outputs)
    decoy_mt19937_python_outputs(seeds.baseAddress, seeds.count, out.baseAddress, outputs)
  }
}

/// Draws of `random.randint` over a precomputed run of Mersenne Twister outputs; nil once the
/// run is used up (the caller then falls back to a full ``PythonRandom``).
public struct PythonRandomOutputs {
  private let outputs: UnsafeBufferPointer<UInt32>
  private var next = 0

  public init(_ outputs: UnsafeBufferPointer<UInt32>) { self.outputs = outputs }

  /// `randint(a, b)` as ``PythonRandom/randint(_:_:)`` draws it.
  public mutating func randint(_ a: Int, _ b: Int) -> Int? {
    let n = UInt32(b - a + 1)
    let k = 32 - n.leadingZeroBitCount
    while next < outputs.count {
      let r = outputs[next] >> UInt32(32 - k)
      next += 1
      if r < n { return a + Int(r) }
    }
    return nil
  }
}
