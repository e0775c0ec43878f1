public import DecoyCore

/// The device/IP/account graph of the fraud scenario (specs/fraud.md §4.6 with §6 fix 10), linked to
/// the same users as the transactions. Every user owns a USER node, 1–2 devices, 1–2 accounts and
/// 1–3 IPs. Groups of users — taken in the order of a keyed permutation of the users, so membership
/// is a pure function of the seed and the user index — share nodes: households of 2–4 legitimate
/// users (one device and one IP, 5 % of users), device-sharing rings of 6–15 takeover users (one
/// flagged device, first uses within 7 days), IP-recycling clusters of 5–20 link-burst users (one
/// flagged VPN IP, within 168 h) and kiting cycles of 3–6 liquidity-crunch and bust-out users'
/// accounts with strictly time-ordered hops whose amounts decrease by a fee (a pattern short of its
/// fraud users is completed with legitimate ones). A group's first member emits its shared nodes
/// (and the kiting transfers); every member emits its own edges.
public struct FraudGraph: Sendable {
  /// A node row.
  public struct Node: Sendable {
    public var id: String
    public var type: String
    public var createdAt: Int64
    public var properties: String
  }

  /// An edge row (its id comes from the table row).
  public struct Edge: Sendable {
    public var type: String
    public var source: String
    public var target: String
    public var createdAt: Int64
    public var properties: String
  }

  /// A group pattern over consecutive permuted positions.
  enum Pattern: Int, Sendable {
    case household = 0
    case ring, cluster, cycle
  }

  struct Group: Sendable {
    let pattern: Pattern
    let first: UInt64  // first permuted position
    let size: Int
  }

  let simulator: FraudSimulator
  let person: PersonModel
  let order: KeyedPermutation
  let inverse: [UInt64]  // group position → user (grouped users only)
  /// Each user's group position (UInt32.max: in no group); 4 bytes per user.
  let position: [UInt32]
  let groups: [Group]
  let stream: RandomStream
  /// The kinds of node ids besides users, by prefix.
  enum IDKind: Int {
    case device = 0
    case account, ip, group
  }
  /// Node ids by kind (dev_, acct_, ip_, grp_): one keyed permutation, so prefixes share the index space.
  let nodeIDs: [PrefixedID]
  let userIDs: PrefixedID
  let users: UInt64

  public init(simulator: FraudSimulator, context: GenerationContext) {
    self.simulator = simulator
    users = simulator.options.users
    person = PersonModel(context: context, table: "users", entity: "person")
    order = KeyedPermutation(n: users, stream: context.stream("graph", "order"))
    stream = context.stream("graph", "nodes")
    let ids = context.stream("graph", "ids")
    nodeIDs = ["dev_", "acct_", "ip_", "grp_"].map { PrefixedID($0, ids) }
    userIDs = FraudDataset.userIDs(context)
    // Group sizes, drawn in order: rings, clusters, cycles (one each per 2,000 users, at least one),
    // then households until 5 % of the users are in one.
    let g = context.stream("graph", "groups")
    var list: [Group] = []
    var next: UInt64 = 0
    let per = max(1, Int(users / 2_000))
    for (pattern, count, sizes) in [(Pattern.ring, per, 6...15), (.cluster, per, 5...20), (.cycle, per, 3...6)] {
      for i in 0..<count {
        let size = sizes.lowerBound + Int(g.below(UInt64(sizes.count), UInt64(pattern.rawValue << 32 | i)))
        guard next + UInt64(size) <= users else { break }
        list.append(Group(pattern: pattern, first: next, size: size))
        next += UInt64(size)
      }
    }
    let householdTarget = next + UInt64((Double(users) * 0.05).rounded())
    var h = 0
    while true {
      let size = 2 + Int(g.below(3, UInt64(h) | 1 << 40))
      guard next + UInt64(size) <= min(users, householdTarget) else { break }
      list.append(Group(pattern: .household, first: next, size: size))
      next += UInt64(size)
      h += 1
    }
    groups = list
    // Members, taken in the keyed order: rings are takeover users (ato, sleeper_ato), clusters
    // link-burst users, kiting cycles liquidity-crunch and bust-out users; a group short of them
    // is completed with legitimate users, and households are legitimate users.
    var byOrder = [UInt32](repeating: 0, count: Int(users))
    for u in 0..<users { byOrder[Int(order.apply(u))] = UInt32(u) }
    let patterns: [Pattern] = [.ring, .cluster, .cycle]
    let classes: [Set<FraudSimulator.Typology>] = [[.ato, .sleeperATO], [.linkBurst], [.liquidityCrunch, .bustOut]]
    let want = patterns.map { p in list.filter { $0.pattern == p }.reduce(0) { $0 + $1.size } }
    var queues: [[UInt64]] = [[], [], []]
    var legitimate: [UInt64] = []  // then fraud users no pattern took (only when legitimate ones run out)
    var spare: [UInt64] = []
    for p in 0..<Int(users) {
      let u = UInt64(byOrder[p])
      if let t = simulator.typology(u) {
        if let q = classes.indices.first(where: { classes[$0].contains(t) }), queues[q].count < want[q] {
          queues[q].append(u)
        } else if spare.count < Int(next) {
          spare.append(u)
        }
      } else if legitimate.count < Int(next) {
        legitimate.append(u)
      }
      if legitimate.count == Int(next) && queues.indices.allSatisfy({ queues[$0].count == want[$0] }) { break }
    }
    legitimate += spare
    var inv = [UInt64](repeating: 0, count: Int(next))
    var slot = [UInt32](repeating: .max, count: Int(users))
    var nextLegitimate = 0
    for group in list {
      for k in 0..<group.size {
        let u: UInt64
        if let q = patterns.firstIndex(of: group.pattern), !queues[q].isEmpty {
          u = queues[q].removeFirst()
        } else {
          u = legitimate[nextLegitimate]
          nextLegitimate += 1
        }
        inv[Int(group.first) + k] = u
        slot[Int(u)] = UInt32(group.first) + UInt32(k)
      }
    }
    inverse = inv
    position = slot
  }

