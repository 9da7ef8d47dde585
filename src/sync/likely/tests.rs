//! One test per rule of issue 9, through [`find`]: each normalisation, typos and dropped words
//! only when backed, the corroborating fields, and the look-alike businesses that must not be
//! flagged.

use super::*;

fn named(name: &str) -> Record<'_> {
    Record {
        name,
        ..Default::default()
    }
}

fn with_phone<'a>(name: &'a str, phone: &'a str) -> Record<'a> {
    Record {
        phone,
        ..named(name)
    }
}

/// The likely pair between one local and one QuickBooks customer: its score and reasons.
fn pair(local: Record<'_>, qb: Record<'_>) -> Option<(u8, String)> {
    let found = find(
        &[Candidate {
            id: "L",
            record: local,
        }],
        &[Candidate {
            id: "Q",
            record: qb,
        }],
    );
    assert!(found.len() <= 1);
    found
        .pairs()
        .first()
        .map(|p| (p.score.get(), p.reasons.to_string()))
}

fn reasons(local: Record<'_>, qb: Record<'_>) -> String {
    match pair(local, qb) {
        Some((_, r)) => r,
        None => panic!("not flagged: {local:?} / {qb:?}"),
    }
}

fn not_flagged(local: Record<'_>, qb: Record<'_>) {
    assert_eq!(pair(local, qb), None, "{local:?} / {qb:?}");
}

const PHONE: &str = "(312) 555-0100";

#[test]
fn the_issue_example() {
    assert_eq!(
        reasons(
            with_phone("Acme Supply, Inc.", PHONE),
            with_phone("Acme Supply Inc", "312-555-0100")
        ),
        "same phone; name differs only in punctuation"
    );
}

#[test]
fn accents_and_case() {
    assert_eq!(
        reasons(named("Café Zürich"), named("Cafe Zurich")),
        "name differs only in accents"
    );
    assert_eq!(
        reasons(named("ŁÓDŹ IMPORTS LLC"), named("Lodz Imports")),
        "name differs only in capitals, accents and legal suffix (Inc, LLC…)"
    );
}

#[test]
fn punctuation_and_apostrophes() {
    for (a, b) in [
        ("Joe's Diner", "Joes Diner"),
        ("O'Brien Roofing", "OBrien Roofing"),
        ("O’Brien Roofing", "O'Brien Roofing"),
        ("Prairie-Wind Farms", "Prairie Wind Farms"),
        ("A.B.C. Rentals", "ABC Rentals"),
    ] {
        assert_eq!(
            reasons(named(a), named(b)),
            "name differs only in punctuation",
            "{a} / {b}"
        );
    }
    assert_eq!(
        reasons(named("Acme  Supply"), named("Acme Supply")),
        "name differs only in spacing"
    );
}

#[test]
fn and_sign() {
    assert_eq!(
        reasons(
            named("Smith & Sons Hauling"),
            named("Smith and Sons Hauling")
        ),
        "name differs only in & for and"
    );
}

#[test]
fn abbreviations() {
    for (a, b) in [
        ("Main St Dental", "Main Street Dental"),
        ("Oak Rd Garage", "Oak Road Garage"),
        ("St. Mary's Clinic", "Saint Mary's Clinic"),
        ("Smith Bros Moving", "Smith Brothers Moving"),
    ] {
        let r = reasons(named(a), named(b));
        assert!(r.contains("abbreviations (St/Street)"), "{a} / {b}: {r}");
    }
    // "Co" at the end is a legal suffix, however it is read.
    assert_eq!(
        reasons(named("Hansen Co."), named("Hansen Company")),
        "name differs only in punctuation and legal suffix (Inc, LLC…)"
    );
}

#[test]
fn legal_suffixes() {
    for suffix in [
        "Inc",
        "LLC",
        "Ltd",
        "Corp",
        "PC",
        "P.C.",
        "Co.",
        "Incorporated",
    ] {
        let local = format!("Blue Ridge Landscaping {suffix}");
        let r = reasons(named(&local), named("Blue Ridge Landscaping"));
        assert!(r.contains("legal suffix"), "{suffix}: {r}");
    }
    assert_eq!(
        reasons(named("Acme Supply LLC"), named("Acme Supply Inc")),
        "name differs only in legal suffix (Inc, LLC…)"
    );
}

