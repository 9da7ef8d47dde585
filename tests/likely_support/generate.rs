//! Generated customers for tuning and testing the likely-duplicate search (issue 9):
//! deterministic for a seed, and independent of custsync itself (plain strings), so the same
//! file serves the crate's quality tests and the benchmark.
//!
//! **Duplicates** are one customer entered twice, once on each side, the second time written
//! differently. Each case applies one change to the name — punctuation, accents, legal suffix,
//! "Last, First", an abbreviation, `&`/and, a leading The, words joined or split, a plural,
//! spacing inside the name, word order, a typo of one or two letters, a word dropped or added,
//! or capitals together with punctuation and a legal suffix — with frequencies in
//! [`DUPLICATE_KINDS`]. (Capitals or surrounding spaces alone never reach the search: the exact
//! name rule already pairs those.) The phone, email
//! and postal code of the second entry are, independently: the same, the same written
//! differently (phone punctuation and country code, email case, ZIP+4), blank on one side, or
//! different (a new number, a moved customer: mostly in the same area code and ZIP prefix); see
//! [`Generator::contact_variant`].
//!
//! **Look-alikes** are two different customers whose names resemble each other the ways real
//! lists do ([`LOOKALIKE_KINDS`]): the same surname in another trade (Smith Plumbing / Smith
//! Electric), another owner in the same trade, North/South and East/West pairs, a bank and its
//! branch in another state (First National Bank / First National Bank of Omaha), numbered
//! stores, common business names used by unrelated businesses in other cities (Joe's Pizza /
//! Joes Pizza LLC), businesses on the same street (same ZIP), neighbours with names a letter apart,
//! members of one household (same surname, phone and ZIP), sister businesses run from one office
//! (same phone and email), chains in other cities, namesakes (the same person name, another
//! person), Jr/Sr, and short names a letter apart. Their contact fields overlap as such
//! customers' do (noted per kind), and they are mostly in the same town — except the kinds that
//! are by definition elsewhere (branches, chains, common names), which are in other towns.

#![allow(dead_code)]

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::collections::HashSet;

/// One customer's fields, as either side would hold them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields {
    pub name: String,
    pub company: String,
    pub first: String,
    pub last: String,
    pub phone: String,
    pub email: String,
    pub postal: String,
}

/// Two customers, one on each side, and whether they are one customer.
#[derive(Clone, Debug)]
pub struct Case {
    pub kind: &'static str,
    pub duplicate: bool,
    pub local: Fields,
    pub qb: Fields,
}

/// How often each kind of duplicate is generated (relative weights).
pub const DUPLICATE_KINDS: &[(&str, u32)] = &[
    ("punctuation", 12),
    ("accents", 6),
    ("legal suffix", 12),
    ("last, first", 10),
    ("abbreviation", 8),
    ("& / and", 5),
    ("leading the", 4),
    ("joined words", 6),
    ("plural", 3),
    ("spacing", 2),
    ("word order", 3),
    ("typo 1", 9),
    ("typo 2", 4),
    ("dropped word", 5),
    ("added word", 4),
    ("two changes", 12),
];

/// How often each kind of look-alike is generated (relative weights).
pub const LOOKALIKE_KINDS: &[(&str, u32)] = &[
    ("other trade", 10),
    ("other owner", 10),
    ("north/south", 8),
    ("branch elsewhere", 6),
    ("same name elsewhere", 6),
    ("numbered", 8),
    ("same street", 8),
    ("neighbour names", 8),
    ("household", 8),
    ("sister businesses", 8),
    ("chain other city", 8),
    ("namesake", 6),
    ("jr/sr", 5),
    ("short names", 7),
];

const FIRST: &[&str] = &[
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Nancy",
    "Matthew",
    "Lisa",
    "Anthony",
    "Betty",
    "Mark",
    "Margaret",
    "Donald",
    "Sandra",
    "Steven",
    "Ashley",
    "Paul",
    "Kimberly",
    "Andrew",
    "Emily",
    "Joshua",
    "Donna",
    "Kenneth",
    "Michelle",
    "Kevin",
    "Carol",
    "Brian",
    "Amanda",
    "George",
    "Melissa",
    "Timothy",
    "Deborah",
    "Ronald",
    "Stephanie",
    "Edward",
    "Rebecca",
    "Jason",
    "Laura",
    "Jeffrey",
    "Sharon",
    "Ryan",
    "Cynthia",
    "Jacob",
    "Kathleen",
    "Gary",
    "Amy",
    "Nicholas",
    "Angela",
    "Eric",
    "Shirley",
    "Jonathan",
    "Anna",
    "Stephen",
    "Brenda",
    "Larry",
    "Pamela",
];

const LAST: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Gomez",
    "Phillips",
    "Evans",
    "Turner",
    "Diaz",
    "Parker",
    "Cruz",
    "Edwards",
    "Collins",
    "Reyes",
    "Stewart",
    "Morris",
    "Morales",
    "Murphy",
    "Cook",
    "Rogers",
    "Gutierrez",
    "Ortiz",
    "Morgan",
    "Cooper",
    "Peterson",
    "Bailey",
    "Reed",
    "Kelly",
    "Howard",
    "Ramos",
    "Kim",
    "Cox",
    "Ward",
    "Richardson",
    "Watson",
    "Brooks",
    "Chavez",
    "Wood",
    "James",
    "Bennett",
    "Gray",
    "Mendoza",
    "Ruiz",
    "Hughes",
    "Price",
    "Alvarez",
    "Castillo",
    "Sanders",
    "Patel",
    "Myers",
    "Long",
    "Ross",
    "Foster",
    "Jimenez",
    "Hansen",
    "Jensen",
    "Larsen",
    "Olsen",
    "Fischer",
    "Weber",
    "Becker",
    "Schultz",
    "Keller",
    "Novak",
];

