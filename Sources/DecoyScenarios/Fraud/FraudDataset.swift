public import DecoyCore

/// `decoy generate fraud`: the fraud scenario as a dataset spec (specs/fraud.md §9) — `users`, and
/// `generated_records` and `evaluation_metadata` as child tables of `users` with one row per
/// transaction, filled from ``FraudSimulator`` once per batch of users.
public enum FraudDataset {
  static let usersYAML = """
    version: 1
    name: fraud
    description: Users with transaction histories, five fraud typologies, delayed labels and evaluation metadata (specs/fraud.md).
    tables:
      - name: users
        rows: 100
        columns:
          - {name: full_name, provider: person.full_name}
          - {name: email, provider: person.email}
          - {name: phone, provider: phone}
    """

  /// The dataset for `options` under `context` (the seed fixes the simulation; `as-of` is in `options`).
  public static func spec(context: GenerationContext, options: FraudSimulator.Options) throws(DecoyError) -> DatasetSpec
  {
    var spec = try SpecDecoder.decode(usersYAML)
    spec.seed = context.seed
    spec.tables[0].rows = options.users
    spec.sizedBy = "--users"
    let sim = try FraudSimulator(context: context, options: options)
    let userIDs = FraudDataset.userIDs(context)
    let recordIDs = PrefixedID("rec_", context.stream("fraud", "record-id"))
    var userID = ColumnSpec(
      name: "user_id", type: .string, summary: "user_ + 12 hex (keyed, unique, carries no class information)"
    ) { _ in
      StringColumn { u, out in userIDs.append(u, to: &out) }
    }
    userID.description = "user_ + 12 hex digits"
    spec.tables[0].columns.insert(userID, at: 0)
    spec.tables[0].primaryKey = "user_id"

    // Transactions per user, simulated once up front on every core (the plan and the engine ask for
    // each user's count several times; 4 bytes per user).
    let counts = FraudDataset.counts(sim, users: Int(options.users))
    let count = ComputedCount(summary: "the user's simulated transactions", mean: 9) { u in Int64(counts[Int(u)]) }
    typealias Row = TransactionRow
    // One item per transaction: the user's history and the transaction's place in it.
    let histories: @Sendable (UInt64) -> [(FraudSimulator.History, Int)] = { u in
      let h = sim.history(u)
      return h.records.indices.map { (h, $0) }
    }
    func col(_ name: String, _ type: ValueType, _ summary: String, _ w: @escaping @Sendable (Row, ColumnBuffer) -> Void)
      -> ColumnSpec
    {
      var c = ColumnSpec(name: name, type: type, summary: summary) { _ in
        PerParentColumn(type, key: "fraud.histories", make: histories) { r, out in
          w(TransactionRow(history: r.item.0, index: r.item.1, user: r.parent, row: r.row), out)
        }
      }
      c.description = summary
      return c
    }
    let asOf = options.asOf
    let firstID = options.idOffset + 1
    let maturity = Int64(options.labelMaturityDays * 86_400)
    let parent = try parentColumns()
    var records = TableSpec(
      name: "generated_records", rows: nil, parent: ParentSpec(table: "users", count: .computed(count)),
      columns: [
        col("id", .int, "Row number (insert order; primary key)") { r, out in out.appendInt(Int64(r.row) + firstID) },
        col("record_id", .string, "rec_ + 12 hex (keyed, unique)") { r, out in recordIDs.write(r.row, to: out) },
        col("user_id", .string, "The account holder") { r, out in userIDs.write(r.user, to: out) },
      ] + parent + [
        col("transaction_timestamp", .timestamp, "UTC, second resolution, strictly increasing per user, before --as-of")
        { r, out in out.appendInt(r.record.timestamp) },
        col("is_off_hours_txn", .bool, "True iff the hour is 22:00–05:59") { r, out in
          out.appendInt(FraudSimulator.isOffHours(r.record.timestamp) ? 1 : 0)
        },
        col("available_balance", .decimal(scale: 2), "Balance before the debit") { r, out in
          out.appendInt(r.record.balanceCents)
        },
        col("balance_to_transaction_ratio", .double, "available_balance / amount") { r, out in
          out.appendDouble(Double(r.record.balanceCents) / Double(r.record.amountCents))
        },
        col("avg_available_balance_30d", .decimal(scale: 2), "Mean end-of-day balance over the 30 days before") {
          r, out in out.appendInt(r.record.avgBalance30dCents)
        },
        col("balance_volatility_z_score", .double, "(balance − 30-day mean) / 30-day sample sd") { r, out in
          out.appendDouble(r.record.zScore)
        },
        col("bank_connections_count_24h", .int, "Bank links in the last 24 h") { r, out in
          out.appendInt(Int64(r.record.connections24h))
        },
        col("bank_connections_count_7d", .int, "Bank links in the last 7 days") { r, out in
          out.appendInt(Int64(r.record.connections7d))
        },
        col("bank_connections_avg_30d", .double, "Bank links in the last 30 days / 30") { r, out in
          out.appendDouble(r.record.connectionsAvg30d)
        },
        col("amount", .decimal(scale: 2), "Debit amount") { r, out in out.appendInt(r.record.amountCents) },
        col("amount_to_avg_ratio", .double, "amount / mean of the previous 30 days' amounts (1.0 if none)") { r, out in
          out.appendDouble(r.record.amountToAvgRatio)
        },
        col("merchant_risk_score", .int, "0–100") { r, out in out.appendInt(Int64(r.record.merchantRisk)) },
        col("is_returned", .bool, "Payment returned") { r, out in out.appendInt(r.record.isReturned ? 1 : 0) },
        col("email_changed_at", .timestamp, "Last email change (takeovers: 1–70 h before)") { r, out in
          if let t = r.record.emailChangedAt { out.appendInt(t) } else { out.appendNull() }
        },
        col("phone_changed_at", .timestamp, "Last phone change") { r, out in
          if let t = r.record.phoneChangedAt { out.appendInt(t) } else { out.appendNull() }
        },
        col("is_fraudulent", .bool, "Observed label: the fraud row once confirmed by --as-of") { r, out in
          out.appendInt(r.record.isFraud && r.history.detected ? 1 : 0)
        },
        col("fraud_type", .string, "Observed typology (null until confirmed)") { r, out in
          if r.record.isFraud && r.history.detected, let t = r.history.typology {
            out.appendString(t.rawValue)
          } else {
            out.appendNull()
          }
        },
        col("created_at", .timestamp, "The as-of instant") { _, out in out.appendInt(asOf) },
      ])
    // As the reference: `id` (insert order) is the primary key and record_id is unique.
    records.primaryKey = "id"
    records.uniqueKeys = ["record_id"]
    records.columns[2].reference = ("users", "user_id")

    @Sendable func event(_ r: Row) -> Int64? { r.history.fraudIndex.map { r.history.records[$0].timestamp } }
    var metadata = TableSpec(
      name: "evaluation_metadata", rows: nil, parent: ParentSpec(table: "users", count: .computed(count)),
      columns: [
        col("id", .int, "Row number (primary key)") { r, out in out.appendInt(Int64(r.row) + firstID) },
        col("user_id", .string, "The user") { r, out in userIDs.write(r.user, to: out) },
        col("record_id", .string, "The record (unique)") { r, out in recordIDs.write(r.row, to: out) },
        col("sequence_number", .int, "1-based position in the user's history") { r, out in
          out.appendInt(Int64(r.index) + 1)
        },
        col("fraud_event_at", .timestamp, "When the user's fraud happened (fraud users)") { r, out in
          if let e = event(r) { out.appendInt(e) } else { out.appendNull() }
        },
        col("fraud_confirmed_at", .timestamp, "When the fraud was confirmed, if by --as-of") { r, out in
          if r.history.detected, let c = r.history.confirmedAt { out.appendInt(c) } else { out.appendNull() }
        },
        col("is_fraud_truth", .bool, "Ground truth: this row is the fraud event") { r, out in
          out.appendInt(r.record.isFraud ? 1 : 0)
        },
        col("is_pre_fraud", .bool, "Before the user's fraud event (legitimate users: always)") { r, out in
          out.appendInt(event(r).map { r.record.timestamp < $0 } ?? true ? 1 : 0)
        },
        col("days_to_fraud", .double, "(fraud event − timestamp) in days") { r, out in
          if let e = event(r) { out.appendDouble(Double(e - r.record.timestamp) / 86_400) } else { out.appendNull() }
        },
        col("is_train_eligible", .bool, "Not after the event, and older than --as-of − maturity") { r, out in
          let notAfter = event(r).map { r.record.timestamp <= $0 } ?? true
          out.appendInt(notAfter && r.record.timestamp <= asOf - maturity ? 1 : 0)
        },
        col("created_at", .timestamp, "The as-of instant") { _, out in out.appendInt(asOf) },
      ])
    metadata.primaryKey = "id"
    metadata.uniqueKeys = ["record_id"]
    metadata.columns[2].reference = ("generated_records", "record_id")
    spec.tables.append(records)
    spec.tables.append(metadata)

    guard options.graph else { return spec }
    // The graph: nodes and edges each user emits (its own, and for a group's first member the shared ones).
    let graph = FraudGraph(simulator: sim, context: context)
    let graphCounts = FraudDataset.graphCounts(graph, users: Int(options.users))
    let nodeCount = ComputedCount(summary: "the user's graph nodes", mean: 7) { u in Int64(graphCounts[Int(u)].0) }
    let edgeCount = ComputedCount(summary: "the user's graph edges", mean: 6) { u in Int64(graphCounts[Int(u)].1) }
    func node(_ name: String, _ type: ValueType, _ w: @escaping @Sendable (FraudGraph.Node, ColumnBuffer) -> Void)
      -> ColumnSpec
    {
      ColumnSpec(name: name, type: type, summary: name) { _ in
        PerParentColumn(type, key: "fraud.graph.nodes", make: { graph.rows($0).nodes }) { r, out in w(r.item, out) }
      }
    }
    func edge(
      _ name: String, _ type: ValueType, _ w: @escaping @Sendable (FraudGraph.Edge, UInt64, ColumnBuffer) -> Void
    ) -> ColumnSpec {
      ColumnSpec(name: name, type: type, summary: name) { _ in
        PerParentColumn(type, key: "fraud.graph.edges", make: { graph.rows($0).edges }) { r, out in
          w(r.item, r.row, out)
        }
      }
    }
    let edgeIDs = PrefixedID("edge_", context.stream("graph", "edge-id"))
    var nodes = TableSpec(
      name: "graph_nodes", rows: nil, parent: ParentSpec(table: "users", count: .computed(nodeCount)),
      columns: [
        node("id", .string) { n, out in out.appendString(n.id) },
        node("type", .string) { n, out in out.appendString(n.type) },
        node("created_at", .timestamp) { n, out in out.appendInt(n.createdAt) },
        node("properties", .string) { n, out in out.appendString(n.properties) },
      ])
    nodes.primaryKey = "id"
    let edges = TableSpec(
      name: "graph_edges", rows: nil, parent: ParentSpec(table: "users", count: .computed(edgeCount)),
      columns: [
        edge("id", .string) { _, row, out in edgeIDs.write(row, to: out) },
        edge("type", .string) { e, _, out in out.appendString(e.type) },
        edge("source_id", .string) { e, _, out in out.appendString(e.source) },
        edge("target_id", .string) { e, _, out in out.appendString(e.target) },
        edge("created_at", .timestamp) { e, _, out in out.appendInt(e.createdAt) },
        edge("properties", .string) { e, _, out in out.appendString(e.properties) },
      ])
    spec.tables.append(nodes)
    spec.tables.append(edges)
    return spec
  }

