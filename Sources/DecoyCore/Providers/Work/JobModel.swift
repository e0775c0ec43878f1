/// The latent job behind a row: department, seniority level and role, from which title, salary
/// band and salary follow — so the three columns always agree.
public struct JobModel: Sendable {
  /// Departments with their share of headcount and their roles.
  public static let departments: [(name: String, weight: Double, roles: [String])] = [
    ("Engineering", 22, ["Software Engineer", "QA Engineer", "Data Engineer", "Site Reliability Engineer"]),
    ("Sales", 16, ["Account Executive", "Sales Representative", "Sales Engineer"]),
    ("Operations", 14, ["Operations Analyst", "Logistics Coordinator", "Facilities Specialist"]),
    ("Customer Support", 12, ["Support Specialist", "Customer Success Manager"]),
    ("Marketing", 8, ["Marketing Specialist", "Content Strategist", "Product Marketing Manager"]),
    ("Finance", 7, ["Accountant", "Financial Analyst", "Payroll Specialist"]),
    ("Human Resources", 5, ["HR Generalist", "Recruiter", "Benefits Specialist"]),
    ("Legal", 3, ["Paralegal", "Counsel", "Compliance Analyst"]),
    ("IT", 7, ["Systems Administrator", "IT Support Technician", "Security Analyst"]),
    ("Product", 6, ["Product Manager", "UX Designer", "Product Analyst"]),
  ]
  /// Seniority levels: title prefix, share, salary band and its yearly range in dollars.
  public static let levels: [(prefix: String, weight: Double, band: String, low: Int64, high: Int64)] = [
    ("Junior", 20, "B1", 45_000, 65_000), ("", 38, "B2", 60_000, 90_000), ("Senior", 25, "B3", 85_000, 130_000),
    ("Lead", 10, "B4", 120_000, 170_000), ("Principal", 5, "B5", 160_000, 230_000),
    ("Director of", 2, "B6", 200_000, 320_000),
  ]

  let stream: RandomStream
  let departmentAlias = AliasTable(weights: JobModel.departments.map(\.weight))
  let levelAlias = AliasTable(weights: JobModel.levels.map(\.weight))

  public init(context: GenerationContext, table: String, entity: String) {
    stream = context.stream(table, "entity:" + entity, "job")
  }

  public func department(_ i: UInt64) -> Int { stream.pick(departmentAlias, i, 0) }
  public func level(_ i: UInt64) -> Int { stream.pick(levelAlias, i, 1) }
  public func role(_ i: UInt64) -> Int {
    Int(stream.below(UInt64(JobModel.departments[department(i)].roles.count), i, 2))
  }

  /// "Senior Software Engineer", "Director of Engineering".
  public func title(_ i: UInt64) -> String {
    let l = JobModel.levels[level(i)]
    let d = JobModel.departments[department(i)]
    if l.band == "B6" { return "\(l.prefix) \(d.name)" }
    let role = d.roles[role(i)]
    return l.prefix.isEmpty ? role : "\(l.prefix) \(role)"
  }

  /// Yearly salary in cents, uniform within the level's band, rounded to $100.
  public func salaryCents(_ i: UInt64) -> Int64 {
    let l = JobModel.levels[level(i)]
    return stream.int(in: (l.low / 100)...(l.high / 100), i, 3) * 10_000
  }
}

enum WorkProviders {
  static let common: [(name: String, help: String)] = [("entity", "job entity name (default job)")]

  static func job(_ r: inout MapReader) -> String { r.string("entity") ?? "job" }

  static let all: [ProviderDefinition] = [
    ProviderDefinition("job.department", "department (weighted headcount shares)", type: .string, parameters: common) {
      r in
      let e = job(&r)
      return { b in
        let m = JobModel(context: b.context, table: b.table, entity: e)
        let names = StringTable(JobModel.departments.map(\.name))
        return StringColumn { i, out in names.append(m.department(i), to: &out) }
      }
    },
    ProviderDefinition(
      "job.title", "job title consistent with department and seniority", type: .string, parameters: common
    ) { r in
      let e = job(&r)
      return { b in
        let m = JobModel(context: b.context, table: b.table, entity: e)
        return StringColumn { i, out in out.append(contentsOf: m.title(i).utf8) }
      }
    },
    ProviderDefinition(
      "job.salary_band", "salary band B1…B6 of the title's seniority", type: .string, parameters: common
    ) { r in
      let e = job(&r)
      return { b in
        let m = JobModel(context: b.context, table: b.table, entity: e)
        return StringColumn { i, out in out.append(contentsOf: JobModel.levels[m.level(i)].band.utf8) }
      }
    },
    ProviderDefinition(
      "job.salary", "yearly salary in dollars within the band", type: .decimal(scale: 2), parameters: common
    ) { r in
      let e = job(&r)
      return { b in
        let m = JobModel(context: b.context, table: b.table, entity: e)
        return IntColumn(.decimal(scale: 2)) { i in m.salaryCents(i) }
      }
    },
  ]
}
