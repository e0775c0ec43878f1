import DecoyCore
import DecoyScenarios

/// Each patient's new columns rendered once as bytes (rows then copy them): SSN_full, SSN_last4, the
/// brand, and ",number,cvv,expiry". Fixed-size slots, so every core renders its own patients into
/// one flat buffer: four length bytes, then the four fields.
struct PatientSlots {
  static let size = 128
  private(set) var bytes: [UInt8] = []

  /// Renders every patient of `input` (specs/healthcare.md §4.4): reference values from CPython's
  /// Mersenne Twister in the pandas mode, safe SSN and card numbers in the clean mode; brand and
  /// expiry are the reference's draws in both.
  init(input: EnrichInput, hasher: KeyHasher, pandas: Bool, todayYear: Int, expiryFourDigitYear: Bool,
       ssn: SSNSource, cards: CardModel, threads: Int) {
    let pids = input.patientIDs
    let n = pids.count
    let brandUnits = hasher.units("brand", pids, nil)
    let months = hasher.h("exp_month", pids, nil)
    let aheads = hasher.h("exp_years_ahead", pids, nil)
    // Reference mode: the first outputs of both generators of every patient, sixteen seeds per vector.
    let (ssnOutputs, cardOutputs) = (16, 64)
    let mod = UInt64(1) << 63 - 1
    let ssnSeeds = pandas ? hasher.h("ssn", pids, nil).map { $0 % mod } : []
    let cardSeeds = pandas ? hasher.h("card", pids, nil).map { $0 % mod } : []
    let ssnStream = PatientSlots.outputs(ssnSeeds, ssnOutputs, threads: threads)
    let cardStream = PatientSlots.outputs(cardSeeds, cardOutputs, threads: threads)
    let brandIndex = Dictionary(uniqueKeysWithValues: cards.brands.enumerated().map { ($0.element.key, $0.offset) })
    let expiryFour = expiryFourDigitYear && !pandas
    bytes = ParallelMap.array(items: n, stride: PatientSlots.size, threads: threads) { range, out in
      var scratch: [UInt8] = []
      scratch.reserveCapacity(PatientSlots.size)
      for p in range {
        var profile: BreachPatientProfile
        if pandas {
          profile = ssnStream.withUnsafeBufferPointer { ss in
            cardStream.withUnsafeBufferPointer { cs in
              var ssnDraws = PythonRandomOutputs(UnsafeBufferPointer(rebasing: ss[(p * ssnOutputs)..<((p + 1) * ssnOutputs)]))
              var cardDraws = PythonRandomOutputs(UnsafeBufferPointer(rebasing: cs[(p * cardOutputs)..<((p + 1) * cardOutputs)]))
              if let r = BreachPatientProfile.reference(ssn: &ssnDraws, card: &cardDraws, brandUnit: brandUnits[p], month: months[p],
                                                        ahead: aheads[p], todayYear: todayYear) {
                return r
              }
              // Out of precomputed outputs (rejections are rare): the full generators.
              var ssnRNG = PythonRandom(seed: ssnSeeds[p]), cardRNG = PythonRandom(seed: cardSeeds[p])
              return BreachPatientProfile.reference(ssn: &ssnRNG, card: &cardRNG, brandUnit: brandUnits[p], month: months[p],
                                                    ahead: aheads[p], todayYear: todayYear)!
            }
          }
        } else {
          let brand = BreachPatientProfile.brand(Double(brandUnits[p]) / 1e12)
          let base = BreachPatientProfile(ssnArea: 0, ssnGroup: 0, ssnSerial: 0, brand: brand, cardDigits: [], cvv: "",
            expiryMonth: Int(months[p] % 12) + 1, expiryYear: todayYear + Int(aheads[p] % 5) + 1)
          profile = BreachPatientProfile.clean(reference: base, entity: UInt64(bitPattern: pids[p]), ssn: ssn, cards: cards,
            brandIndex: brandIndex[brand] ?? 0)
        }
        PatientSlots.render(profile, pandas: pandas, expiryFour: expiryFour, into: &scratch)
        let slot = out.baseAddress! + (p - range.lowerBound) * PatientSlots.size
        scratch.withUnsafeBufferPointer { slot.initialize(from: $0.baseAddress!, count: $0.count) }
        (slot + scratch.count).initialize(repeating: 0, count: PatientSlots.size - scratch.count)
      }
    }
  }

  /// One slot: the four field lengths, then the fields.
  static func render(_ profile: BreachPatientProfile, pandas: Bool, expiryFour: Bool, into slot: inout [UInt8]) {
    slot.removeAll(keepingCapacity: true)
    slot.append(contentsOf: [0, 0, 0, 0])
    var mark = slot.count
    func close(_ field: Int) {
      slot[field] = UInt8(slot.count - mark)
      mark = slot.count
    }
    profile.appendSSNFull(to: &slot)
    close(0)
    profile.appendSSNLast4(to: &slot)
    close(1)
    slot.append(contentsOf: profile.brand.utf8)
    close(2)
    slot.append(44)
    profile.appendCardNumber(to: &slot)
    slot.append(44)
    slot.append(contentsOf: profile.cvv.utf8)
    if pandas { slot.append(contentsOf: ".0".utf8) }
    slot.append(44)
    ValueFormatter.appendPadded(Int64(profile.expiryMonth), width: 2, to: &slot)
    slot.append(UInt8(ascii: "/"))
    ValueFormatter.appendPadded(Int64(expiryFour ? profile.expiryYear : profile.expiryYear % 100), width: expiryFour ? 4 : 2, to: &slot)
    close(3)
    precondition(slot.count <= size, "patient slot overflow")
  }

  /// `PythonRandom.firstOutputs` split over the cores.
  static func outputs(_ seeds: [UInt64], _ k: Int, threads: Int) -> [UInt32] {
    ParallelMap.array(items: seeds.count, stride: k, threads: threads, minimumSlice: 1_024) { r, out in
      seeds.withUnsafeBufferPointer { PythonRandom.firstOutputs(seeds: UnsafeBufferPointer(rebasing: $0[r]), outputs: k, into: out) }
    }
  }

  /// Patient `p`'s four fields in `slots` (``bytes``).
  @inline(__always)
  static func fields(_ slots: UnsafeBufferPointer<UInt8>, _ p: Int) -> (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>,
                                                                        UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) {
    let base = p * size
    let l0 = Int(slots[base]), l1 = Int(slots[base + 1]), l2 = Int(slots[base + 2]), l3 = Int(slots[base + 3])
    var a = base + 4
    func take(_ l: Int) -> UnsafeBufferPointer<UInt8> {
      defer { a += l }
      return UnsafeBufferPointer(rebasing: slots[a..<(a + l)])
    }
    return (take(l0), take(l1), take(l2), take(l3))
  }
}
