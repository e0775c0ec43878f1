/// One of the 17 conditions of the reference hospital generator (specs/healthcare.md §2.4).
public struct Condition: Sendable {
  /// Cost and same-day category.
  public enum Category: String, Sendable { case chronic, complex, acute, minor, depression }

  public let name: String
  public let category: Category
  /// Length of stay in days, uniform on a new episode.
  public let stay: ClosedRange<Int>
  public let adultOnly: Bool
  /// Whether a zero-day stay may be forced on a new episode.
  public let sameDayCapable: Bool
  /// Primary and secondary treatment.
  public let treatments: (String, String)
  public let medications: [String]
  /// Base probabilities of staying unpaid and of paying late.
  public let unpaidBase: Double
  public let latePaidBase: Double
  /// Weight of the condition when one is drawn.
  public let weight: Double

  /// Whether the condition always asks for follow-up (with age ≥ 70 the other reason).
  public let needsFollowUp: Bool
  /// Whether severity is Mild/Moderate on new episodes and Normal on follow-ups, not from the stay.
  public let severityByCoin: Bool
  /// Childbirth: women aged 25–50 only.
  let isChildbirth: Bool

  /// Base charge range of a new episode, in dollars.
  public var chargeRange: ClosedRange<Int> {
    switch category {
    case .complex: 30_000...110_000
    case .chronic: 3_000...20_000
    case .depression: 1_000...7_000
    case .acute: 1_000...12_000
    case .minor: 100...5_000
    }
  }

  public static let all: [Condition] = [
    .init(
      "High blood pressure", .chronic, 0...2, adult: true, sd: true, ("Medication", "Lifestyle Counseling"),
      ["Lisinopril", "Amlodipine", "Hydrochlorothiazide", "Metoprolol", "Atenolol"], 0.08, 0.12),
    .init(
      "Diabetes", .chronic, 1...4, adult: false, sd: true, ("Insulin Therapy", "Dietary Management"),
      ["Insulin glargine", "Insulin lispro", "Metformin", "Sitagliptin", "Glipizide"], 0.10, 0.15),
    .init(
      "Arthritis", .chronic, 1...3, adult: true, sd: true, ("Physical Therapy", "Joint Injections"),
      ["Ibuprofen", "Naproxen", "Celecoxib"], 0.08, 0.12),
    .init(
      "Asthma", .chronic, 0...2, adult: false, sd: true, ("Inhaler", "Nebulizer Therapy"),
      ["Albuterol", "Budesonide", "Fluticasone", "Montelukast"], 0.08, 0.12),
    .init(
      "Cancer", .complex, 5...10, adult: false, sd: false, ("Chemotherapy", "Radiation Therapy"),
      ["Cisplatin", "Paclitaxel", "Cyclophosphamide", "Doxorubicin"], 0.22, 0.25),
    .init("Broken bones", .acute, 0...5, adult: false, sd: true, ("Cast", "Surgery"), [], 0.10, 0.15),
    .init(
      "Heart disease", .complex, 5...10, adult: true, sd: false, ("Bypass Surgery", "Medication"),
      ["Atorvastatin", "Clopidogrel", "Nitroglycerin", "Metoprolol"], 0.16, 0.20, weight: 0.35),
    .init(
      "Pneumonia", .acute, 2...7, adult: false, sd: false, ("Medication", "Oxygen Therapy"),
      ["Azithromycin", "Amoxicillin-clavulanate", "Levofloxacin"], 0.12, 0.18),
    .init("Flu", .minor, 0...2, adult: false, sd: true, ("Medication", "Rest & Fluids"), ["Oseltamivir"], 0.06, 0.10),
    .init(
      "Migraine", .minor, 0...1, adult: false, sd: true, ("Medication", "Pain Management"),
      ["Sumatriptan", "Rizatriptan", "Propranolol", "Topiramate"], 0.06, 0.10),
    .init(
      "Depression", .depression, 3...7, adult: false, sd: false, ("Therapy (CBT)", "Medication"),
      ["Sertraline", "Fluoxetine", "Escitalopram", "Bupropion"], 0.09, 0.12),
    .init(
      "Anxiety", .depression, 1...3, adult: false, sd: false, ("Counseling", "Medication"),
      ["Diazepam", "Lorazepam", "Clonazepam", "Buspirone"], 0.09, 0.12),
    .init(
      "Allergies", .minor, 0...1, adult: false, sd: true, ("Medication", "Allergy Shots"),
      ["Cetirizine", "Loratadine", "Fexofenadine"], 0.05, 0.08),
    .init(
      "Kidney failure", .complex, 5...10, adult: true, sd: false, ("Dialysis", "Transplant Evaluation"),
      ["Epoetin alfa", "Calcitriol"], 0.20, 0.23),
    .init(
      "Stroke", .complex, 5...10, adult: true, sd: false, ("Rehabilitation", "Medication"),
      ["Aspirin", "Clopidogrel", "Atorvastatin"], 0.18, 0.22),
    .init(
      "COVID-19", .acute, 3...14, adult: false, sd: false, ("Supportive Care", "Medication"),
      ["Remdesivir", "Nirmatrelvir/ritonavir"], 0.14, 0.20),
    .init("Childbirth", .acute, 1...5, adult: true, sd: false, ("Delivery", "Cesarean Section"), [], 0.07, 0.10),
  ]

  /// Index of a condition by name.
  public static func index(_ name: String) -> Int { all.firstIndex { $0.name == name }! }

  /// Indices the simulation tests for.
  static let flu = index("Flu"), pneumonia = index("Pneumonia"), childbirth = index("Childbirth"),
    allergies = index("Allergies")

  init(
    _ name: String, _ category: Category, _ stay: ClosedRange<Int>, adult: Bool, sd: Bool,
    _ treatments: (String, String),
    _ medications: [String], _ unpaid: Double, _ late: Double, weight: Double = 1
  ) {
    self.name = name
    self.category = category
    self.stay = stay
    adultOnly = adult
    sameDayCapable = sd
    self.treatments = treatments
    self.medications = medications
    unpaidBase = unpaid
    latePaidBase = late
    self.weight = weight
    needsFollowUp = [
      "Cancer", "Kidney failure", "Stroke", "Heart disease", "Broken bones", "Diabetes", "Asthma", "Arthritis",
    ].contains(name)
    severityByCoin = ["Broken bones", "Flu", "Migraine", "Allergies"].contains(name)
    isChildbirth = name == "Childbirth"
  }

  /// Whether a patient of `sex` (0 female, 1 male) aged `age` can have the condition.
  public func eligible(age: Int, sex: Int) -> Bool {
    if adultOnly && age < 18 { return false }
    if isChildbirth { return sex == 0 && (25...50).contains(age) }
    return true
  }
}
