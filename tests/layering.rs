//! The layering rule of DEVELOPERS.md, checked: dependencies between the top-level modules of
//! `src/` point one way, down the table below. A test rather than a split into crates, because
//! several branches are in flight and moving every file into new crates would make them
//! unmergeable; the test holds the same line.
//!
//! It reads `src/**/*.rs` and finds every reference from one top-level module to another:
//! `crate::x`, `use crate::{x, …}` and `super::` paths that climb out of their top-level module.
//! Comments, string literals and `#[cfg(test)]` modules (inline or in their own file) are left
//! out: unit tests may use test support from any layer.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a test failure"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Bottom first. A module may use only modules of the layers *above it in this list* (lower
/// layers); two modules of one layer stay independent. Keep DEVELOPERS.md's layout table in the
/// same order. A new top-level module must be placed here, or this test fails.
const LAYERS: &[(&str, &[&str])] = &[
    ("pure helpers", &["text", "files"]),
    ("protocol as data", &["qbxml"]),
    ("domain vocabulary", &["domain"]),
    ("connections; the SMSTurbo database", &["qb", "store"]),
    ("setup (config.toml)", &["config"]),
    ("sync core", &["sync"]),
    ("demo workspace; test support", &["demo", "testkit"]),
    ("what both front ends share", &["frontend"]),
    ("full-screen interface", &["tui"]),
    ("command line", &["cli"]),
];

#[test]
fn top_level_modules_depend_one_way_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let refs = references_in(&src);
    assert!(
        refs.iter().any(|r| r.from == "sync" && r.to == "qb"),
        "the scanner found no sync → qb reference; it is broken"
    );
    let problems = check(&refs, &top_level_modules(&src), LAYERS);
    assert!(
        problems.is_empty(),
        "the module layering is broken (see DEVELOPERS.md, Layout):\n{}",
        problems.join("\n")
    );
}

/// A reference from one top-level module to another, where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Ref {
    from: String,
    to: String,
    file: PathBuf,
    line: usize,
}

/// Every problem with `refs` against `layers`: cycles, references that climb the layers or
/// stay within one, and top-level modules the table does not place.
fn check(refs: &[Ref], modules: &BTreeSet<String>, layers: &[(&str, &[&str])]) -> Vec<String> {
    let rank: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, (_, ms))| ms.iter().map(move |m| (*m, i)))
        .collect();
    let mut problems: Vec<String> = modules
        .iter()
        .filter(|m| !rank.contains_key(m.as_str()))
        .map(|m| format!("src/{m}: a top-level module the layering table does not place; add it to LAYERS in tests/layering.rs and to DEVELOPERS.md"))
        .collect();
    for cycle in cycles(refs) {
        let at: Vec<String> = cycle
            .iter()
            .map(|r| format!("{} → {} ({}:{})", r.from, r.to, r.file.display(), r.line))
            .collect();
        problems.push(format!("cycle: {}", at.join(", ")));
    }
    for r in refs {
        let (Some(&from), Some(&to)) = (rank.get(r.from.as_str()), rank.get(r.to.as_str())) else {
            continue;
        };
        if to >= from {
            problems.push(format!(
                "{}:{}: `{}` ({}) uses `{}` ({}), which is not below it",
                r.file.display(),
                r.line,
                r.from,
                layers[from].0,
                r.to,
                layers[to].0
            ));
        }
    }
    problems
}

/// One cycle per strongly connected component of more than one module, each edge with the
/// first place it is written.
fn cycles(refs: &[Ref]) -> Vec<Vec<Ref>> {
    let mut edges: BTreeMap<&str, BTreeMap<&str, &Ref>> = BTreeMap::new();
    for r in refs {
        edges
            .entry(r.from.as_str())
            .or_default()
            .entry(r.to.as_str())
            .or_insert(r);
    }
    let reach = |start: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![start.to_string()];
        while let Some(m) = todo.pop() {
            for next in edges.get(m.as_str()).into_iter().flat_map(|e| e.keys()) {
                if seen.insert(next.to_string()) {
                    todo.push(next.to_string());
                }
            }
        }
        seen
    };
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for &m in edges.keys() {
        if done.contains(m) || !reach(m).contains(m) {
            continue;
        }
        // The component of `m`: every module it reaches that reaches it back.
        let component: BTreeSet<String> = reach(m)
            .into_iter()
            .filter(|n| reach(n).contains(m))
            .collect();
        let mut cycle = Vec::new();
        for from in &component {
            for (to, r) in edges.get(from.as_str()).into_iter().flatten() {
                if component.contains(*to) {
                    cycle.push((*r).clone());
                }
            }
        }
        done.extend(component);
        out.push(cycle);
    }
    out
}

