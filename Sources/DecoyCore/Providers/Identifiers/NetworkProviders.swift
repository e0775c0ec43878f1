/// IP address rules of specs/identifiers.md §7 and other network/device identifiers.
public enum NetworkRules {
  /// The three RFC 5737 TEST-NETs (host addresses .1–.254 of each: 762 in all).
  public static let testNets: [UInt32] = [0xC000_0200, 0xC633_6400, 0xCB00_7100]
  /// Capacity of the safe TEST-NET set.
  public static let testNetCapacity: UInt64 = 762
  /// Private and shared blocks added by `format-valid`: (base, prefix length).
  public static let formatValidBlocks: [(UInt32, Int)] = [
    (0x0A00_0000, 8), (0xAC10_0000, 12), (0xC0A8_0000, 16), (0x6440_0000, 10),
  ]
  /// Special-purpose IPv4 blocks never produced by `realistic` (IANA registry).
  public static let specialBlocks: [(UInt32, Int)] = [
    (0x0000_0000, 8), (0x0A00_0000, 8), (0x6440_0000, 10), (0x7F00_0000, 8), (0xA9FE_0000, 16), (0xAC10_0000, 12),
    (0xC000_0000, 24), (0xC000_0200, 24), (0xC058_6300, 24), (0xC0A8_0000, 16), (0xC612_0000, 15), (0xC633_6400, 24),
    (0xCB00_7100, 24), (0xE000_0000, 4), (0xF000_0000, 4),
  ]