  /// The `user_` ids the users table, the transactions and the graph share.
  static func userIDs(_ context: GenerationContext) -> PrefixedID {
    PrefixedID("user_", context.stream("fraud", "user-id"))
  }

  /// Nodes and edges per user (the graph tables' row counts), on every core.
  static func graphCounts(_ graph: FraudGraph, users: Int) -> [(Int32, Int32)] {
    ParallelMap.map(
      users, minimumSlice: 1_024, makeState: {},
      { _, u in
        let r = graph.rows(UInt64(u))
        return (Int32(r.nodes.count), Int32(r.edges.count))
      })
  }

  /// Transactions per user, on every core (each history is simulated once here for the plan).
  static func counts(_ sim: FraudSimulator, users: Int) -> [Int32] {
    ParallelMap.map(
      users, minimumSlice: 1_024, makeState: {},
      { _, u in
        Int32(sim.count(UInt64(u)))
      })
  }

  /// full_name and email of the account holder (the users table's person), and its phone.
  static func parentColumns() throws(DecoyError) -> [ColumnSpec] {
    let c = try ParentColumns.decode(
      parent: "users", parentColumns: "[{name: phone, provider: phone}]",
      "[{name: full_name, provider: person.full_name, of: parent}, {name: email, provider: person.email, of: parent}]")
    let parentPhone = ColumnSpec.repeating(c.parent[0], of: "users", as: "phone", summary: "The account holder's phone")
    return c.child + [parentPhone]
  }
}