#[test]
fn leading_the() {
    assert_eq!(
        reasons(named("The Golden Spoon"), named("Golden Spoon")),
        "name differs only in a leading The"
    );
}

#[test]
fn last_first_is_first_last() {
    for (a, b) in [
        ("Example, Joe", "Joe Example"),
        ("Mike Smith", "Smith, Mike"),
    ] {
        assert_eq!(
            reasons(named(a), named(b)),
            "name differs only in order (Last, First)"
        );
    }
    // Without the comma, the same words in another order.
    assert_eq!(
        reasons(
            with_phone("Smith Mike", PHONE),
            with_phone("Mike Smith", PHONE)
        ),
        "same phone; name is the same words in another order"
    );
}

#[test]
fn joined_and_hyphenated_words() {
    assert_eq!(
        reasons(
            named("Brightpath Consulting"),
            named("Bright Path Consulting")
        ),
        "name differs only in words joined or split"
    );
    assert_eq!(
        reasons(named("Prairiewind Farms"), named("Prairie-Wind Farms")),
        "name differs only in punctuation and words joined or split"
    );
}

#[test]
fn typos_only_when_backed() {
    assert_eq!(
        reasons(
            with_phone("Acme Suply Company", PHONE),
            with_phone("Acme Supply Company", PHONE)
        ),
        "same phone; name differs by one letter"
    );
    assert_eq!(
        reasons(
            with_phone("Hernadnez Auto Reapir", PHONE),
            with_phone("Hernandez Auto Repair", PHONE)
        ),
        "same phone; name differs by 2 letters"
    );
    not_flagged(named("Acme Suply Company"), named("Acme Supply Company"));
    // A different phone does not back anything.
    not_flagged(
        with_phone("Acme Suply Company", PHONE),
        with_phone("Acme Supply Company", "(415) 555-0199"),
    );
}

#[test]
fn a_dropped_word_only_when_backed() {
    let email = |name| Record {
        email: "AP@smithplumbing.com",
        ..named(name)
    };
    assert_eq!(
        reasons(email("Smith Plumbing Services"), email("Smith Plumbing")),
        "same email; SMSTurbo's name has a word more ('svc')"
    );
    assert_eq!(
        reasons(
            email("Evergreen Tutoring"),
            email("Evergreen Peak Tutoring")
        ),
        "same email; QuickBooks' name has a word more ('peak')"
    );
    not_flagged(named("Smith Plumbing Services"), named("Smith Plumbing"));
}

#[test]
fn corroborating_fields_compare_as_written_differently() {
    let base = |phone, email, postal_code| Record {
        name: "Quiet Meadow Bakery",
        phone,
        email,
        postal_code,
        ..Default::default()
    };
    assert_eq!(
        reasons(
            base(
                "+1 (312) 555-0100 x12",
                "Orders@QuietMeadow.com",
                "62701-1234"
            ),
            base("312.555.0100", "orders@quietmeadow.com", "62701")
        ),
        "same phone; same email; same postal code; name is the same"
    );
    assert_eq!(
        reasons(
            base("(312) 555-0100", "a@x.com", "62701"),
            base("(312) 555-0199", "b@y.com", "62799")
        ),
        "name is the same; different phone, same area code; different email; \
         different postal code, same area"
    );
}

