//! Text normalisation shared by column matching and answer matching.

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
fn strip_tags(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('<') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let after = &rest[start..];
        match after.find('>') {
            // Only treat it as a tag when it looks like one: `<strong>`, `</b>`, `<br/>`.
            Some(end)
                if after[1..end]
                    .trim_start_matches('/')
                    .starts_with(|c: char| c.is_ascii_alphabetic()) =>
            {
                out.push_str(&rest[..start]);
                out.push(' ');
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str(&rest[..start + 1]);
                rest = &rest[start + 1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::normalise;

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
    fn non_breaking_space_is_a_space() {
        assert_eq!(normalise("Strongly\u{00A0}agree"), "strongly agree");
    }
}