/// `src/x.rs` and `src/x/` are top-level module `x` (lib.rs and main.rs are the root).
fn top_level_modules(src: &Path) -> BTreeSet<String> {
    std::fs::read_dir(src)
        .expect("read src/")
        .filter_map(|e| {
            let path = e.expect("read src/").path();
            let name = path.file_name()?.to_str()?.to_string();
            let module = if path.is_dir() {
                name
            } else {
                name.strip_suffix(".rs")?.to_string()
            };
            (module != "lib" && module != "main").then_some(module)
        })
        .collect()
}

/// Every cross-module reference in the `.rs` files under `src`.
fn references_in(src: &Path) -> Vec<Ref> {
    let modules = top_level_modules(src);
    let mut files = Vec::new();
    collect_rs(src, &mut files);
    files.sort();
    let mut test_only: BTreeSet<PathBuf> = BTreeSet::new();
    let mut refs = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(src).expect("under src");
        let path = module_path(rel);
        if path.is_empty() || test_only.iter().any(|t| file.starts_with(t)) {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("read a source file");
        let scan = scan(&text, &path, &modules);
        for name in scan.test_mod_files {
            // `#[cfg(test)] mod name;` of `a/mod.rs` is `a/name.rs` (or `a/name/`); of `a/b.rs`,
            // it is `a/b/name.rs`.
            let base = if rel.file_name().is_some_and(|n| n == "mod.rs") {
                file.parent().expect("a file has a folder").to_path_buf()
            } else {
                file.with_extension("")
            };
            test_only.insert(base.join(format!("{name}.rs")));
            test_only.insert(base.join(name));
        }
        refs.extend(scan.refs.into_iter().map(|(to, line)| Ref {
            from: path[0].clone(),
            to,
            file: Path::new("src").join(rel),
            line,
        }));
    }
    refs
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read a source folder") {
        let path = entry.expect("read a source folder").path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file relative to `src/`: `qb/session.rs` → `[qb, session]`,
/// `qb/mod.rs` → `[qb]`; the crate root (lib.rs, main.rs) → `[]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if parts.is_empty() && (stem == "lib" || stem == "main") {
        return Vec::new();
    }
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// What one file refers to.
#[derive(Debug, Default, PartialEq, Eq)]
struct Scan {
    /// Top-level modules other than the file's own, with the line of each reference.
    refs: Vec<(String, usize)>,
    /// Modules declared `#[cfg(test)] mod name;` (their files are test code).
    test_mod_files: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Ident(String),
    PathSep,
    Punct(char),
}

/// Splits Rust source into identifiers, `::` and punctuation with their lines, dropping
/// comments, string and character literals (and lifetimes).
fn tokens(text: &str) -> Vec<(Tok, usize)> {
    let b: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let at = |i: usize| b.get(i).copied().unwrap_or('\0');
    while i < b.len() {
        let c = b[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(b[i] == '\n');
                    i += 1;
                }
            }
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                line += usize::from(at(i) == '\n');
                i += 1;
            }
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a): skip either.
            if at(i + 1) == '\\' {
                i += 2;
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
                while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                    i += 1;
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            let word: String = b[start..i].iter().collect();
            // Raw strings: r"…", r#"…"#, br"…".
            if (word == "r" || word == "br") && (at(i) == '"' || at(i) == '#') {
                let mut hashes = 0;
                while at(i) == '#' {
                    hashes += 1;
                    i += 1;
                }
                if at(i) == '"' {
                    i += 1;
                    loop {
                        if i >= b.len() {
                            break;
                        }
                        if b[i] == '"' && (1..=hashes).all(|k| at(i + k) == '#') {
                            i += 1 + hashes;
                            break;
                        }
                        line += usize::from(b[i] == '\n');
                        i += 1;
                    }
                    continue;
                }
            }
            out.push((Tok::Ident(word), line));
        } else if c == ':' && at(i + 1) == ':' {
            out.push((Tok::PathSep, line));
            i += 2;
        } else if c.is_whitespace() {
            i += 1;
        } else {
            out.push((Tok::Punct(c), line));
            i += 1;
        }
    }
    out
}