#[test]
fn look_alike_businesses_are_not_flagged() {
    let zip = |name| Record {
        postal_code: "68102",
        ..named(name)
    };
    // Sharing words, even in one postal code.
    not_flagged(zip("Smith Plumbing"), zip("Smith Electric"));
    not_flagged(zip("Smith Plumbing"), zip("Jones Plumbing"));
    not_flagged(zip("Northside Dental"), zip("Southside Dental"));
    not_flagged(zip("North Star Bakery"), zip("South Star Bakery"));
    not_flagged(zip("Eastwood Florist"), zip("Westwood Florist"));
    not_flagged(zip("Maple Street Painting"), zip("Maple Street Bakery"));
    // A bank and its branch in another state.
    not_flagged(
        Record {
            phone: "(402) 555-0100",
            postal_code: "68102",
            ..named("First National Bank")
        },
        Record {
            phone: "(303) 555-0142",
            postal_code: "80202",
            ..named("First National Bank of Omaha")
        },
    );
    // Numbers and generations tell apart, even with one phone.
    not_flagged(
        with_phone("Repair 2", PHONE),
        with_phone("Repair 10", PHONE),
    );
    not_flagged(
        with_phone("Acme Hardware #12", PHONE),
        with_phone("Acme Hardware #13", PHONE),
    );
    not_flagged(
        with_phone("Robert Brown Jr", PHONE),
        with_phone("Robert Brown Sr", PHONE),
    );
    // A shared switchboard is not a duplicate when the names are not alike.
    let office = |name| Record {
        phone: PHONE,
        email: "leasing@oakmgmt.com",
        ..named(name)
    };
    not_flagged(office("Oak Ridge Apartments"), office("Elm Street Storage"));
    // Household members share a surname, phone and postal code.
    not_flagged(
        Record {
            postal_code: "68102",
            ..with_phone("Mary Smith", PHONE)
        },
        Record {
            postal_code: "68102",
            ..with_phone("John Smith", PHONE)
        },
    );
}

#[test]
fn short_words_are_not_typos() {
    not_flagged(
        with_phone("Acme Tools", PHONE),
        with_phone("Acne Tools", "(415) 555-0199"),
    );
}

#[test]
fn other_names_of_a_customer_count() {
    let local = Record {
        name: "ACME-001",
        company: "Acme Supply, Inc.",
        ..Default::default()
    };
    assert_eq!(
        reasons(local, named("Acme Supply")),
        "SMSTurbo's company name and QuickBooks' name differ only in punctuation and legal \
         suffix (Inc, LLC…)"
    );
    let person = Record {
        name: "J. Smith (account 55)",
        first_name: "John",
        last_name: "Smith",
        phone: PHONE,
        ..Default::default()
    };
    assert_eq!(
        reasons(person, with_phone("Smith, John", PHONE)),
        "same phone; SMSTurbo's first and last name and QuickBooks' name differ only in order \
         (Last, First)"
    );
}

#[test]
fn the_quickbooks_name_override_is_compared() {
    let mut c = crate::store::Customer::new(
        "C1",
        "A very long SMSTurbo name QuickBooks would refuse",
        crate::store::CustomerStatus::Active,
    );
    c.qb_name = Some("Long Name Co".into());
    let r = reasons(Record::from_customer(&c), named("Long Name Company"));
    assert!(
        r.starts_with("SMSTurbo's QuickBooks name and QuickBooks' name"),
        "{r}"
    );
}

#[test]
fn every_candidate_is_kept_best_first_and_seen_from_both_sides() {
    let locals = [
        Candidate {
            id: "C1",
            record: with_phone("Acme Supply, Inc.", PHONE),
        },
        Candidate {
            id: "C2",
            record: named("Unrelated Bakery"),
        },
    ];
    let qbs = [
        Candidate {
            id: ("80000001-1", 7),
            record: named("Acme Supply"),
        },
        Candidate {
            id: ("80000002-1", 8),
            record: with_phone("ACME SUPPLY INC", PHONE),
        },
    ];
    let found = find(&locals, &qbs);
    assert_eq!(found.len(), 2);
    let mine: Vec<_> = found.for_local(0).iter().map(|p| p.qb.0).collect();
    // The one with the same phone first.
    assert_eq!(mine, ["80000002-1", "80000001-1"]);
    assert!(found.for_local(0)[0].score > found.for_local(0)[1].score);
    assert!(found.for_local(1).is_empty());
    for q in 0..2 {
        let theirs: Vec<_> = found.for_qb(q).map(|p| (p.local, p.qb_index)).collect();
        assert_eq!(theirs, [("C1", q)]);
    }
    assert_eq!(found.for_qb(5).count(), 0);
    assert!(found.for_local(9).is_empty());
}

#[test]
fn nothing_to_compare() {
    let none: [Candidate<'_, u32>; 0] = [];
    assert!(find(&none, &none).is_empty());
    let blank = [Candidate {
        id: 1u32,
        record: Record::default(),
    }];
    assert!(find(&blank, &blank).is_empty());
}
