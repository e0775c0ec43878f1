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
  /// expiry are the reference's draws in both. The clean mode renders only what `shows` can show
  /// (a full SSN for the patients who have one, the last four unless blank, brand, card and expiry
  /// for the card patients): every value is a function of its patient alone, so the others need
  /// not be drawn. The pandas mode draws everything, as the reference does.
  init(
    input: EnrichInput, shows: EnrichSelections, hasher: KeyHasher, pandas: Bool, todayYear: Int,
    expiryFourDigitYear: Bool,
    ssn: SSNSource, cards: CardModel, threads: Int
  ) {
    let pids = input.patientIDs
    let n = pids.count
    // Brand and expiry are hashed for the patients whose card shows (all of them in the pandas mode).
    let drawn = pandas ? [] : (0..<n).filter { shows.cardPatients[$0] }
    let drawnIDs = pandas ? pids : drawn.map { pids[$0] }
    func perPatient(_ v: [UInt64]) -> [UInt64] {
      if pandas { return v }
      var all = [UInt64](repeating: 0, count: n)
      for (j, p) in drawn.enumerated() { all[p] = v[j] }
      return all
    }
    let brandUnits = perPatient(hasher.units("brand", drawnIDs, nil))
    let months = perPatient(hasher.h("exp_month", drawnIDs, nil))
    let aheads = perPatient(hasher.h("exp_years_ahead", drawnIDs, nil))
    // Reference mode: the first outputs of both generators of every patient, sixteen seeds per vector.
    let (ssnOutputs, cardOutputs) = (16, 64)
    let mod = UInt64(1) << 63 - 1
    let ssnSeeds = pandas ? hasher.h("ssn", pids, nil).map { $0 % mod } : []
    let cardSeeds = pandas ? hasher.h("card", pids, nil).map { $0 % mod } : []
    let ssnStream = PatientSlots.outputs(ssnSeeds, ssnOutputs, threads: threads)
    let cardStream = PatientSlots.outputs(cardSeeds, cardOutputs, threads: threads)
    // The card model's index of each reference brand.
    let cardBrand = BreachPatientProfile.brands.map { key in cards.brands.firstIndex { $0.key == key } ?? 0 }
    let expiryFour = expiryFourDigitYear && !pandas
    bytes = ParallelMap.array(items: n, stride: PatientSlots.size, threads: threads) { range, out in
      var scratch: [UInt8] = []
      var digits: [UInt8] = []
      scratch.reserveCapacity(PatientSlots.size)
      digits.reserveCapacity(32)
      for p in range {
        if pandas {
          let profile = ssnStream.withUnsafeBufferPointer { ss in
            cardStream.withUnsafeBufferPointer { cs in
              var ssnDraws = PythonRandomOutputs(
                UnsafeBufferPointer(rebasing: ss[(p * ssnOutputs)..<((p + 1) * ssnOutputs)]))
              var cardDraws = PythonRandomOutputs(
                UnsafeBufferPointer(rebasing: cs[(p * cardOutputs)..<((p + 1) * cardOutputs)]))
              if let r = BreachPatientProfile.reference(
                ssn: &ssnDraws, card: &cardDraws, brandUnit: brandUnits[p], month: months[p],
                ahead: aheads[p], todayYear: todayYear)
              {
                return r
              }
              // Out of precomputed outputs (rejections are rare): the full generators.
              var ssnRNG = PythonRandom(seed: ssnSeeds[p])
              var cardRNG = PythonRandom(seed: cardSeeds[p])
              return BreachPatientProfile.reference(
                ssn: &ssnRNG, card: &cardRNG, brandUnit: brandUnits[p], month: months[p],
                ahead: aheads[p], todayYear: todayYear)!
            }
          }
          PatientSlots.render(
            ssn: (profile.ssnArea, profile.ssnGroup, profile.ssnSerial), brand: profile.brand,
            expiry: (profile.expiryMonth, profile.expiryYear), expiryFour: false, into: &scratch
          ) { slot in
            profile.appendCardNumber(to: &slot)
            slot.append(44)
            slot.append(contentsOf: profile.cvv.utf8)
            slot.append(contentsOf: ".0".utf8)
          }
        } else {
          // Clean values (specs/identifiers.md): SSN and card number at the policy's levels, a CVV
          // of the brand's length; brand and expiry as the reference draws them.
          let (full, last4, card) = (shows.full[p], !shows.blank[p], shows.cardPatients[p])
          let b = BreachPatientProfile.brandOrdinal(Double(brandUnits[p]) / 1e12)
          let entity = UInt64(bitPattern: pids[p])
          PatientSlots.render(
            ssn: full || last4 ? ssn.draw(entity) : (0, 0, 0), full: full, last4: last4,
            brand: card ? BreachPatientProfile.brands[b] : nil,
            expiry: (Int(months[p] % 12) + 1, todayYear + Int(aheads[p] % 5) + 1), expiryFour: expiryFour,
            into: &scratch
          ) { slot in
            digits.removeAll(keepingCapacity: true)
            cards.appendNumber(brand: cardBrand[b], entity, to: &digits)
            BreachPatientProfile.appendGrouped(digits, to: &slot)
            slot.append(44)
            cards.appendCVV(brand: cardBrand[b], entity, to: &slot)
          }
        }
        let slot = out.baseAddress! + (p - range.lowerBound) * PatientSlots.size
        scratch.withUnsafeBufferPointer { slot.initialize(from: $0.baseAddress!, count: $0.count) }
        (slot + scratch.count).initialize(repeating: 0, count: PatientSlots.size - scratch.count)
      }
    }
  }

  /// One slot: the four field lengths, then SSN_full (when `full`), SSN_last4 (when `last4`), the
  /// brand, and ",number,cvv,expiry" (`card` appends "number,cvv"); the last two only with a brand.
  /// A field not rendered is empty.
  static func render(
    ssn: (area: Int, group: Int, serial: Int), full: Bool = true, last4: Bool = true, brand: String?,
    expiry: (month: Int, year: Int), expiryFour: Bool, into slot: inout [UInt8], card: (inout [UInt8]) -> Void
  ) {
    slot.removeAll(keepingCapacity: true)
    for _ in 0..<4 { slot.append(0) }
    var mark = slot.count
    func close(_ field: Int) {
      slot[field] = UInt8(slot.count - mark)
      mark = slot.count
    }
    if full { BreachPatientProfile.appendSSNFull(ssn.area, ssn.group, ssn.serial, to: &slot) }
    close(0)
    if last4 { BreachPatientProfile.appendSSNLast4(ssn.serial, to: &slot) }
    close(1)
    guard let brand else {
      close(2)
      close(3)
      return
    }
    slot.append(contentsOf: brand.utf8)
    close(2)
    slot.append(44)
    card(&slot)
    slot.append(44)
    ValueFormatter.appendPadded(Int64(expiry.month), width: 2, to: &slot)
    slot.append(UInt8(ascii: "/"))
    ValueFormatter.appendPadded(
      Int64(expiryFour ? expiry.year : expiry.year % 100), width: expiryFour ? 4 : 2, to: &slot)
    close(3)
    precondition(slot.count <= size, "patient slot overflow")
  }

  /// `PythonRandom.firstOutputs` split over the cores.
  static func outputs(_ seeds: [UInt64], _ k: Int, threads: Int) -> [UInt32] {
    ParallelMap.array(items: seeds.count, stride: k, threads: threads, minimumSlice: 1_024) { r, out in
      seeds.withUnsafeBufferPointer {
        PythonRandom.firstOutputs(seeds: UnsafeBufferPointer(rebasing: $0[r]), outputs: k, into: out)
      }
    }
  }

  /// Patient `p`'s four fields in `slots` (``bytes``).
  @inline(__always)
  static func fields(_ slots: UnsafeBufferPointer<UInt8>, _ p: Int) -> (
    UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>,
    UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>
  ) {
    let base = p * size
    let l0 = Int(slots[base])
    let l1 = Int(slots[base + 1])
    let l2 = Int(slots[base + 2])
    let l3 = Int(slots[base + 3])
    var a = base + 4
    func take(_ l: Int) -> UnsafeBufferPointer<UInt8> {
      defer { a += l }
      return UnsafeBufferPointer(rebasing: slots[a..<(a + l)])
    }
    return (take(l0), take(l1), take(l2), take(l3))
  }
}
