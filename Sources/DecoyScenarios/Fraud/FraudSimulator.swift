public import DecoyCore
import Foundation

/// The fraud scenario's per-user simulation (specs/fraud.md §4 with the rules of §6): each user's
/// transaction history is a pure function of (seed, user index), generated from the user's simulated
/// state — balance with salary credits and debits, link events, identity changes — so every column
/// agrees with the history. Fraud users get one of five typologies, a log-normal label delay and
/// evaluation metadata that never lets post-label information into training rows (§6.1).
public struct FraudSimulator: Sendable {
  /// The five typologies.
  public enum Typology: String, Sendable, CaseIterable {
    case liquidityCrunch = "liquidity_crunch"
    case linkBurst = "link_burst"
    case ato
    case bustOut = "bust_out"
    case sleeperATO = "sleeper_ato"
  }

  /// Run parameters.
  public struct Options: Sendable {
    public var users: UInt64 = 100
    public var fraudRate = 0.05
    /// Typology weights (equal shares by default).
    public var mix: [(Typology, Double)] = Typology.allCases.map { ($0, 1) }
    /// The simulation date: nothing happens after it.
    public var asOf: Int64 = GenerationContext.defaultToday.dayNumber * 86_400
    public var labelDelayMeanDays = 5.0
    public var labelDelaySigma = 0.8
    public var labelMaturityDays = 60.0
    /// Share of legitimate users per look-alike kind (8 %) with a benign episode that mimics a typology's
    /// signature (spec §6 fix 3): a low balance with a returned payment, an onboarding that links
    /// 5–15 banks in a day, a large off-hours purchase after an email or phone change, and a customer
    /// back after 30+ quiet days (small purchases and bank links within an hour, then a large
    /// off-hours purchase after a change). The four kinds take four bands, so at most 0.25.
    public var hardNegativeRate = 0.08
    /// The reference's `seed --legacy`: one transaction per user and only the three original
    /// typologies (see ``FraudSimulator/legacyHistory(_:)``).
    public var legacy = false
    /// Whether the dataset includes the device/IP/account graph tables.
    public var graph = true
    /// The `id` of the first record (and metadata row) is `idOffset + 1`: a load appended to
    /// tables that hold rows continues their numbering.
    public var idOffset: Int64 = 0
    public init() {}
  }

  /// One transaction with everything the tables show.
  public struct Record: Sendable {
    public var timestamp: Int64
    public var amountCents: Int64
    public var balanceCents: Int64
    public var avgBalance30dCents: Int64
    public var zScore: Double
    public var connections24h: Int
    public var connections7d: Int
    public var connectionsAvg30d: Double
    public var amountToAvgRatio: Double
    public var merchantRisk: Int
    public var isReturned: Bool
    public var emailChangedAt: Int64?
    public var phoneChangedAt: Int64?
    /// Ground truth: this row is the fraud event.
    public var isFraud: Bool
  }

  /// One user's history and label facts.
  public struct History: Sendable {
    public var typology: Typology?
    public var records: [Record]
    /// Index of the fraud record in `records`.
    public var fraudIndex: Int?
    public var confirmedAt: Int64?
    /// The label is known by the simulation date (confirmed at or before it).
    public var detected: Bool
    /// A legitimate user's benign episode that mimics a typology (a hard negative), if any.
    public var lookAlike: LookAlike? = nil
  }

  public let context: GenerationContext
  public let options: Options
  /// Share of ordinary purchases at high-risk merchants (score 45–94 instead of 5–44); the
  /// legitimate mean score stays in [15, 35] (specs/fraud.md G4).
  static let highRiskMerchantShare = 0.2
  /// Share of legitimate users with a benign email or phone change somewhere in their history.
  static let benignChangeShare = 0.2
  /// Share of ordinary purchases that are big-ticket ones.
  static let bigTicketShare = 0.05
  /// Users in fraud class order after a keyed shuffle: position → typology boundaries.
  let permutation: KeyedPermutation
  /// Cumulative user counts per typology (in `mix` order), by largest remainder.
  let boundaries: [UInt64]
  let stream: RandomStream