const TRADES: &[&str] = &[
    "Plumbing",
    "Electric",
    "Dental",
    "Bakery",
    "Landscaping",
    "Auto Repair",
    "Roofing",
    "Consulting",
    "Insurance",
    "Realty",
    "Accounting",
    "Catering",
    "Florist",
    "Hardware",
    "Pharmacy",
    "Veterinary Clinic",
    "Pizza",
    "Diner",
    "Cleaning",
    "Heating",
    "Construction",
    "Printing",
    "Photography",
    "Tailoring",
    "Fitness",
    "Daycare",
    "Salon",
    "Barbershop",
    "Pest Control",
    "Moving",
    "Towing",
    "Glass",
    "Carpet",
    "Furniture",
    "Pool Supply",
    "Garden Center",
    "Optometry",
    "Chiropractic",
    "Machine Shop",
    "Welding",
    "Masonry",
    "Painting",
    "Flooring",
    "Locksmith",
    "Appliance Repair",
    "Tire",
    "Signs",
    "Graphics",
    "Bookkeeping",
    "Law Office",
    "Tutoring",
    "Music",
    "Framing",
    "Upholstery",
    "Kennels",
];

const ADJECTIVES: &[&str] = &[
    "Blue",
    "Golden",
    "Silver",
    "Green",
    "Red",
    "Sunny",
    "Bright",
    "Quiet",
    "Happy",
    "Royal",
    "Grand",
    "Prime",
    "Pioneer",
    "Summit",
    "Liberty",
    "Heritage",
    "Coastal",
    "Rocky",
    "Maple",
    "Cedar",
    "Willow",
    "Evergreen",
    "Crystal",
    "Eagle",
    "Falcon",
    "Harvest",
    "Orchard",
    "Granite",
    "Copper",
    "Iron",
    "Valley",
    "Meadow",
    "Sterling",
    "Premier",
    "Classic",
    "Allied",
    "United",
];

const NOUNS: &[&str] = &[
    "Ridge", "River", "Lake", "Harbor", "Star", "Stone", "Bridge", "Creek", "Hill", "Field",
    "Grove", "Point", "Peak", "Springs", "Bay", "Crest", "Trail", "Garden", "Mill", "Forge",
    "Haven", "Hollow", "Canyon", "Prairie", "Pines", "Oaks", "Brook", "Glen", "Shore", "Rock",
];

/// Words written joined or apart: (first, second).
const COMPOUNDS: &[(&str, &str)] = &[
    ("Bright", "Path"),
    ("Sun", "Valley"),
    ("Prairie", "Wind"),
    ("Blue", "Bird"),
    ("Stone", "Bridge"),
    ("Oak", "Wood"),
    ("River", "Bend"),
    ("Green", "Leaf"),
    ("Clear", "Water"),
    ("High", "Point"),
    ("Silver", "Line"),
    ("Fire", "Fly"),
    ("Red", "Wing"),
    ("Cross", "Roads"),
    ("Key", "Stone"),
    ("Sea", "Side"),
];

/// Names with letters outside ASCII, and their plain spelling.
const ACCENTED: &[(&str, &str)] = &[
    ("Café Zürich", "Cafe Zurich"),
    ("Müller Bakery", "Muller Bakery"),
    ("Łódź Imports", "Lodz Imports"),
    ("José's Tacos", "Jose's Tacos"),
    ("François Dubé", "Francois Dube"),
    ("Søren Ångström", "Soren Angstrom"),
    ("Crème de la Crème", "Creme de la Creme"),
    ("Zoë Brontë", "Zoe Bronte"),
    ("Peña Landscaping", "Pena Landscaping"),
    ("Dvořák Music", "Dvorak Music"),
    ("Gößmann Werkzeug", "Gossmann Werkzeug"),
    ("Ærø Trading", "Aero Trading"),
    ("Bjørn Halvorsen", "Bjorn Halvorsen"),
    ("Renée Côté", "Renee Cote"),
    ("Núñez Auto Repair", "Nunez Auto Repair"),
    ("Château Wines", "Chateau Wines"),
    ("Škoda Parts", "Skoda Parts"),
    ("Ólafur Jónsson", "Olafur Jonsson"),
    ("Größe Möbel", "Grosse Mobel"),
    ("Piñata Party Supply", "Pinata Party Supply"),
];

/// (long, short) abbreviations as they appear in names.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("Street", "St"),
    ("Street", "St."),
    ("Saint", "St."),
    ("Road", "Rd"),
    ("Avenue", "Ave"),
    ("Company", "Co."),
    ("Brothers", "Bros"),
    ("Mountain", "Mtn"),
    ("Services", "Svcs"),
    ("Associates", "Assoc."),
    ("International", "Intl"),
    ("Manufacturing", "Mfg"),
    ("Center", "Ctr"),
    ("Boulevard", "Blvd"),
];

