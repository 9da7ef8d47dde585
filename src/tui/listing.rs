//! Folder listings for the file picker: a case-insensitive glob and one directory read.
//!
//! `list_dir` touches the disk, so only the worker calls it; the picker renders the listing it
//! is given.

use std::path::Path;

use super::view::{DirEntry, DirListing, Explanation};

/// Whether `name` matches `pattern` (`*` any run, `?` one character), ignoring case.
/// An empty pattern matches everything.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().flat_map(char::to_lowercase).collect();
    let n: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
    if p.is_empty() {
        return true;
    }
    // Iterative matching with one backtrack point: linear in practice, no recursion.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some(&c) if c == '?' || c == n[ni] => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether a text holds glob characters (then it is a pattern, not a file name).
pub fn is_pattern(text: &str) -> bool {
    text.contains(['*', '?'])
}

/// Reads `dir`: every folder, and the files matching `pattern`. Hidden entries (dot names) are
/// included and marked; the picker decides whether to show them.
pub fn list_dir(dir: &Path, pattern: &str) -> Result<DirListing, Explanation> {
    let unreadable = |e: std::io::Error| {
        Explanation::new(
            "Folder cannot be read",
            format!("custsync cannot read the folder {}: {e}.", dir.display()),
            "Choose another folder (Backspace goes up), or ask for read permission on this one.",
        )
    };
    let read = std::fs::read_dir(dir).map_err(unreadable)?;
    let mut entries = Vec::new();
    for entry in read {
        // One entry vanishing or unreadable does not make the folder unreadable.
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        // Follow symlinks so a linked folder can be entered.
        let is_dir = std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir());
        if !is_dir && !glob_match(pattern, &name) {
            continue;
        }
        entries.push(DirEntry {
            hidden: name.starts_with('.'),
            name,
            is_dir,
        });
    }
    entries.sort_by(|a, b| {
        b.is_dir
            .cmp(&a.is_dir)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok(DirListing {
        dir: dir.to_path_buf(),
        pattern: pattern.to_string(),
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_is_case_insensitive() {
        assert!(glob_match("*.QBW", "Company.qbw"));
        assert!(glob_match("*.qbw", "COMPANY.QBW"));
        assert!(!glob_match("*.QBW", "Company.QBB"));
        assert!(!glob_match("*.QBW", "Company.QBW.bak"));
        assert!(glob_match("c?mp*", "Company.QBW"));
        assert!(glob_match("*a*b*", "xxaxxbxx"));
        assert!(!glob_match("*a*b", "xxaxxbxx"));
        assert!(glob_match("", "anything"));
        assert!(glob_match("*", ""));
        assert!(glob_match("ÉTÉ*", "été.qbw"));
    }

    #[test]
    fn lists_folders_and_matching_files_sorted() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["b.QBW", "a.qbw", "notes.txt", ".hidden.QBW"] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join("Zeta")).unwrap();
        std::fs::create_dir(dir.path().join("alpha")).unwrap();
        let l = list_dir(dir.path(), "*.QBW").unwrap();
        let names: Vec<_> = l.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["alpha", "Zeta", ".hidden.QBW", "a.qbw", "b.QBW"]);
        assert!(
            l.entries
                .iter()
                .find(|e| e.name == ".hidden.QBW")
                .unwrap()
                .hidden
        );
        assert!(l.entries[0].is_dir && !l.entries[2].is_dir);
    }

    #[test]
    fn an_unreadable_folder_is_explained_not_a_panic() {
        let err = list_dir(Path::new("/nonexistent/custsync/folder"), "*.QBW").unwrap_err();
        assert!(err.what_happened.contains("/nonexistent/custsync/folder"));
        assert!(err.next_step.contains("Backspace"));
    }
}
