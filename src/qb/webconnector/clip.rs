//! Values from the network made fit to answer or log: a client decides their length and content,
//! so a 15 MB parameter must not come back 15 MB long, and a line break in it must not forge a
//! log line.

use std::fmt::Write;

/// Characters of a client's value shown at most.
pub const MAX_SHOWN_CHARS: usize = 200;

/// A user name that failed to log in is shown only this far: it may be a password typed into
/// the wrong box.
pub const USER_NAME_PREFIX_CHARS: usize = 3;

/// At most `max` characters of `value`, control characters escaped (`\n`, `\u{1b}`…), and the
/// full length said when it was cut.
pub fn clip_to(value: &str, max: usize) -> String {
    let mut out = String::with_capacity(value.len().min(max * 2) + 16);
    let mut chars = value.chars();
    for (shown, c) in chars.by_ref().enumerate() {
        if shown == max {
            let total = max + 1 + chars.count();
            let _ = write!(out, "… ({total} characters in all)");
            return out;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// [`clip_to`] at [`MAX_SHOWN_CHARS`].
pub fn clip(value: &str) -> String {
    clip_to(value, MAX_SHOWN_CHARS)
}

/// The start of a user name that failed to log in, e.g. `sh…`.
pub fn user_name_prefix(user_name: &str) -> String {
    let head: String = user_name.chars().take(USER_NAME_PREFIX_CHARS).collect();
    let mut out = clip_to(&head, USER_NAME_PREFIX_CHARS);
    if user_name.chars().nth(USER_NAME_PREFIX_CHARS).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_and_escapes() {
        assert_eq!(clip("plain"), "plain");
        assert_eq!(clip("two\nlines\u{1b}[31m"), "two\\nlines\\u{1b}[31m");
        assert_eq!(clip_to("abcdef", 3), "abc… (6 characters in all)");
        assert_eq!(clip_to("abc", 3), "abc");
        assert_eq!(
            clip(&"x".repeat(1_000_000)).len(),
            200 + "… (1000000 characters in all)".len()
        );
    }

    #[test]
    fn shows_only_the_start_of_a_user_name() {
        assert_eq!(user_name_prefix("shop1"), "sho…");
        assert_eq!(user_name_prefix("ab"), "ab");
        assert_eq!(user_name_prefix("\n\n\nsecret"), "\\n\\n\\n…");
        assert_eq!(user_name_prefix(""), "");
    }
}