const LEGAL: &[&str] = &[
    "Inc",
    "Inc.",
    ", Inc.",
    "LLC",
    ", LLC",
    "L.L.C.",
    "Ltd",
    "Corp",
    "Corp.",
    "Co.",
    "P.C.",
    "PC",
    "Incorporated",
    "Company",
    "Corporation",
    "Limited",
];

const STREETS: &[&str] = &[
    "Main", "Oak", "Elm", "Maple", "Cedar", "Pine", "Park", "Lake", "Hill", "Church", "Market",
    "Front", "Water", "Mill", "Spring", "Union", "Bridge", "Center", "Court", "River",
];

const PLACES: &[&str] = &[
    "Springfield",
    "Riverside",
    "Fairview",
    "Lakewood",
    "Greenville",
    "Franklin",
    "Clinton",
    "Madison",
    "Georgetown",
    "Salem",
    "Arlington",
    "Ashland",
    "Burlington",
    "Dayton",
    "Dover",
    "Hudson",
    "Kingston",
    "Lebanon",
    "Milford",
    "Newport",
    "Oxford",
    "Quincy",
    "Richmond",
    "Shelby",
    "Troy",
    "Auburn",
    "Bristol",
    "Camden",
    "Denton",
    "Easton",
];

/// A city, its ZIP prefix and its area code.
type City = (&'static str, &'static str, &'static str);

/// Where customers are; a chain's branches are in different ones.
const CITIES: &[City] = &[
    ("Omaha", "681", "402"),
    ("Denver", "802", "303"),
    ("Boulder", "803", "720"),
    ("Aurora", "800", "720"),
    ("Springfield", "627", "217"),
    ("Madison", "537", "608"),
    ("Tucson", "857", "520"),
    ("Savannah", "314", "912"),
    ("Portland", "972", "503"),
    ("Burlington", "054", "802"),
    ("Greenville", "296", "864"),
    ("Riverside", "925", "951"),
];

const CHAINS: &[&str] = &[
    "Great Clips",
    "Ace Hardware",
    "Jiffy Lube",
    "Sherwin Williams",
    "Culligan Water",
    "Servpro",
    "Midas",
    "Snap Fitness",
    "Kumon",
    "Sylvan Learning",
    "Budget Blinds",
    "Mr Rooter",
    "Molly Maid",
    "Anytime Fitness",
    "Sport Clips",
];

const EMAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "aol.com",
    "comcast.net",
];

/// Short words one letter apart, which with the same trade make different businesses.
const SHORT_PAIRS: &[(&str, &str)] = &[
    ("Apex", "Ajax"),
    ("Bell", "Ball"),
    ("Star", "Stag"),
    ("Lane", "Lake"),
    ("Hart", "Hurt"),
    ("Wood", "Word"),
    ("Bold", "Gold"),
    ("Mane", "Main"),
    ("Rose", "Rise"),
    ("Peak", "Peck"),
    ("Reed", "Reid"),
    ("Best", "Bust"),
    ("Pine", "Dine"),
    ("Hale", "Hall"),
    ("Cole", "Cale"),
    ("Dale", "Dole"),
    ("Park", "Pork"),
    ("Bay", "Ray"),
    ("Fox", "Fix"),
    ("Oak", "Oat"),
];

/// Surnames spelled differently by different families.
const SURNAME_VARIANTS: &[(&str, &str)] = &[
    ("Clark", "Clarke"),
    ("Jensen", "Jenson"),
    ("Petersen", "Peterson"),
    ("Hansen", "Hanson"),
    ("Larsen", "Larson"),
    ("Olsen", "Olson"),
    ("Nielsen", "Nielson"),
    ("Smith", "Smyth"),
    ("Thomson", "Thompson"),
    ("Reid", "Reed"),
    ("Brown", "Browne"),
    ("Philips", "Phillips"),
    ("Mathews", "Matthews"),
    ("Cohen", "Cohn"),
    ("Meyer", "Meier"),
    ("Schmidt", "Schmitt"),
    ("Fischer", "Fisher"),
    ("Steward", "Stewart"),
    ("Carlsen", "Carlson"),
    ("Anderson", "Andersen"),
];

/// First names that are different people's, one letter apart.
const FIRST_NAME_VARIANTS: &[(&str, &str)] = &[
    ("Sara", "Sarah"),
    ("Jon", "John"),
    ("Ann", "Anne"),
    ("Mark", "Marc"),
    ("Carl", "Karl"),
    ("Eric", "Erik"),
    ("Brian", "Bryan"),
    ("Alan", "Allan"),
    ("Jeffrey", "Jeffery"),
    ("Kristen", "Kirsten"),
    ("Carol", "Carole"),
    ("Louis", "Louise"),
    ("Daniel", "Danielle"),
    ("Gail", "Gale"),
    ("Marion", "Marian"),
    ("Frances", "Francis"),
    ("Philip", "Phillip"),
    ("Rebecca", "Rebekah"),
];

/// Banks and credit unions: the same name in many towns.
const BANK_WORDS: &[&str] = &[
    "First",
    "Farmers",
    "Citizens",
    "Peoples",
    "Community",
    "Security",
    "Heritage",
    "Pioneer",
    "Valley",
    "Union",
    "Commerce",
    "Liberty",
    "American",
    "Guaranty",
    "Merchants",
];
const BANK_KINDS: &[&str] = &[
    "National Bank",
    "State Bank",
    "Savings Bank",
    "Credit Union",
    "Trust",
    "Bank & Trust",
];