  /// Node id of a user's own node of a kind (k-th), or of a group's shared node.
  func ownID(_ kind: IDKind, _ u: UInt64, _ k: Int) -> String { nodeIDs[kind.rawValue].string(u * 8 + UInt64(k)) }
  func sharedID(_ kind: IDKind, _ group: Int) -> String { nodeIDs[kind.rawValue].string(users * 8 + UInt64(group)) }

  /// The group a user belongs to, with its index in `groups` and the user's place in it.
  func membership(_ u: UInt64) -> (Int, Int)? {
    let p = UInt64(position[Int(u)])
    guard p < UInt64(inverse.count) else { return nil }
    // Groups are few and sorted by first position: binary search.
    var lo = 0
    var hi = groups.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if groups[mid].first <= p { lo = mid } else { hi = mid - 1 }
    }
    return (lo, Int(p - groups[lo].first))
  }

  static func json(_ pairs: [(String, String)]) -> String {
    "{" + pairs.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
  }

  static func quoted(_ s: String) -> String {
    guard s.utf8.contains(where: { $0 == 0x22 || $0 == 0x5c }) else { return "\"" + s + "\"" }
    return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }

  /// The nodes and edges user `u` emits.
  public func rows(_ u: UInt64) -> (nodes: [Node], edges: [Edge]) {
    var d: UInt32 = 0
    func below(_ n: Int) -> Int {
      defer { d += 1 }
      return Int(stream.below(UInt64(n), u, d))
    }
    func unit() -> Double {
      defer { d += 1 }
      return stream.unit(u, d)
    }
    let asOf = simulator.options.asOf
    let created = simulator.historyStart(u)  // the account opening
    var nodes: [Node] = []
    var edges: [Edge] = []
    var name: [UInt8] = []
    person.appendFullName(u, to: &name)
    let uid = userIDs.string(u)  // the id the transaction tables use
    nodes.append(
      Node(
        id: uid, type: "USER", createdAt: created,
        properties: FraudGraph.json([("name", FraudGraph.quoted(String(decoding: name, as: UTF8.self)))])))
    func device(_ id: String, _ extra: [(String, String)] = [], at: Int64? = nil) -> Node {
      let type = ["mobile", "desktop", "tablet"][below(3)]
      let os = type == "desktop" ? ["Windows", "macOS", "Linux"][below(3)] : ["iOS", "Android"][below(2)]
      var fp: [UInt8] = []
      for _ in 0..<32 { fp.append(PrefixedID.digits[below(16)]) }
      return Node(
        id: id, type: "DEVICE", createdAt: at ?? created,
        properties: FraudGraph.json(
          [
            ("fingerprint", FraudGraph.quoted(String(decoding: fp, as: UTF8.self))),
            ("device_type", FraudGraph.quoted(type)), ("os", FraudGraph.quoted(os)),
          ] + extra))
    }
    func ip(_ id: String, vpn: Bool, _ extra: [(String, String)] = [], at: Int64? = nil) -> Node {
      let nets = ["192.0.2.", "198.51.100.", "203.0.113."]  // documentation ranges (identifiers.md, safe)
      return Node(
        id: id, type: "IP_ADDRESS", createdAt: at ?? created,
        properties: FraudGraph.json(
          [
            ("address", FraudGraph.quoted(nets[below(3)] + String(1 + below(254)))), ("is_vpn", vpn ? "true" : "false"),
            ("country", "\"US\""),
          ] + extra))
    }
    for k in 0..<(1 + below(2)) {
      let id = ownID(.device, u, k)
      nodes.append(device(id))
      edges.append(Edge(type: "USES_DEVICE", source: uid, target: id, createdAt: created, properties: "{}"))
    }
    let accounts = 1 + below(2)
    for k in 0..<accounts {
      let number = String(100_000_000 + below(899_999_999))
      let id = ownID(.account, u, k)
      nodes.append(
        Node(
          id: id, type: "ACCOUNT", createdAt: created,
          properties: FraudGraph.json([
            ("account_number", FraudGraph.quoted(number)),
            ("account_type", FraudGraph.quoted(["checking", "savings"][below(2)])),
            ("balance", ValueFormatter.fixed(100 + unit() * 49_900, digits: 2)!),
          ])))
      edges.append(Edge(type: "HAS_ACCOUNT", source: uid, target: id, createdAt: created, properties: "{}"))
    }
    for k in 0..<(1 + below(3)) {
      let id = ownID(.ip, u, k)
      nodes.append(ip(id, vpn: unit() < 0.05))
      edges.append(Edge(type: "USES_IP", source: uid, target: id, createdAt: created, properties: "{}"))
    }
    guard let (g, place) = membership(u) else { return (nodes, edges) }
    let group = groups[g]
    // The group's window: a start drawn from the group's own stream (same for every member).
    let gs = stream.derive("group")
    let windowStart = asOf - 8 * 86_400 + Int64(gs.below(86_400, UInt64(g)))
    let flag = [("fraud_ring_id", FraudGraph.quoted(sharedID(.group, g)))]
    switch group.pattern {
    case .household:
      if place == 0 {
        nodes.append(device(sharedID(.device, g)))
        nodes.append(ip(sharedID(.ip, g), vpn: false))
      }
      edges.append(
        Edge(
          type: "USES_DEVICE", source: uid, target: sharedID(.device, g), createdAt: created,
          properties: FraudGraph.json([("household", "true")])))
      edges.append(
        Edge(
          type: "USES_IP", source: uid, target: sharedID(.ip, g), createdAt: created,
          properties: FraudGraph.json([("household", "true")])))
    case .ring:
      if place == 0 {
        nodes.append(device(sharedID(.device, g), [("flag", "\"device_sharing\"")] + flag, at: windowStart))
      }
      edges.append(
        Edge(
          type: "USES_DEVICE", source: uid, target: sharedID(.device, g),
          createdAt: windowStart + Int64(below(7 * 86_400 - 1)),
          properties: FraudGraph.json([("access_count", String(1 + below(19))), ("flag", "\"device_sharing\"")] + flag))
      )
    case .cluster:
      if place == 0 {
        nodes.append(
          ip(
            sharedID(.ip, g), vpn: true, [("flag", "\"ip_recycling\""), ("user_count", String(group.size))] + flag,
            at: windowStart))
      }
      edges.append(
        Edge(
          type: "USES_IP", source: uid, target: sharedID(.ip, g),
          createdAt: windowStart + Int64(below(168 * 3_600 - 1)),
          properties: FraudGraph.json([("session_count", String(1 + below(49))), ("flag", "\"ip_recycling\"")] + flag)))
    case .cycle:
      guard place == 0 else { break }
      // A→B→…→A over the members' first accounts; hops strictly later, amounts minus a 1–3 % fee each.
      let members = (0..<group.size).map { inverse[Int(group.first) + $0] }
      var t = windowStart
      var amount = 1_000 + unit() * 9_000
      for hop in 0..<group.size {
        t += 3_600 + Int64(below(23 * 3_600))
        let from = ownID(.account, members[hop], 0)
        let to = ownID(.account, members[(hop + 1) % group.size], 0)
        edges.append(
          Edge(
            type: "TRANSFERS_TO", source: from, target: to, createdAt: t,
            properties: FraudGraph.json(
              [
                ("amount", ValueFormatter.fixed(amount, digits: 2)!), ("cycle_number", "1"),
                ("hop_number", String(hop + 1)), ("is_kiting", "true"),
              ] + flag)))
        amount *= 1 - (0.01 + unit() * 0.02)
      }
    }
    return (nodes, edges)
  }
}