  /// Whether `a` lies in `base/prefix`.
  public static func inBlock(_ a: UInt32, _ base: UInt32, _ prefix: Int) -> Bool {
    let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)
    return a & mask == base & mask
  }

  static func ipv4(_ level: IdentifierLevel, unique: Bool, _ s: RandomStream, _ i: UInt64) -> UInt32 {
    switch level {
    case .safe:
      let j = unique ? i : s.below(testNetCapacity, i)
      if j < testNetCapacity { return testNets[Int(j / 254)] + UInt32(j % 254) + 1 }
      return 0xC612_0000 + UInt32(j - testNetCapacity)  // 198.18.0.0/15, only after the TEST-NETs
    case .formatValid:
      let k = Int(s.below(5, i, 1))
      if k == 4 { return testNets[Int(s.below(3, i, 2))] + 1 + UInt32(s.below(254, i, 3)) }
      let (base, prefix) = formatValidBlocks[k]
      return base | UInt32(s.below(UInt64(1) << (32 - prefix), i, 4))
    case .realistic:
      var d: UInt32 = 0
      while true {
        let a = UInt32(truncatingIfNeeded: s.bits(i, 10 + d))
        if !specialBlocks.contains(where: { inBlock(a, $0.0, $0.1) }) { return a }
        d += 1
      }
    }
  }

  static func appendIPv4(_ a: UInt32, to out: inout [UInt8]) {
    ValueFormatter.appendUInt(UInt64(a >> 24), to: &out)
    out.append(UInt8(ascii: "."))
    ValueFormatter.appendUInt(UInt64((a >> 16) & 255), to: &out)
    out.append(UInt8(ascii: "."))
    ValueFormatter.appendUInt(UInt64((a >> 8) & 255), to: &out)
    out.append(UInt8(ascii: "."))
    ValueFormatter.appendUInt(UInt64(a & 255), to: &out)
  }

  static let hex: [UInt8] = Array("0123456789abcdef".utf8)

  static func appendHexGroup(_ v: UInt64, to out: inout [UInt8]) {
    var started = false
    for shift in stride(from: 12, through: 0, by: -4) {
      let d = Int((v >> UInt64(shift)) & 15)
      if d != 0 || started || shift == 0 {
        out.append(hex[d])
        started = true
      }
    }
  }

  static let userAgents = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0",
  ]
  static let userAgentAlias = AliasTable(weights: [30, 12, 18, 8, 6, 3, 10, 7, 3, 3])

  /// Appends a UUID (version 4 layout) made of two 64-bit draws.
  static func appendUUID(_ s: RandomStream, _ i: UInt64, to out: inout [UInt8]) {
    let hi = (s.bits(i, 0) & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000
    let lo = (s.bits(i, 1) & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
    for (k, shift) in stride(from: 60, through: 0, by: -4).enumerated() {
      if k == 8 || k == 12 { out.append(UInt8(ascii: "-")) }
      out.append(hex[Int((hi >> UInt64(shift)) & 15)])
    }
    for (k, shift) in stride(from: 60, through: 0, by: -4).enumerated() {
      if k == 0 || k == 4 { out.append(UInt8(ascii: "-")) }
      out.append(hex[Int((lo >> UInt64(shift)) & 15)])
    }
  }

  static let definitions: [ProviderDefinition] = [
    ProviderDefinition(
      "net.ipv4", "IPv4: safe = RFC 5737 TEST-NETs (198.18.0.0/15 after 762 with unique)", type: .string,
      parameters: [
        ("level", "safe, format-valid (adds RFC 1918/6598) or realistic"),
        ("unique", "distinct per row (capacity 131,834)"),
      ],
      identifier: .ip
    ) { r in
      let override = r.level()
      let unique = r.bool("unique") ?? false
      return { b throws(DecoyError) in
        let level = try b.level(.ip, override: override)
        let capacity = testNetCapacity + 131_072
        if unique, level == .safe, let rows = b.tableRows[b.table], rows > capacity {
          throw .capacityExceeded(
            column: "\(b.table).\(b.column)", capacity: capacity, requested: rows,
            hint: "use --identifiers ip=format-valid, or drop unique: true")
        }
        let s = b.stream()
        return StringColumn { i, out in appendIPv4(ipv4(level, unique: unique, s, i), to: &out) }
      }
    },
    ProviderDefinition(
      "net.ipv6", "IPv6: safe = 2001:db8::/32 documentation prefix", type: .string,
      parameters: [("level", "safe, format-valid (adds ULA fd00::/8) or realistic")], identifier: .ip
    ) { r in
      let override = r.level()
      return { b throws(DecoyError) in
        let level = try b.level(.ip, override: override)
        let s = b.stream()
        return StringColumn { i, out in
          let a = s.bits(i, 0)
          let c = s.bits(i, 1)
          var groups: (UInt64, UInt64) = (0x2001, 0xdb8)
          switch level {
          case .safe: break
          case .formatValid: groups = (0xfd00 | (a >> 56), (a >> 40) & 0xffff)
          case .realistic:
            groups = (0x2000 | ((a >> 48) & 0x1fff), (a >> 32) & 0xffff)
            if groups == (0x2001, 0xdb8) { groups.1 = 0xdb9 }
          }
          appendHexGroup(groups.0, to: &out)
          out.append(UInt8(ascii: ":"))
          appendHexGroup(groups.1, to: &out)
          for k in 0..<6 {
            out.append(UInt8(ascii: ":"))
            let word = k < 2 ? (a >> UInt64(16 * k)) & 0xffff : (c >> UInt64(16 * (k - 2))) & 0xffff
            appendHexGroup(word, to: &out)
          }
        }
      }
    },
    ProviderDefinition("uuid", "UUID (version 4 layout) derived from the seed, never from the OS", type: .string) { _ in
      { b in
        let s = b.stream()
        return StringColumn { i, out in appendUUID(s, i, to: &out) }
      }
    },
    ProviderDefinition(
      "device.id", "device identifier (UUID layout) of a per-row device", type: .string,
      parameters: [("entity", "device entity name (default device)"), ("of", "row (default) or parent")]
    ) { r in
      let entity = r.string("entity") ?? "device"
      let ofParent = r.oneOf("of", ["row", "parent"]) == "parent"
      return { b in
        let s = b.context.stream(ofParent ? b.entityTable : b.table, "entity:" + entity, "id")
        return StringColumn(indexing: ofParent ? .parent : .row) { i, out in appendUUID(s, i, to: &out) }
      }
    },
    ProviderDefinition("net.user_agent", "browser user agent (desktop and mobile mix)", type: .string) { _ in
      { b in
        let s = b.stream()
        let table = StringTable(userAgents)
        return StringColumn { i, out in table.append(s.pick(userAgentAlias, i), to: &out) }
      }
    },
  ]
}