/// Business names so common that unrelated businesses in different towns carry them.
const COMMON_NAMES: &[&str] = &[
    "Joe's Pizza",
    "ABC Plumbing",
    "Main Street Cafe",
    "City Cleaners",
    "Quality Auto Repair",
    "Family Dental",
    "Golden Dragon Restaurant",
    "China Garden",
    "Elite Fitness",
    "Premier Realty",
    "Royal Nails",
    "Lucky Star Buffet",
    "Pro Cleaning Services",
    "Budget Auto Sales",
    "Hometown Pharmacy",
    "Country Kitchen",
    "Village Hardware",
    "Sunrise Bakery",
    "All Star Roofing",
    "Express Lube",
    "Precision Machining",
    "Mike's Towing",
    "Tony's Barbershop",
    "Green Thumb Landscaping",
    "Happy Paws Grooming",
    "Little Angels Daycare",
    "Blue Sky Painting",
    "Top Notch Flooring",
    "Prestige Cleaners",
    "Classic Cuts",
    "Sunshine Cleaning",
    "Rainbow Daycare",
    "Paradise Nails",
    "Evergreen Tree Service",
    "Pacific Plumbing",
    "Atlas Moving",
    "Summit Chiropractic",
    "Anchor Insurance",
];

/// Direction words that make twin businesses.
const DIRECTIONS: &[(&str, &str)] = &[
    ("Northside", "Southside"),
    ("North Star", "South Star"),
    ("East End", "West End"),
    ("Eastwood", "Westwood"),
    ("Northgate", "Southgate"),
    ("Uptown", "Downtown"),
    ("North Shore", "South Shore"),
    ("Upper Valley", "Lower Valley"),
];

