/// Datasets that run by name (`decoy generate people`): specs shipped inside the binary.
public enum BuiltInSpecs {
  /// Name → YAML text.
  public static let all: [(name: String, summary: String, yaml: String)] = [
    ("people", "people with US identities and a payment card each (1,000 rows)", people),
    ("shop", "customers and their orders (a parent/child example)", shop),
    ("pci", "payment cards with holder and billing address (PCI test data)", pci),
    ("employees", "employees with identity, licence, job and salary band", employees),
  ]

  /// The YAML of a built-in dataset.
  public static func named(_ name: String) -> String? { all.first { $0.name == name }?.yaml }

  static let people = """
    version: 1
    name: people
    description: People with US identities and one payment card each. Identifiers are safe by default.
    tables:
      - name: people
        rows: 1000
        primary_key: id
        columns:
          - {name: id, sequence: 1}
          - {name: first_name, provider: person.first_name}
          - {name: last_name, provider: person.last_name}
          - {name: sex, provider: person.sex}
          - {name: birth_date, provider: person.birth_date}
          - {name: street, provider: address.street}
          - {name: city, provider: address.city}
          - {name: state, provider: address.state}
          - {name: zip, provider: address.zip}
          - {name: phone, provider: phone}
          - {name: email, provider: person.email}
          - {name: ssn, provider: ssn}
          - {name: card_number, provider: card.number}
          - {name: card_brand, provider: card.brand}
          - {name: card_cvv, provider: card.cvv}
          - {name: card_expiry, provider: card.expiry}
          - name: amount
            range: {min: 1, max: 5000, decimals: 2, distribution: lognormal, median: 60, sigma: 1.1}
          - name: category
            choice:
              values: [groceries, restaurants, travel, electronics, healthcare, utilities]
              weights: [35, 20, 10, 10, 15, 10]

    """

  static let pci = """
    version: 1
    name: pci
    description: Payment card records. Safe by default (Luhn-invalid numbers); --identifiers card=format-valid gives Luhn-valid numbers on test IINs.
    tables:
      - name: cards
        rows: 1000
        primary_key: record_id
        columns:
          - {name: record_id, sequence: 1}
          - {name: cardholder_name, provider: person.full_name, description: Name embossed on the card}
          - {name: card_number, provider: card.number}
          - {name: card_brand, provider: card.brand}
          - {name: cvv, provider: card.cvv, description: Security code (4 digits for American Express)}
          - {name: expiration, provider: card.expiry, description: Expiry MM/YY after --today}
          - {name: billing_street, provider: address.street}
          - {name: billing_city, provider: address.city}
          - {name: billing_state, provider: address.state}
          - {name: billing_zip, provider: address.zip}

    """

  static let employees = """
    version: 1
    name: employees
    description: Employees of a fictional company with US identities, licences and jobs.
    tables:
      - name: employees
        rows: 1000
        primary_key: employee_id
        columns:
          - {name: employee_id, sequence: 10001}
          - {name: first_name, provider: person.first_name, min_age: 18, max_age: 67}
          - {name: last_name, provider: person.last_name, min_age: 18, max_age: 67}
          - {name: gender, provider: person.sex, format: word, min_age: 18, max_age: 67}
          - {name: user_id, provider: person.username, min_age: 18, max_age: 67}
          - {name: work_email, provider: person.email, domain: corp.example.com, unique: true, min_age: 18, max_age: 67}
          - {name: ssn, provider: ssn, unique: true}
          - {name: blood_group, provider: blood_type}
          - {name: date_of_birth, provider: person.birth_date, min_age: 18, max_age: 67}
          - {name: street, provider: address.street}
          - {name: city, provider: address.city}
          - {name: state, provider: address.state}
          - {name: zip, provider: address.zip}
          - {name: driver_license, provider: driver_license, description: US driver licence number in the format of the address state}
          - {name: hire_date, provider: person.hire_date, min_age: 18, max_age: 67}
          - {name: department, provider: job.department}
          - {name: job_title, provider: job.title}
          - {name: salary_band, provider: job.salary_band}
          - {name: salary, provider: job.salary}

    """

  static let shop = """
    version: 1
    name: shop
    description: Customers and their orders; each customer has a Poisson number of orders.
    tables:
      - name: customers
        rows: 1000
        primary_key: customer_id
        columns:
          - {name: customer_id, sequence: 1}
          - {name: name, provider: person.full_name}
          - {name: email, provider: person.email, unique: true}
          - {name: state, provider: address.state}
          - {name: signup_date, date: {from: 2020-01-01, to: 2025-12-31}}
      - name: orders
        parent: {table: customers, count: {distribution: poisson, mean: 3}}
        primary_key: order_id
        columns:
          - {name: order_id, provider: uuid}
          - {name: customer_id, ref: customers.customer_id}
          - {name: customer_name, provider: person.full_name, of: parent}
          - {name: ordered_at, timestamp: {from: 2024-01-01, to: 2025-12-31}}
          - name: total
            range: {min: 1, max: 2000, decimals: 2, distribution: lognormal, median: 45, sigma: 0.9}
          - {name: status, choice: {values: [paid, shipped, refunded], weights: [60, 35, 5]}}

    """
}