  public init(context: GenerationContext, options: Options) throws(DecoyError) {
    guard options.users >= 1 else { throw .usage("--users must be at least 1", hint: nil) }
    guard (0...1).contains(options.fraudRate) else {
      throw .usage("--fraud-rate must be between 0 and 1, got \(options.fraudRate)", hint: nil)
    }
    let nFraud = UInt64((Double(options.users) * options.fraudRate).rounded(.toNearestOrEven))
    // Legacy runs keep the reference's behaviour (1 or 10 users give 1 or 10 legitimate records).
    if options.fraudRate > 0 && nFraud == 0 && !options.legacy {
      let minimum = UInt64((0.5 / options.fraudRate).rounded(.up)) + 1
      throw .usage(
        "--fraud-rate \(options.fraudRate) of \(options.users) users gives no fraud user",
        hint: "use at least \(minimum) users, or --fraud-rate 0")
    }
    self.context = context
    var options = options
    if options.legacy { options.mix = [(.liquidityCrunch, 1), (.linkBurst, 1), (.ato, 1)] }
    self.options = options
    permutation = KeyedPermutation(n: options.users, stream: context.stream("fraud", "user-order"))
    stream = context.stream("fraud", "history")
    boundaries = FraudSimulator.largestRemainder(nFraud, options.mix.map(\.1))
  }

  /// Splits `n` by weights: floors, then the largest remainders (ties: first) get one more.
  public static func largestRemainder(_ n: UInt64, _ weights: [Double]) -> [UInt64] {
    let total = weights.reduce(0, +)
    guard total > 0 else { return weights.map { _ in 0 } }
    let exact = weights.map { Double(n) * $0 / total }
    var counts = exact.map { UInt64($0.rounded(.down)) }
    var left = Int(n - counts.reduce(0, +))
    let order = exact.indices.sorted {
      (exact[$0] - exact[$0].rounded(.down), -$0) > (exact[$1] - exact[$1].rounded(.down), -$1)
    }
    for i in order where left > 0 {
      counts[i] += 1
      left -= 1
    }
    var cumulative: [UInt64] = []
    var sum: UInt64 = 0
    for c in counts {
      sum += c
      cumulative.append(sum)
    }
    return cumulative
  }

  /// The user's typology (nil: legitimate).
  public func typology(_ u: UInt64) -> Typology? {
    let position = permutation.apply(u)
    guard let k = boundaries.firstIndex(where: { position < $0 }) else { return nil }
    return options.mix[k].0
  }

  /// What a timeline event is.
  enum Kind: Int {
    case ordinary = 0
    case burst = 1
    case fraud = 2
    case lookalikeCrunch = 3
    case lookalikeLinks = 4
    case lookalikeTakeover = 5
  }

  /// The benign episodes of hard negatives, one band of ``Options/hardNegativeRate`` each.
  public enum LookAlike: String, Sendable { case crunch, links, takeover, returning }

  /// Off-hours: 22:00–05:59.
  public static func isOffHours(_ ts: Int64) -> Bool {
    let hour = ((ts % 86_400) + 86_400) % 86_400 / 3_600
    return hour >= 22 || hour < 6
  }

  /// How many days the history covers: its first draw. Sleepers and bust-outs need a long lead-up
  /// (activity, dormancy or credit building).
  static func historyDays(_ t: Typology?, _ r: inout Draws) -> Int {
    t == .sleeperATO || t == .bustOut ? r.int(60...179) : r.int(30...179)
  }

  /// When the user's history starts (the account opening), without simulating it.
  public func historyStart(_ u: UInt64) -> Int64 {
    var r = Draws(s: stream, i: u)
    return options.asOf - Int64(FraudSimulator.historyDays(typology(u), &r)) * 86_400
  }

  /// How many transactions the user has (simulates the history: callers compute it once per user).
  public func count(_ u: UInt64) -> Int { history(u).records.count }

