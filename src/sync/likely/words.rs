//! The words name normalisation knows: abbreviations, legal suffixes, small words, and the words
//! that tell two otherwise alike businesses apart. All lowercase, accents folded, punctuation
//! removed (as tokens are when they are looked up).

/// Words and their abbreviations spelled one way. Saint and Street share "st" (as Doctor and
/// Drive share "dr"): which one is meant never changes whether two names are the same.
pub fn abbreviation(token: &str) -> Option<&'static str> {
    Some(match token {
        "street" | "saint" | "str" => "st",
        "road" => "rd",
        "avenue" | "av" => "ave",
        "boulevard" => "blvd",
        "drive" | "doctor" => "dr",
        "lane" => "ln",
        "highway" => "hwy",
        "parkway" => "pkwy",
        "court" => "ct",
        "place" => "pl",
        "square" => "sq",
        "mount" | "mountain" | "mtn" => "mt",
        "fort" => "ft",
        "company" => "co",
        "corporation" => "corp",
        "incorporated" => "inc",
        "limited" => "ltd",
        "bros" => "brother",
        "associates" | "associate" | "assocs" | "association" => "assoc",
        "international" => "intl",
        "national" => "natl",
        "manufacturing" => "mfg",
        "services" | "service" | "svcs" => "svc",
        "department" => "dept",
        "center" | "centre" | "cntr" => "ctr",
        "management" => "mgmt",
        "construction" => "constr",
        "university" => "univ",
        "hospital" => "hosp",
        "medical" => "med",
        "distribution" | "distributors" | "distributor" => "dist",
        "technology" | "technologies" => "tech",
        "group" => "grp",
        "engineering" => "eng",
        "insurance" => "ins",
        "apartments" | "apartment" | "apts" => "apt",
        "building" => "bldg",
        "enterprises" | "enterprise" => "ent",
        "products" | "product" => "prod",
        "industries" | "industry" => "ind",
        "systems" | "system" => "sys",
        _ => return None,
    })
}

/// Legal forms a business name may end with. Both spellings of the abbreviated ones are here, so
/// that suffixes are recognised whether or not abbreviations are being folded.
pub fn is_legal_suffix(token: &str) -> bool {
    matches!(
        token,
        "inc"
            | "incorporated"
            | "llc"
            | "llp"
            | "lllp"
            | "ltd"
            | "limited"
            | "corp"
            | "corporation"
            | "co"
            | "company"
            | "pc"
            | "pllc"
            | "pa"
            | "plc"
            | "lp"
            | "gmbh"
            | "ag"
            | "sa"
            | "srl"
            | "bv"
            | "nv"
            | "pty"
            | "oy"
    )
}

/// "and" spelled as a word or a sign.
pub fn is_and(token: &str) -> bool {
    matches!(token, "&" | "and" | "+")
}

/// Words too common to count as a word added to or dropped from a name ("Bank" and "Bank of
/// Omaha" differ by one word, Omaha).
pub fn is_small_word(token: &str) -> bool {
    matches!(
        token,
        "of" | "the" | "a" | "an" | "at" | "in" | "on" | "for" | "and" | "&"
    )
}

/// Words that describe what kind of organisation a business is rather than which one: a name
/// with or without them is mostly the same business ("Smith Plumbing Services"). As normalised
/// (abbreviated, singular).
pub fn is_descriptor(token: &str) -> bool {
    matches!(
        token,
        "svc"
            | "grp"
            | "ctr"
            | "work"
            | "solution"
            | "supply"
            | "co"
            | "ent"
            | "assoc"
            | "prod"
            | "ind"
            | "sys"
            | "shop"
            | "store"
            | "studio"
            | "agency"
            | "partner"
            | "holding"
            | "office"
            | "specialist"
            | "professional"
    )
}

/// Words that make two names different businesses however alike the rest is: Northside and
/// Southside Dental, Uptown and Downtown Deli, Acme Jr and Acme Sr. Numbers are handled apart.
pub fn is_distinguishing(token: &str) -> bool {
    matches!(
        token,
        "north"
            | "south"
            | "east"
            | "west"
            | "northeast"
            | "northwest"
            | "southeast"
            | "southwest"
            | "northern"
            | "southern"
            | "eastern"
            | "western"
            | "central"
            | "upper"
            | "lower"
            | "uptown"
            | "downtown"
            | "midtown"
            | "inner"
            | "outer"
            | "old"
            | "new"
            | "big"
            | "little"
            | "jr"
            | "junior"
            | "sr"
            | "senior"
            | "ii"
            | "iii"
            | "iv"
            | "first"
            | "second"
            | "third"
            | "fourth"
            | "fifth"
    )
}

/// The compass direction a word begins with (Northside, Westwood, Eastgate), when it is longer
/// than the direction itself.
pub fn direction_prefix(token: &str) -> Option<&'static str> {
    ["north", "south", "east", "west"]
        .into_iter()
        .find(|d| token.len() > d.len() && token.starts_with(d))
}