/// Finds the references to other top-level modules in one file whose module path is `path`.
fn scan(text: &str, path: &[String], modules: &BTreeSet<String>) -> Scan {
    let toks = tokens(text);
    let mut out = Scan::default();
    let own = &path[0];
    let ident = |i: usize| match toks.get(i) {
        Some((Tok::Ident(s), _)) => Some(s.as_str()),
        _ => None,
    };
    let is = |i: usize, t: &Tok| toks.get(i).is_some_and(|(x, _)| x == t);
    let push = |name: &str, line: usize, out: &mut Scan| {
        if modules.contains(name) && name != own {
            out.refs.push((name.to_string(), line));
        }
    };
    // Inline modules open at a brace depth; `super` climbs out of them before the file's own.
    let mut inline: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut cfg_test = false;
    let mut i = 0;
    while i < toks.len() {
        let tok = &toks[i].0;
        match tok {
            Tok::Punct('#') if is(i + 1, &Tok::Punct('[')) => {
                // An attribute: `#[cfg(test)]` makes the item after it (and its other
                // attributes) test code.
                cfg_test |= ident(i + 2) == Some("cfg")
                    && is(i + 3, &Tok::Punct('('))
                    && ident(i + 4) == Some("test")
                    && is(i + 5, &Tok::Punct(')'));
                i = skip_group(&toks, i + 1, '[', ']');
                continue;
            }
            Tok::Ident(w) if cfg_test && w == "use" => {
                while i < toks.len() && !is(i, &Tok::Punct(';')) {
                    i += 1;
                }
                cfg_test = false;
            }
            Tok::Ident(w) if cfg_test && w == "fn" => {
                while i < toks.len() && !is(i, &Tok::Punct('{')) {
                    i += 1;
                }
                i = skip_group(&toks, i, '{', '}');
                cfg_test = false;
                continue;
            }
            Tok::Ident(w) if w == "mod" => {
                if let Some(name) = ident(i + 1) {
                    if is(i + 2, &Tok::Punct(';')) {
                        if cfg_test {
                            out.test_mod_files.push(name.to_string());
                        }
                    } else if is(i + 2, &Tok::Punct('{')) {
                        if cfg_test {
                            i = skip_group(&toks, i + 2, '{', '}');
                            cfg_test = false;
                            continue;
                        }
                        inline.push(depth + 1);
                    }
                }
                cfg_test = false;
            }
            Tok::Ident(w) if w == "crate" && is(i + 1, &Tok::PathSep) => {
                // `$crate::` in a macro names this crate too.
                i = names_after(&toks, i + 2, &mut |n, l| push(n, l, &mut out));
                continue;
            }
            Tok::Ident(w) if w == "super" && is(i + 1, &Tok::PathSep) => {
                let mut climbs = 0;
                let mut j = i;
                while ident(j) == Some("super") && is(j + 1, &Tok::PathSep) {
                    climbs += 1;
                    j += 2;
                }
                let inside = inline.len() + path.len();
                if climbs >= inside {
                    // At the crate root: the next names are top-level modules.
                    i = names_after(&toks, j, &mut |n, l| push(n, l, &mut out));
                } else {
                    i = j;
                }
                continue;
            }
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                if inline.last() == Some(&depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            // Visibility keeps `#[cfg(test)]` for the item it qualifies.
            Tok::Ident(w) if w == "pub" => {
                if is(i + 1, &Tok::Punct('(')) {
                    i = skip_group(&toks, i + 1, '(', ')');
                    continue;
                }
            }
            _ => cfg_test = false,
        }
        i += 1;
    }
    out
}

/// The first names of the path(s) starting at `i` (right after `crate::`): one name, or each
/// name of a `{…}` group. Returns the index after what it read.
fn names_after(toks: &[(Tok, usize)], i: usize, found: &mut dyn FnMut(&str, usize)) -> usize {
    match toks.get(i) {
        Some((Tok::Ident(name), line)) => {
            found(name, *line);
            i + 1
        }
        Some((Tok::Punct('{'), _)) => {
            let mut depth = 0;
            let mut expect_name = true;
            let mut j = i;
            while let Some((tok, line)) = toks.get(j) {
                match tok {
                    Tok::Punct('{') => {
                        depth += 1;
                        expect_name = depth == 1;
                    }
                    Tok::Punct('}') => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    Tok::Punct(',') if depth == 1 => expect_name = true,
                    Tok::Ident(name) if expect_name && depth == 1 => {
                        found(name, *line);
                        expect_name = false;
                    }
                    _ => {}
                }
                j += 1;
            }
            j
        }
        _ => i,
    }
}

/// The index after the group whose opening `open` (e.g. `{`) is at `at`.
fn skip_group(toks: &[(Tok, usize)], at: usize, open: char, close: char) -> usize {
    let mut depth = 0;
    for (j, (tok, _)) in toks.iter().enumerate().skip(at) {
        match tok {
            Tok::Punct(c) if *c == open => depth += 1,
            Tok::Punct(c) if *c == close => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

mod checker {
    //! The checker itself must be able to fail.

    use super::*;

    fn modules(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn refs_of(text: &str, path: &[&str]) -> Vec<String> {
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        scan(
            text,
            &path,
            &modules(&["qb", "store", "sync", "tui", "cli", "qbxml"]),
        )
        .refs
        .into_iter()
        .map(|(m, line)| format!("{m}@{line}"))
        .collect()
    }

    #[test]
    fn finds_crate_paths_groups_and_super_out_of_the_module() {
        let text = "use crate::qb::Connection;\n\
                    use crate::{store::Store, sync::{self, Plan}, tui};\n\
                    fn f() { let _ = crate::qbxml::Field::Name; }\n\
                    use super::super::cli::Outcome;\n\
                    use super::local;\n";
        assert_eq!(
            refs_of(text, &["sync", "engine"]),
            ["qb@1", "store@2", "tui@2", "qbxml@3", "cli@4"],
            "sync's own name is not a reference; super::local stays in sync"
        );
        assert_eq!(refs_of("use super::qb::X;", &["sync"]), ["qb@1"]);
        assert_eq!(
            refs_of("mod inner { use super::super::qb::X; }", &["sync"]),
            ["qb@1"]
        );
    }

    #[test]
    fn leaves_out_comments_strings_and_test_modules() {
        let text = "// crate::qb\n/* crate::store */\n\
                    const S: &str = \"crate::tui\";\nconst R: &str = r#\"crate::cli\"#;\n\
                    fn f<'a>(c: char) -> bool { c == '\"' }\n\
                    #[cfg(test)]\nmod tests { use crate::tui::X; }\n\
                    #[cfg(test)]\nmod more;\n\
                    use crate::qbxml::Y;\n";
        let path = ["sync".to_string()];
        let scan = scan(
            text,
            &path,
            &modules(&["qb", "store", "tui", "cli", "qbxml"]),
        );
        assert_eq!(scan.refs, [("qbxml".to_string(), 10)]);
        assert_eq!(scan.test_mod_files, ["more"]);
    }

    fn r(from: &str, to: &str, line: usize) -> Ref {
        Ref {
            from: from.into(),
            to: to.into(),
            file: PathBuf::from(format!("src/{from}.rs")),
            line,
        }
    }

    #[test]
    fn fails_on_a_cycle_naming_file_and_line() {
        let refs = [r("qb", "store", 3), r("store", "qb", 7), r("sync", "qb", 1)];
        let problems = check(&refs, &modules(&["qb", "store", "sync"]), &[]);
        let cycle: Vec<&String> = problems.iter().filter(|p| p.starts_with("cycle")).collect();
        assert_eq!(cycle.len(), 1, "{problems:?}");
        assert!(
            cycle[0].contains("qb → store (src/qb.rs:3)"),
            "{}",
            cycle[0]
        );
        assert!(
            cycle[0].contains("store → qb (src/store.rs:7)"),
            "{}",
            cycle[0]
        );
        assert!(!cycle[0].contains("sync"), "{}", cycle[0]);
    }

    #[test]
    fn fails_on_the_real_tree_with_a_wrong_table() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let refs = references_in(&src);
        let all = top_level_modules(&src);
        // The real table with the sync core put beneath the connections it uses.
        let wrong: Vec<(&str, &[&str])> = LAYERS
            .iter()
            .map(|&(name, ms)| match ms {
                ["qb", "store"] => (name, &["sync"][..]),
                ["sync"] => ("moved up", &["qb", "store"][..]),
                _ => (name, ms),
            })
            .collect();
        let problems = check(&refs, &all, &wrong);
        let engine = problems
            .iter()
            .find(|p| p.starts_with("src/sync/engine.rs:") && p.contains("uses `qb`"));
        assert!(engine.is_some(), "{problems:#?}");
        // Modules within one layer must stay independent, and a module left out is named.
        let flat: Vec<(&str, &[&str])> = vec![("everything", &["qb", "sync", "store"][..])];
        let problems = check(&refs, &all, &flat);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("`sync` (everything) uses `qb`"))
        );
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("src/tui: a top-level module"))
        );
    }
}