  /// The user's full history.
  public func history(_ u: UInt64) -> History {
    if options.legacy { return legacyHistory(u) }
    var r = Draws(s: stream, i: u)
    let typology = typology(u)
    let asOf = options.asOf
    let historyDays = FraudSimulator.historyDays(typology, &r)
    let start = asOf - Int64(historyDays) * 86_400
    let startDay = start / 86_400
    let lastDay = asOf / 86_400 - 1
    func dayTime(_ day: Int64, offHours: Bool, _ r: inout Draws) -> Int64 {
      let hour = offHours ? [22, 23, 0, 1, 2, 3, 4, 5][r.int(0...7)] : r.int(6...21)
      return day * 86_400 + Int64(hour * 3_600 + r.int(0...59) * 60 + r.int(0...59))
    }
    /// `n` ordinary transactions on days in `from...to` (day numbers), 6 % of them off-hours.
    func ordinary(_ n: Int, from: Int64, to: Int64, _ r: inout Draws) -> [(ts: Int64, kind: Kind)] {
      guard to >= from else { return [] }
      return (0..<n).map { _ in
        (dayTime(from + Int64(r.int(0...Int(to - from))), offHours: r.unit() < 0.06, &r), .ordinary)
      }
    }
    var events: [(ts: Int64, kind: Kind)] = []
    var linkEvents: [Int64] = []
    // Identity changes (time, email, phone); the columns show the last change before each row.
    var changes: [(ts: Int64, email: Bool, phone: Bool)] = []
    // No benign change after this instant (the takeover's own change must be the last one).
    var changesBefore = asOf
    // No ordinary link events here: the 24 hours of a link burst (keeps its count exact) and a
    // sleeper's dormancy. Nowhere else: a link-free week before every fraud gave the label away to
    // a linear model on the 24 h and 7 d counts.
    var quiet: ClosedRange<Int64>?
    var episode: LookAlike?
    /// A takeover's (or look-alike's) identity change 1–70 h before `ts`; benign changes stay a day clear of it.
    func takeoverChange(before ts: Int64) {
      let c = FraudSimulator.identityChange(before: ts, &r)
      let t = (c.email ?? c.phone)!
      changes.append((t, c.email != nil, c.phone != nil))
      changesBefore = t - 86_400
    }
    /// A return after dormancy, before the event at `ts`: `activity` ordinary transactions, then
    /// ≥ 30 quiet days, then a burst of 3 small transactions and link events within one hour,
    /// 1–20 h before `ts`.
    func returnAfterDormancy(before ts: Int64, activity: ClosedRange<Int>) {
      let burstStart = ts - Int64(r.int(3_600...(20 * 3_600))) - 3_600
      let dormantUntil = burstStart - (30 + Int64(r.int(1...10))) * 86_400
      events += ordinary(r.int(activity), from: startDay, to: dormantUntil / 86_400 - 1, &r)
      for k in 0..<3 {
        let b = burstStart + Int64(k * 1_200 + r.int(0...1_199))
        events.append((b, .burst))
        linkEvents.append(b - Int64(r.int(1...59)))
      }
      quiet = (dormantUntil - 86_400)...ts
    }
    if let t = typology {
      // The fraud day over the history (spec §6 fix 2, HEAD rule), leaving room for each typology's lead-up.
      let h = historyDays
      let minD = min(10, h / 4)
      let maxD = max(minD + 1, h - 5)
      var daysBefore = r.int(minD...(maxD - 1))
      if t == .liquidityCrunch { daysBefore = min(daysBefore, max(1, h - 30)) }
      if t == .sleeperATO { daysBefore = min(daysBefore, max(1, h - 50)) }
      if t == .bustOut { daysBefore = min(daysBefore, max(1, h - 40)) }
      let eventDay = lastDay - Int64(daysBefore) + 1
      let ts = dayTime(eventDay, offHours: t == .ato || t == .sleeperATO, &r)
      events.append((ts, .fraud))
      if t == .linkBurst { quiet = (ts - 86_400)...ts }
      let eventDayStart = eventDay
      switch t {
      case .liquidityCrunch, .linkBurst:
        events += ordinary(r.int(3...15), from: startDay, to: eventDayStart - 1, &r)
        if t == .linkBurst { for _ in 0..<r.int(5...15) { linkEvents.append(ts - Int64(r.int(60...(23 * 3_600)))) } }
      case .ato:
        events += ordinary(r.int(1...13), from: startDay, to: eventDayStart - 31, &r)
        // Recent activity to compare with.
        events += ordinary(2, from: max(startDay, eventDayStart - 25), to: eventDayStart - 1, &r)
      case .bustOut:
        events += ordinary(r.int(17...47), from: startDay, to: eventDayStart - 31, &r)
        events += ordinary(3, from: max(startDay, eventDayStart - 25), to: eventDayStart - 1, &r)
      case .sleeperATO:
        returnAfterDormancy(before: ts, activity: 3...9)
      }
      if t == .ato || t == .sleeperATO { takeoverChange(before: ts) }
      // Up to 3 ordinary transactions after the event, never after the as-of date.
      let after = ordinary(
        t == .bustOut || t == .sleeperATO ? 3 : r.int(0...3), from: eventDayStart + 1,
        to: min(lastDay, eventDayStart + 14), &r)
      events += after
    } else {
      // Hard negatives: one benign episode that looks like a typology's signature.
      let h = r.unit()
      let rate = options.hardNegativeRate
      episode =
        h < rate
        ? .crunch
        : h < 2 * rate
          ? .links
          : h < 3 * rate
            ? .takeover
            : h < 4 * rate && historyDays >= 60 ? .returning : nil
      if episode == .returning {
        // A customer back after a break, as a sleeper takeover looks: ≥ 30 quiet days, three small
        // purchases with bank links within an hour, then a large off-hours purchase 1–20 h later
        // after an email or phone change.
        let eventDay = lastDay - Int64(r.int(0...(historyDays - 50)))
        let ts = dayTime(eventDay, offHours: true, &r)
        returnAfterDormancy(before: ts, activity: 3...15)
        events.append((ts, .lookalikeTakeover))
        takeoverChange(before: ts)
        events += ordinary(r.int(0...3), from: eventDay + 1, to: min(lastDay, eventDay + 14), &r)
      } else {
        events += ordinary(r.int(3...15), from: startDay, to: lastDay, &r)
      }
      if let episode, episode != .returning {
        let kind: Kind =
          episode == .crunch ? .lookalikeCrunch : episode == .links ? .lookalikeLinks : .lookalikeTakeover
        let ts = dayTime(
          startDay + Int64(r.int(0...Int(max(0, lastDay - startDay)))), offHours: kind == .lookalikeTakeover, &r)
        events.append((ts, kind))
        if kind == .lookalikeLinks {
          for _ in 0..<r.int(5...15) { linkEvents.append(ts - Int64(r.int(60...(23 * 3_600)))) }
          quiet = (ts - 86_400)...ts
        }
        // Email, phone or both, as in a takeover (a phone change alone must not mean fraud).
        if kind == .lookalikeTakeover { takeoverChange(before: ts) }
      }
    }
    // Benign identity changes: a new email or phone for some users at any time of the history
    // (people move and switch providers), so a change on record is common among legitimate rows.
    if r.unit() < FraudSimulator.benignChangeShare {
      let t = start + Int64(r.unit() * Double(historyDays) * 86_400)
      let c = r.int(0...2)
      if t < changesBefore { changes.append((t, c != 1, c != 0)) }
    }
    changes.sort { $0.ts < $1.ts }
    // Ordinary bank links over the history, outside the typology windows.
    for _ in 0..<r.int(1...6) {
      let l = start + Int64(r.unit() * Double(historyDays) * 86_400)
      if !(quiet?.contains(l) ?? false) { linkEvents.append(l) }
    }
    events.sort { ($0.ts, $0.kind.rawValue) < ($1.ts, $1.kind.rawValue) }
    // Strictly increasing timestamps before the as-of instant; a colliding ordinary row is dropped.
    var cleaned: [(ts: Int64, kind: Kind)] = []
    for e in events where e.ts < asOf && e.ts >= start {
      if let last = cleaned.last, e.ts <= last.ts {
        if e.kind != .ordinary && last.kind == .ordinary { cleaned[cleaned.count - 1] = e }
        continue
      }
      cleaned.append(e)
    }
    linkEvents.sort()

    // Replay with state: balance (cents) with salary credits every 14 days, 30-day amounts and balances.
    var balance = Int64(r.int(2_000...12_000)) * 100
    let salary = Int64(r.int(1_200...3_500)) * 100
    var nextSalary = start + Int64(r.int(0...13)) * 86_400
    // Rent and bills leave the account outside this feed 1–10 days after each pay day: around the
    // user's level (85–105 % of pay), ±15 % per cycle. Balances then rise and fall with the pay
    // cycle and run low for some users, as real accounts do.
    // Users headed for a crunch (real or look-alike) have none, nor big-ticket purchases: their pay
    // builds up steadily until a large debit empties the account, so the crunch stands out from
    // the last 30 days (z < −2.5).
    let billLevel = r.uniform(0.85, 1.05)
    let paysBills = typology != .liquidityCrunch && episode != .crunch
    // They also start with at least two pay checks, so no pay day moves their balance by more than
    // a third and the crunch is always 2.5 standard deviations below the month before.
    if !paysBills { balance = max(balance, 2 * salary) }
    var nextBills = nextSalary + Int64(r.int(1...10)) * 86_400
    var dayEnd: [Int64] = []  // end-of-day balance of day startDay + k
    dayEnd.reserveCapacity(historyDays + 1)
    var window = [Int64](repeating: 0, count: 30)  // the 30 previous days' end balances, reused
    var amounts: [(ts: Int64, cents: Int64)] = []
    var recentStart = 0  // amounts before this index are more than 30 days older than the event
    var records: [Record] = []
    var fraudIndex: Int?
    var lastDayRecorded = startDay - 1
    func closeDays(through day: Int64) {
      while lastDayRecorded < day {
        lastDayRecorded += 1
        dayEnd.append(balance)
      }
    }
    var lastChange = 0  // changes before this index are at or before the current row
    var identity: (email: Int64?, phone: Int64?) = (nil, nil)
    for e in cleaned {
      while min(nextSalary, nextBills) <= e.ts {
        if nextSalary <= nextBills {
          closeDays(through: nextSalary / 86_400 - 1)
          balance += salary
          nextSalary += 14 * 86_400
        } else {
          closeDays(through: nextBills / 86_400 - 1)
          if paysBills { balance = max(0, balance - Int64(Double(salary) * billLevel * r.uniform(0.85, 1.15))) }
          nextBills += 14 * 86_400
        }
      }
      while lastChange < changes.count && changes[lastChange].ts < e.ts {
        if changes[lastChange].email { identity.email = changes[lastChange].ts }
        if changes[lastChange].phone { identity.phone = changes[lastChange].ts }
        lastChange += 1
      }
      closeDays(through: e.ts / 86_400 - 1)
      let day = e.ts / 86_400
      for k in 1...30 {
        let d = Int(day - startDay) - k  // days before the history have the current balance
        window[k - 1] = d >= 0 ? dayEnd[d] : balance
      }
      let mean = Double(window.reduce(0, +)) / 30
      // Amounts are in time order: the last 30 days are a suffix.
      while recentStart < amounts.count && amounts[recentStart].ts <= e.ts - 30 * 86_400 { recentStart += 1 }
      var recentSum: Int64 = 0
      for k in recentStart..<amounts.count { recentSum += amounts[k].cents }
      let recentCount = amounts.count - recentStart
      let meanAmount = recentCount == 0 ? nil : Double(recentSum) / Double(recentCount)
      let isFraud = e.kind == .fraud
      var cents: Int64
      var merchant: Int
      var returned = false
      if isFraud, let t = typology {
        switch t {
        case .liquidityCrunch:
          // The crunch: the account was nearly emptied just before (a large debit outside this feed).
          balance = Int64(r.int(500...9_500))
          cents = max(1, Int64(Double(balance) * r.uniform(0.3, 0.9)))
          merchant = r.int(15...49)
          returned = true
        case .linkBurst:
          cents = Int64(r.logNormal(mean: 75, sigma: 1) * 100)
          merchant = r.int(20...59)
        case .ato, .bustOut, .sleeperATO:
          let base = meanAmount ?? 75_00
          let factor = t == .ato ? r.uniform(5.5, 15) : 5.0 + r.uniform(0.5, 2.0)
          cents = Int64(base * factor)
          merchant = t == .ato ? r.int(40...84) : t == .bustOut ? r.int(50...84) : r.int(60...94)
          if cents > balance { balance += cents }  // a limit increase or deposit made the takeover possible
        }
      } else if e.kind == .burst {
        cents = Int64(r.uniform(10, 50) * 100)
        merchant = r.int(20...49)
      } else if e.kind == .lookalikeCrunch {
        balance = Int64(r.int(500...9_500))
        cents = max(1, Int64(Double(balance) * r.uniform(0.3, 0.9)))
        merchant = r.int(5...44)
        returned = true
      } else if e.kind == .lookalikeTakeover {
        cents = Int64((meanAmount ?? 75_00) * r.uniform(5.5, 15))
        merchant = r.int(40...94)
        if cents > balance { balance += cents }  // money moved in for a big purchase
      } else {
        cents = Int64(r.logNormal(mean: 75, sigma: 1) * 100)
        // Now and then a big-ticket purchase (a flight, a laptop, a repair): 5.5–15 times a typical
        // one (≈ 124.00, the log-normal's mean), as large as a takeover's. Not scaled on the user's
        // recent average, so big tickets do not compound.
        if r.unit() < FraudSimulator.bigTicketShare && paysBills { cents = Int64(r.uniform(5.5, 15) * 124_00) }
        // Ordinary customers also buy from high-risk merchants (travel, gambling, crypto,
        // electronics): without this tail the merchant score alone separates most takeovers
        // (a depth-3 tree reached ROC-AUC 0.986 on single rows; with it, well below 0.97).
        merchant = r.unit() < FraudSimulator.highRiskMerchantShare ? r.int(45...94) : r.int(5...44)
      }
      cents = min(max(cents, 1), 5_000_000)
      var debit = cents
      if cents > balance {
        // A debit that would overdraw bounces: it is shown as returned and nothing leaves the
        // account. A fraud is made possible by a deposit or limit increase first.
        if isFraud {
          balance += cents
        } else {
          returned = true
          debit = 0
        }
      }
      // Link events in (ts − w, ts]: linkEvents is sorted, so two binary searches per window.
      let upTo = FraudSimulator.countAtMost(linkEvents, e.ts)
      let window24 = upTo - FraudSimulator.countAtMost(linkEvents, e.ts - 86_400)
      let window7 = upTo - FraudSimulator.countAtMost(linkEvents, e.ts - 7 * 86_400)
      let window30 = upTo - FraudSimulator.countAtMost(linkEvents, e.ts - 30 * 86_400)
      // d * d, not pow(d, 2): the optimiser turns pow into a multiplication in release builds
      // only, and libm's pow can differ from it in the last bit (debug and release disagreed).
      let variance =
        window.reduce(0.0) { s, b in
          let d = Double(b) - mean
          return s + d * d
        } / 29
      let sd = variance.squareRoot()
      let z = sd > 0 ? (Double(balance) - mean) / sd : 0
      records.append(
        Record(
          timestamp: e.ts, amountCents: cents, balanceCents: balance, avgBalance30dCents: Int64(mean.rounded()),
          zScore: z, connections24h: window24, connections7d: window7, connectionsAvg30d: Double(window30) / 30,
          amountToAvgRatio: meanAmount.map { Double(cents) / $0 } ?? 1.0, merchantRisk: merchant, isReturned: returned,
          emailChangedAt: identity.email, phoneChangedAt: identity.phone,
          isFraud: isFraud))
      if isFraud { fraudIndex = records.count - 1 }
      balance -= debit
      amounts.append((e.ts, cents))
    }
    var confirmed: Int64?
    if let k = fraudIndex {
      let delayDays = min(
        60, max(1.0 / 24, r.logNormal(mean: options.labelDelayMeanDays, sigma: options.labelDelaySigma)))
      confirmed = records[k].timestamp + Int64((delayDays * 86_400).rounded())
    }
    return History(
      typology: fraudIndex == nil ? nil : typology, records: records, fraudIndex: fraudIndex, confirmedAt: confirmed,
      detected: confirmed.map { $0 <= asOf } ?? false, lookAlike: episode)
  }

