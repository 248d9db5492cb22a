//! Text normalisation shared by column matching and answer matching, and the
//! characters no text may carry into a report, and the one place where a
//! count chooses its word ([`plural`], [`count`]).

/// True for a character that is not text: a control character other than
/// tab, line feed and carriage return (C0, DEL, C1), or a Unicode
/// noncharacter (U+FDD0 to U+FDEF, and U+FFFE and U+FFFF in every plane).
/// Such characters cannot be typeset (a PDF/UA file may not hold them) and
/// mean nothing to a reader: they are removed wherever text comes in.
pub fn is_unprintable(c: char) -> bool {
    let code = u32::from(c);
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || (0xFDD0..=0xFDEF).contains(&code)
        || code & 0xFFFE == 0xFFFE
}

/// `text` without the characters [`is_unprintable`] finds; borrowed when it has none.
pub fn strip_unprintable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_unprintable) {
        std::borrow::Cow::Owned(text.chars().filter(|c| !is_unprintable(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Normalises a header or an answer so that cosmetic differences do not matter.
///
/// Folds case, turns curly quotes and dashes into plain ones, removes HTML tags,
/// collapses every run of whitespace (including non-breaking spaces) to one
/// space, and drops trailing punctuation (`.`, `?`, `!`, `:`, `*`, `…`).
pub fn normalise(text: &str) -> String {
    let without_tags = strip_tags(text);
    let mut out = String::with_capacity(without_tags.len());
    let mut pending_space = false;
    for ch in without_tags.chars() {
        let ch = match ch {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            '\u{FEFF}' | '\u{200B}' => continue,
            other => other,
        };
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(ch.to_lowercase());
    }
    while let Some(last) = out.chars().last() {
        if matches!(last, '.' | '?' | '!' | ':' | '*' | '…' | ' ') {
            out.pop();
        } else {
            break;
        }
    }
    out
}

/// Removes `<...>` tags, which some platforms (Typeform) leave in headers.
///
/// One pass: the `>` closing a run of `<` is searched for once, not once per
/// `<`, so a cell of ten million `<` takes as long as any other ten megabytes.
fn strip_tags(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('<') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    // text[..copied] is handled; `<` are looked for from `search`.
    let (mut copied, mut search) = (0, 0);
    // The first `>` after the last `<` looked at.
    let mut close: Option<usize> = None;
    while let Some(offset) = text[search..].find('<') {
        let start = search + offset;
        let end = match close {
            Some(end) if end > start => end,
            _ => match text[start..].find('>') {
                Some(offset) => start + offset,
                // No `>` left: no more tags.
                None => break,
            },
        };
        close = Some(end);
        // Only treat it as a tag when it looks like one: `<strong>`, `</b>`, `<br/>`.
        let body = &text[start + 1..end];
        if body
            .trim_start_matches('/')
            .starts_with(|c: char| c.is_ascii_alphabetic())
        {
            out.push_str(&text[copied..start]);
            out.push(' ');
            copied = end + 1;
            search = end + 1;
        } else {
            search = start + 1;
        }
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

/// `one` when `n` is 1, otherwise `many`: "1 row", "0 rows", "2 rows".
/// Every message that says a number with a noun goes through here or [`count`].
pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// A number with its noun: `count(1, "response", "responses")` is "1 response".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

#[cfg(test)]
mod tests {
    use super::{count, normalise, plural};

    #[test]
    fn folds_case_spacing_quotes_and_trailing_punctuation() {
        assert_eq!(
            normalise("  Young people\u{2019}s   LIVES change.  "),
            "young people's lives change"
        );
        assert_eq!(normalise("Don\u{2019}t know"), normalise("don't KNOW"));
        assert_eq!(
            normalise("Which best describes you?"),
            "which best describes you"
        );
    }

    #[test]
    fn removes_html_tags_but_keeps_comparisons() {
        assert_eq!(normalise("<strong>Are you</strong> here?"), "are you here");
        assert_eq!(normalise("a < b and c > d"), "a < b and c > d");
    }

    #[test]
    fn tags_inside_and_after_stray_angle_brackets() {
        assert_eq!(normalise("<<a>b>"), "< b>");
        assert_eq!(normalise("1 < 2 <b>bold</b> 3 > 2"), "1 < 2 bold 3 > 2");
        assert_eq!(normalise("<//i>x</>"), "x</>");
        assert_eq!(normalise("<<<"), "<<<");
    }

    #[test]
    fn many_angle_brackets_take_linear_time() {
        let text = "<".repeat(1_000_000) + ">";
        let started = std::time::Instant::now();
        assert_eq!(normalise(&text).len(), 1_000_001);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn unprintable_characters_are_stripped_and_text_kept() {
        use super::strip_unprintable;
        assert_eq!(
            strip_unprintable("Great\u{1}\u{7} project\u{1b}[31m\u{FFFF}\u{9F} \u{1F44D}"),
            "Great project[31m \u{1F44D}"
        );
        assert_eq!(strip_unprintable("a\u{0}b\u{10FFFE}\u{FDD0}c"), "abc");
        assert_eq!(strip_unprintable("line\none\ttab\r"), "line\none\ttab\r");
        assert!(matches!(
            strip_unprintable("東京都 café"),
            std::borrow::Cow::Borrowed("東京都 café")
        ));
    }

    #[test]
    fn non_breaking_space_is_a_space() {
        assert_eq!(normalise("Strongly\u{00A0}agree"), "strongly agree");
    }

    #[test]
    fn counts_choose_their_word() {
        assert_eq!(count(0, "response", "responses"), "0 responses");
        assert_eq!(count(1, "response", "responses"), "1 response");
        assert_eq!(count(2, "row is", "rows are"), "2 rows are");
        assert_eq!(plural(1, "has", "have"), "has");
    }
}