pub struct Generator {
    rng: Xoshiro256PlusPlus,
    taken: HashSet<String>,
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        Generator {
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            taken: HashSet::new(),
        }
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.random_range(0..items.len())]
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.rng.random_range(0..100) < percent
    }

    fn weighted(&mut self, kinds: &[(&'static str, u32)]) -> &'static str {
        let total: u32 = kinds.iter().map(|k| k.1).sum();
        let mut r = self.rng.random_range(0..total);
        for &(k, w) in kinds {
            if r < w {
                return k;
            }
            r -= w;
        }
        kinds[0].0
    }

    /// `name` if no earlier customer had it (ignoring case), else `None`.
    fn claim(&mut self, name: String) -> Option<String> {
        self.taken.insert(name.to_lowercase()).then_some(name)
    }

    /// A fresh name from `make`, trying a few times before qualifying it with a place.
    fn unique(&mut self, make: impl Fn(&mut Generator) -> String) -> String {
        for _ in 0..20 {
            let name = make(self);
            if let Some(n) = self.claim(name) {
                return n;
            }
        }
        loop {
            let name = format!("{} {}", make(self), self.pick(PLACES));
            if let Some(n) = self.claim(name) {
                return n;
            }
        }
    }

    fn phone(&mut self, area: &str) -> String {
        format!(
            "({area}) {}-{:04}",
            self.rng.random_range(200..1000u32),
            self.rng.random_range(0..10_000u32)
        )
    }

    fn city(&mut self) -> City {
        self.pick(CITIES)
    }

    fn zip(&mut self, prefix: &str) -> String {
        format!("{prefix}{:02}", self.rng.random_range(0..100u32))
    }

    fn email_for(&mut self, name: &str) -> String {
        let local: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(12)
            .collect::<String>()
            .to_lowercase();
        let domain = self.pick(EMAIL_DOMAINS);
        format!("{local}{}@{domain}", self.rng.random_range(1..100u32))
    }

    /// Contact fields for a customer named `name` in a random city.
    fn contact(&mut self, f: &mut Fields) -> City {
        let city = self.city();
        self.contact_in(f, city);
        city
    }

    /// Contact fields for a customer named `name` in `city`.
    fn contact_in(&mut self, f: &mut Fields, (_, zip, area): City) {
        f.phone = self.phone(area);
        f.postal = self.zip(zip);
        f.email = self.email_for(&f.name.clone());
    }

    fn business_name(&mut self) -> String {
        match self.rng.random_range(0..6) {
            0 | 1 => format!("{} {}", self.pick(LAST), self.pick(TRADES)),
            2 => format!(
                "{} {} {}",
                self.pick(ADJECTIVES),
                self.pick(NOUNS),
                self.pick(TRADES)
            ),
            3 => format!("{} {}", self.pick(PLACES), self.pick(TRADES)),
            4 => format!("{}'s {}", self.pick(FIRST), self.pick(TRADES)),
            _ => format!("{} & {}", self.pick(LAST), self.pick(LAST)),
        }
    }

    fn with_legal(&mut self, name: String) -> String {
        if self.chance(45) {
            attach(&name, self.pick(LEGAL))
        } else {
            name
        }
    }

    /// A customer: a business (70%) or a person. Person names are "First Last" with the first
    /// and last name fields filled; a business's company name is its name half the time.
    pub fn customer(&mut self) -> Fields {
        let mut f = Fields::default();
        if self.chance(30) {
            let (first, last) = loop {
                let (first, last) = (self.pick(FIRST), self.pick(LAST));
                if self.claim(format!("{first} {last}")).is_some() {
                    break (first.to_string(), last.to_string());
                }
                if self.taken.len() > FIRST.len() * LAST.len() / 2 {
                    // Plenty of people share a name: add a middle initial.
                    let initial = char::from(b'A' + self.rng.random_range(0..26u8));
                    break (format!("{first} {initial}."), last.to_string());
                }
            };
            f.name = format!("{first} {last}");
            f.first = first;
            f.last = last;
        } else {
            let base = self.unique(Generator::business_name);
            f.name = self.with_legal(base);
            if self.chance(50) {
                f.company = f.name.clone();
            }
        }
        self.contact(&mut f);
        f
    }

    /// One customer entered on both sides, the second entry written differently.
    pub fn duplicate(&mut self) -> Case {
        let kind = self.weighted(DUPLICATE_KINDS);
        let (a, b) = self.name_variant(kind);
        // Both spellings are this customer's: no other case may use them.
        self.claim(a.clone());
        self.claim(b.clone());
        let mut local = Fields {
            name: a,
            ..Default::default()
        };
        let city = self.contact(&mut local);
        let mut qb = self.contact_variant(&local, city);
        qb.name = b;
        for f in [&mut local, &mut qb] {
            fill_person_fields(f);
            if f.first.is_empty() && self.chance(50) {
                f.company = f.name.clone();
            }
        }
        // Which side holds the variant does not matter; swap half of them.
        if self.chance(50) {
            std::mem::swap(&mut local, &mut qb);
        }
        Case {
            kind,
            duplicate: true,
            local,
            qb,
        }
    }

    /// The second entry's contact fields: each the same (or the same written differently),
    /// blank on one side, or different — a new number mostly in the same area code, a new
    /// address mostly in the same area (ZIP prefix), as customers move and change numbers.
    fn contact_variant(&mut self, a: &Fields, (_, zip, area): City) -> Fields {
        let mut b = a.clone();
        let (_, other_zip, other_area) = self.city();
        b.phone = match self.rng.random_range(0..100) {
            0..35 => a.phone.clone(),
            35..60 => reformat_phone(&a.phone, self.rng.random_range(0..4)),
            60..85 => String::new(),
            _ if self.chance(75) => self.phone(area),
            _ => self.phone(other_area),
        };
        b.email = match self.rng.random_range(0..100) {
            0..40 => a.email.clone(),
            40..50 => a.email.to_uppercase(),
            50..85 => String::new(),
            _ => self.email_for(&a.name),
        };
        b.postal = match self.rng.random_range(0..100) {
            0..55 => a.postal.clone(),
            55..65 => format!("{}-{:04}", a.postal, self.rng.random_range(0..10_000u32)),
            65..85 => String::new(),
            _ if self.chance(80) => self.zip(zip),
            _ => self.zip(other_zip),
        };
        b
    }

    /// Two spellings of one name, changed as `kind` says.
    fn name_variant(&mut self, kind: &str) -> (String, String) {
        match kind {
            "punctuation" => {
                let base = self.business_or_person();
                (base.clone(), self.punctuate(&base))
            }
            "accents" => {
                let (accented, plain) = self.pick(ACCENTED);
                let tail = self.unique_tail(plain);
                (format!("{accented}{tail}"), format!("{plain}{tail}"))
            }
            "legal suffix" => {
                let base = self.unique(Generator::business_name);
                let a = attach(&base, self.pick(LEGAL));
                let b = if self.chance(40) {
                    base
                } else {
                    attach(&base, self.pick(LEGAL))
                };
                (a, b)
            }
            "last, first" => {
                let (first, last) = self.person();
                (format!("{first} {last}"), format!("{last}, {first}"))
            }
            "abbreviation" => {
                let (long, short) = self.pick(ABBREVIATIONS);
                let base = self.unique(|g| match long {
                    "Street" | "Road" | "Avenue" | "Boulevard" => {
                        format!("{} {long} {}", g.pick(STREETS), g.pick(TRADES))
                    }
                    "Saint" => format!("{long} {} {}", g.pick(FIRST), g.pick(TRADES)),
                    "Brothers" | "Associates" | "Company" => {
                        format!("{} {long}", g.pick(LAST))
                    }
                    _ => format!("{} {long} {}", g.pick(LAST), g.pick(TRADES)),
                });
                (base.clone(), replace_word(&base, long, short))
            }
            "& / and" => {
                let base = self
                    .unique(|g| format!("{} & {} {}", g.pick(LAST), g.pick(LAST), g.pick(TRADES)));
                (base.clone(), base.replace(" & ", " and "))
            }
            "leading the" => {
                let base = self.unique(|g| {
                    format!(
                        "{} {} {}",
                        g.pick(ADJECTIVES),
                        g.pick(NOUNS),
                        g.pick(TRADES)
                    )
                });
                (format!("The {base}"), base)
            }
            "joined words" => {
                let (x, y) = self.pick(COMPOUNDS);
                let tail = self.unique_tail(&format!("{x} {y}"));
                let joined = format!("{x}{}{tail}", y.to_lowercase());
                let apart = if self.chance(50) {
                    format!("{x} {y}{tail}")
                } else {
                    format!("{x}-{y}{tail}")
                };
                (joined, apart)
            }
            "plural" => {
                let base = self.unique(|g| {
                    format!(
                        "{} {}",
                        g.pick(LAST),
                        g.pick(&["Supply", "Tool", "Part", "Product", "Service"])
                    )
                });
                (
                    base.clone(),
                    format!("{}s", base).replace("Supplys", "Supplies"),
                )
            }
            "spacing" => {
                let base = self.unique(Generator::business_name);
                (base.clone(), base.replacen(' ', "  ", 1))
            }
            "word order" => {
                let (first, last) = self.person();
                (format!("{first} {last}"), format!("{last} {first}"))
            }
            "typo 1" | "typo 2" => {
                let base = self.business_or_person();
                let edits = if kind == "typo 1" { 1 } else { 2 };
                let typo = self.typo(&base, edits);
                (base, typo)
            }
            "dropped word" | "added word" => {
                // Mostly a word saying what kind of business it is; sometimes one of its own.
                let (long, short) = if self.chance(70) {
                    let long = self.unique(|g| {
                        let kind = g.pick(&[
                            "Services",
                            "Group",
                            "Solutions",
                            "Works",
                            "Supply",
                            "Center",
                        ]);
                        format!("{} {} {kind}", g.pick(LAST), g.pick(TRADES))
                    });
                    let words: Vec<&str> = long.split(' ').collect();
                    let short = words[..words.len() - 1].join(" ");
                    (long, short)
                } else {
                    let (adjective, noun, trade) =
                        (self.pick(ADJECTIVES), self.pick(NOUNS), self.pick(TRADES));
                    let long = self.unique(|_| format!("{adjective} {noun} {trade}"));
                    let short = long.replacen(&format!("{adjective} "), "", 1);
                    (long, short)
                };
                if kind == "dropped word" {
                    (long, short)
                } else {
                    (short, long)
                }
            }
            _ => {
                // Two normalising changes at once.
                let base = self.unique(Generator::business_name);
                let a = attach(&base, self.pick(LEGAL));
                let b = self.punctuate(&base).to_uppercase();
                (a, b)
            }
        }
    }

    fn business_or_person(&mut self) -> String {
        if self.chance(30) {
            let (first, last) = self.person();
            format!("{first} {last}")
        } else {
            let base = self.unique(Generator::business_name);
            self.with_legal(base)
        }
    }

    fn person(&mut self) -> (String, String) {
        loop {
            let (first, last) = (self.pick(FIRST), self.pick(LAST));
            if self.claim(format!("{first} {last}")).is_some() {
                return (first.into(), last.into());
            }
            if self.taken.len() > 3 * FIRST.len() * LAST.len() / 4 {
                let initial = char::from(b'A' + self.rng.random_range(0..26u8));
                return (format!("{first} {initial}."), last.into());
            }
        }
    }

    /// A trade (and, when those run out, a place) making `head` a name no case has used.
    fn unique_tail(&mut self, head: &str) -> String {
        for _ in 0..50 {
            let tail = format!(" {}", self.pick(TRADES));
            if self.claim(format!("{head}{tail}")).is_some() {
                return tail;
            }
        }
        let tail = self.unique(|g| format!(" {} {}", g.pick(TRADES), g.pick(PLACES)));
        self.claim(format!("{head}{tail}"));
        tail
    }

    /// `name` with its punctuation changed as people do: an apostrophe left out, a comma before
    /// the legal suffix, a full stop after it, `&` written without spaces, a hyphen between
    /// two words.
    fn punctuate(&mut self, name: &str) -> String {
        let legal_at_end = LEGAL
            .iter()
            .filter(|l| !l.starts_with(',') && !l.ends_with('.'))
            .find(|l| name.ends_with(&format!(" {l}")));
        match self.rng.random_range(0..4) {
            _ if name.contains('\'') => name.replace('\'', ""),
            _ if name.contains(" & ") => name.replace(" & ", "&"),
            0 | 1 if legal_at_end.is_some() => {
                let l = legal_at_end.map_or(0, |l| l.len());
                format!(
                    "{}, {}.",
                    &name[..name.len() - l - 1],
                    &name[name.len() - l..]
                )
            }
            0 | 1 => format!("{name}."),
            _ => name.replacen(' ', "-", 1),
        }
    }

    /// `name` with `edits` typing mistakes in its letters (not its first letter, which people
    /// rarely get wrong): a letter replaced, dropped, doubled or two swapped.
    fn typo(&mut self, name: &str, edits: usize) -> String {
        let mut chars: Vec<char> = name.chars().collect();
        let mut done = 0;
        let mut tries = 0;
        while done < edits && tries < 100 {
            tries += 1;
            let i = self.rng.random_range(1..chars.len());
            if !chars[i].is_ascii_lowercase() || !chars[i - 1].is_ascii_alphabetic() {
                continue;
            }
            match self.rng.random_range(0..4) {
                0 => {
                    let c = char::from(b'a' + self.rng.random_range(0..26u8));
                    if c == chars[i] {
                        continue;
                    }
                    chars[i] = c;
                }
                1 => {
                    chars.remove(i);
                }
                2 => chars.insert(i, chars[i]),
                _ => {
                    if i + 1 >= chars.len()
                        || !chars[i + 1].is_ascii_lowercase()
                        || chars[i] == chars[i + 1]
                    {
                        continue;
                    }
                    chars.swap(i, i + 1);
                }
            }
            done += 1;
        }
        chars.into_iter().collect()
    }

    /// Two different customers whose names look alike, with contact fields overlapping as such
    /// customers' do.
    pub fn lookalike(&mut self) -> Case {
        let kind = self.weighted(LOOKALIKE_KINDS);
        let mut a = Fields::default();
        let mut b = Fields::default();
        // Names no other case has (a few kinds have few names: after some tries, take what
        // comes).
        let mut shares = (0, 0, 0);
        for _ in 0..50 {
            shares = self.lookalike_names(kind, &mut a, &mut b);
            if !self.taken.contains(&a.name.to_lowercase())
                && !self.taken.contains(&b.name.to_lowercase())
            {
                break;
            }
        }
        self.claim(a.name.clone());
        self.claim(b.name.clone());
        let (phone, email, postal) = shares;
        // Businesses alike by name but not in other towns are mostly in the same town.
        let elsewhere = matches!(
            kind,
            "branch elsewhere" | "same name elsewhere" | "chain other city"
        );
        let city = self.contact(&mut a);
        let other = if elsewhere {
            loop {
                let c = self.city();
                if c != city {
                    break c;
                }
            }
        } else if self.chance(80) {
            city
        } else {
            self.city()
        };
        self.contact_in(&mut b, other);
        if self.chance(phone) {
            b.phone = reformat_phone(&a.phone, self.rng.random_range(0..4));
        }
        if self.chance(email) {
            b.email = a.email.clone();
        }
        if self.chance(postal) {
            b.postal = a.postal.clone();
        }
        // Some fields are blank, as in real lists.
        for f in [&mut a, &mut b] {
            for (field, blank) in [(&mut f.phone, 15), (&mut f.email, 35), (&mut f.postal, 15)] {
                if self.rng.random_range(0..100) < blank {
                    field.clear();
                }
            }
            fill_person_fields(f);
        }
        if self.chance(50) {
            std::mem::swap(&mut a, &mut b);
        }
        Case {
            kind,
            duplicate: false,
            local: a,
            qb: b,
        }
    }

    /// The names of a look-alike pair of `kind`; returns the percent chances that the two share
    /// their phone, email and postal code.
    fn lookalike_names(&mut self, kind: &str, a: &mut Fields, b: &mut Fields) -> (u32, u32, u32) {
        match kind {
            "other trade" => {
                let last = self.pick(LAST);
                let (t1, t2) = self.two(TRADES);
                a.name = format!("{last} {t1}");
                b.name = format!("{last} {t2}");
                (5, 0, 30)
            }
            "other owner" => {
                let (l1, l2) = self.two(LAST);
                let trade = self.pick(TRADES);
                a.name = format!("{l1} {trade}");
                b.name = format!("{l2} {trade}");
                (0, 0, 30)
            }
            "north/south" => {
                let (x, y) = self.pick(DIRECTIONS);
                let trade = self.pick(TRADES);
                a.name = format!("{x} {trade}");
                b.name = format!("{y} {trade}");
                (0, 0, 50)
            }
            "branch elsewhere" => {
                let base = format!("{} {}", self.pick(BANK_WORDS), self.pick(BANK_KINDS));
                let (_, city2) = self.two(CITIES);
                a.name = base.clone();
                b.name = if self.chance(50) {
                    format!("{base} of {}", city2.0)
                } else {
                    format!("{base} {}", city2.0)
                };
                (0, 5, 0)
            }
            "same name elsewhere" => {
                let base = self.pick(COMMON_NAMES);
                a.name = base.to_string();
                b.name = match self.rng.random_range(0..4) {
                    0 => attach(base, self.pick(LEGAL)),
                    1 => format!("The {base}"),
                    2 => self.punctuate(base),
                    _ => base.to_uppercase() + " ",
                };
                (0, 0, 0)
            }
            "numbered" => {
                let base = if self.chance(50) {
                    self.pick(CHAINS).to_string()
                } else {
                    format!("{} {}", self.pick(LAST), self.pick(TRADES))
                };
                let n = self.rng.random_range(1..60u32);
                let m = n + self.rng.random_range(1..12u32);
                let form = self.rng.random_range(0..3);
                let label = |k: u32| match form {
                    0 => format!("{base} #{k}"),
                    1 => format!("{base} {k}"),
                    _ => format!("{base} Store {k}"),
                };
                a.name = label(n);
                b.name = label(m);
                (30, 30, 10)
            }
            "same street" => {
                let street = self.pick(STREETS);
                let (t1, t2) = self.two(TRADES);
                a.name = format!("{street} Street {t1}");
                b.name = format!("{street} Street {t2}");
                (0, 0, 100)
            }
            "neighbour names" => {
                // Real spellings of different people's names, not typos: John Clark and John
                // Clarke, Sara Olsen and Sarah Olsen.
                if self.chance(60) {
                    let first = self.pick(FIRST);
                    let (x, y) = self.pick(SURNAME_VARIANTS);
                    a.name = format!("{first} {x}");
                    b.name = format!("{first} {y}");
                } else {
                    let last = self.pick(LAST);
                    let (x, y) = self.pick(FIRST_NAME_VARIANTS);
                    a.name = format!("{x} {last}");
                    b.name = format!("{y} {last}");
                }
                (0, 0, 30)
            }
            "household" => {
                let last = self.pick(LAST);
                let (f1, f2) = self.two(FIRST);
                a.name = format!("{f1} {last}");
                b.name = format!("{f2} {last}");
                (40, 5, 90)
            }
            "sister businesses" => {
                let (n1, n2) = self.two(ADJECTIVES);
                let kind = self.pick(&[
                    "Apartments",
                    "Ridge Apartments",
                    "Storage",
                    "Medical Plaza",
                    "Plaza LLC",
                    "Properties",
                ]);
                a.name = format!("{n1} {kind}");
                b.name = format!("{n2} {kind}");
                (70, 70, 50)
            }
            "chain other city" => {
                let chain = self.pick(CHAINS);
                let (c1, c2) = self.two(CITIES);
                a.name = if self.chance(40) {
                    chain.to_string()
                } else {
                    format!("{chain} {}", c1.0)
                };
                b.name = format!("{chain} {}", c2.0);
                (0, 15, 0)
            }
            "namesake" => {
                let (first, last) = (self.pick(FIRST), self.pick(LAST));
                a.name = format!("{first} {last}");
                b.name = if self.chance(70) {
                    format!("{last}, {first}")
                } else {
                    format!("{last} {first}")
                };
                (0, 0, 5)
            }
            "jr/sr" => {
                let (first, last) = (self.pick(FIRST), self.pick(LAST));
                a.name = format!("{first} {last} Jr");
                b.name = if self.chance(50) {
                    format!("{first} {last} Sr")
                } else {
                    format!("{first} {last}")
                };
                (50, 10, 80)
            }
            _ => {
                let (x, y) = self.pick(SHORT_PAIRS);
                let trade = self.pick(TRADES);
                a.name = format!("{x} {trade}");
                b.name = format!("{y} {trade}");
                (0, 0, 30)
            }
        }
    }

    fn two<T: Copy + PartialEq>(&mut self, items: &[T]) -> (T, T) {
        let a = self.pick(items);
        loop {
            let b = self.pick(items);
            if b != a {
                return (a, b);
            }
        }
    }
}

/// `suffix` after `name` (", Inc." attaches without a space).
fn attach(name: &str, suffix: &str) -> String {
    if suffix.starts_with(',') {
        format!("{name}{suffix}")
    } else {
        format!("{name} {suffix}")
    }
}

fn replace_word(name: &str, word: &str, with: &str) -> String {
    name.split(' ')
        .map(|w| if w == word { with } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The same number written another way: dots, plain digits, with the country code, or with an
/// extension.
fn reformat_phone(phone: &str, style: u32) -> String {
    let d: String = phone.chars().filter(char::is_ascii_digit).collect();
    if d.len() != 10 {
        return phone.to_string();
    }
    match style {
        0 => format!("{}.{}.{}", &d[..3], &d[3..6], &d[6..]),
        1 => d,
        2 => format!("+1 {} {} {}", &d[..3], &d[3..6], &d[6..]),
        _ => format!(
            "{}-{}-{} x{}",
            &d[..3],
            &d[3..6],
            &d[6..],
            d.as_bytes()[9] - b'0' + 10
        ),
    }
}

/// A person's name ("First Last" or "Last, First", two or three words) also goes into the first
/// and last name fields, as a person's record has them; businesses keep them blank.
fn fill_person_fields(f: &mut Fields) {
    f.first.clear();
    f.last.clear();
    let name = f.name.trim();
    let is_person = |w: &str| {
        FIRST.iter().any(|n| n.eq_ignore_ascii_case(w))
            || FIRST_NAME_VARIANTS
                .iter()
                .any(|(x, y)| x.eq_ignore_ascii_case(w) || y.eq_ignore_ascii_case(w))
    };
    let is_last = |w: &str| {
        LAST.iter().any(|n| n.eq_ignore_ascii_case(w))
            || SURNAME_VARIANTS
                .iter()
                .any(|(x, y)| x.eq_ignore_ascii_case(w) || y.eq_ignore_ascii_case(w))
    };
    if let Some((last, first)) = name.split_once(", ") {
        if first.split(' ').next().is_some_and(is_person) {
            f.first = first.to_string();
            f.last = last.to_string();
        }
        return;
    }
    let words: Vec<&str> = name.split(' ').collect();
    if (2..=3).contains(&words.len())
        && is_person(words[0])
        && !words.iter().any(|w| w.ends_with("'s"))
    {
        let last = words[words.len() - 1];
        if is_last(last) || words.len() == 3 {
            f.first = words[..words.len() - 1].join(" ");
            f.last = last.to_string();
        }
    }
}

/// `duplicates` duplicate cases and `lookalikes` look-alike cases, shuffled together.
pub fn cases(seed: u64, duplicates: usize, lookalikes: usize) -> Vec<Case> {
    let mut g = Generator::new(seed);
    let mut out: Vec<Case> = (0..duplicates).map(|_| g.duplicate()).collect();
    out.extend((0..lookalikes).map(|_| g.lookalike()));
    // Fisher–Yates, so neither kind sits at one end of the lists.
    for i in (1..out.len()).rev() {
        let j = g.rng.random_range(0..=i);
        out.swap(i, j);
    }
    out
}