  /// A takeover's identity change 1–70 h before `ts`: the email, the phone or both (⅓ each).
  static func identityChange(before ts: Int64, _ r: inout Draws) -> (email: Int64?, phone: Int64?) {
    let change = ts - Int64(r.int(3_600...(70 * 3_600)))
    switch r.int(0...2) {
    case 0: return (change, nil)
    case 1: return (nil, change)
    default: return (change, change)
    }
  }

  /// How many of the sorted `values` are ≤ `x`.
  static func countAtMost(_ values: [Int64], _ x: Int64) -> Int {
    var lo = 0
    var hi = values.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if values[mid] <= x { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }
}

extension FraudSimulator {
  /// `--legacy`, the reference's legacy generator (specs/fraud.md §4.3): one transaction per user
  /// with the reference's value ranges per kind, fraud split over liquidity crunch, link burst and
  /// takeover by n // 3 with the remainder to them in that order. Kept from Decoy's rules: the row
  /// lies in the user's history window before `asOf` (the reference stamps the wall clock), the
  /// off-hours flag comes from its timestamp, the 7-day link count is never below the 24-hour one,
  /// the label delay is the log-normal one, and every row gets its metadata.
  func legacyHistory(_ u: UInt64) -> History {
    var r = Draws(s: stream, i: u)
    let typology = typology(u)
    let start = options.asOf - Int64(FraudSimulator.historyDays(typology, &r)) * 86_400
    let startDay = start / 86_400
    let lastDay = (options.asOf - 1) / 86_400
    let day = startDay + Int64(r.int(0...Int(max(0, lastDay - startDay))))
    let offHours = typology == .ato
    let hour = offHours ? [22, 23, 0, 1, 2, 3, 4, 5][r.int(0...7)] : r.int(6...21)
    // Never at or after asOf (a mid-day asOf can cut the last day short).
    let ts = min(day * 86_400 + Int64(hour * 3_600 + r.int(0...59) * 60 + r.int(0...59)), options.asOf - 1)
    func money(_ a: Double, _ b: Double) -> Int64 { Int64((r.uniform(a, b) * 100).rounded()) }
    var rec = Record(
      timestamp: ts, amountCents: 0, balanceCents: 0, avgBalance30dCents: 0, zScore: 0, connections24h: 0,
      connections7d: 0, connectionsAvg30d: 0, amountToAvgRatio: 1, merchantRisk: 0, isReturned: false,
      emailChangedAt: nil, phoneChangedAt: nil, isFraud: typology != nil)
    switch typology {
    case .liquidityCrunch?:
      (rec.balanceCents, rec.avgBalance30dCents, rec.zScore) = (money(5, 100), money(50, 300), r.uniform(-4.0, -2.6))
      (rec.connections24h, rec.connections7d, rec.connectionsAvg30d) = (r.int(0...2), r.int(0...7), 1.0)
      (rec.amountCents, rec.amountToAvgRatio) = (Int64(r.logNormal(mean: 150, sigma: 1) * 100), r.uniform(0.8, 2.0))
      (rec.merchantRisk, rec.isReturned) = (r.int(15...49), true)
    case .linkBurst?:
      (rec.balanceCents, rec.avgBalance30dCents, rec.zScore) = (
        money(500, 5_000), money(400, 4_000), r.uniform(-1.0, 0.5)
      )
      (rec.connections24h, rec.connections7d, rec.connectionsAvg30d) = (
        r.int(5...15), r.int(15...49), r.uniform(1.0, 3.0)
      )
      (rec.amountCents, rec.amountToAvgRatio) = (Int64(r.logNormal(mean: 75, sigma: 1) * 100), r.uniform(0.5, 2.0))
      rec.merchantRisk = r.int(20...59)
    case .ato?:
      (rec.balanceCents, rec.avgBalance30dCents, rec.zScore) = (
        money(1_000, 10_000), money(800, 8_000), r.uniform(-0.5, 0.5)
      )
      (rec.connections24h, rec.connections7d, rec.connectionsAvg30d) = (r.int(0...2), r.int(0...9), 1.5)
      (rec.amountCents, rec.amountToAvgRatio) = (Int64(r.logNormal(mean: 500, sigma: 1.2) * 100), r.uniform(5.5, 15.0))
      rec.merchantRisk = r.int(40...84)
      (rec.emailChangedAt, rec.phoneChangedAt) = FraudSimulator.identityChange(before: ts, &r)
    default:
      (rec.balanceCents, rec.avgBalance30dCents, rec.zScore) = (
        money(500, 15_000), money(400, 12_000), r.uniform(-1, 1)
      )
      (rec.connections24h, rec.connections7d, rec.connectionsAvg30d) = (r.int(0...2), r.int(0...9), r.uniform(0.5, 2.0))
      (rec.amountCents, rec.amountToAvgRatio) = (Int64(r.logNormal(mean: 75, sigma: 1) * 100), r.uniform(0.3, 2.5))
      rec.merchantRisk = r.int(5...44)
    }
    rec.amountCents = min(max(rec.amountCents, 1), 5_000_000)
    rec.connections7d = max(rec.connections7d, rec.connections24h)
    var confirmed: Int64?
    if typology != nil {
      let delayDays = min(
        60, max(1.0 / 24, r.logNormal(mean: options.labelDelayMeanDays, sigma: options.labelDelaySigma)))
      confirmed = ts + Int64((delayDays * 86_400).rounded())
    }
    return History(
      typology: typology, records: [rec], fraudIndex: typology == nil ? nil : 0, confirmedAt: confirmed,
      detected: confirmed.map { $0 <= options.asOf } ?? false)
  }
}
