//! Free-text answers, only when the user opts in (`--include-comments`).
//!
//! Comments are quoted only from groups shown on their own (at or above the
//! privacy threshold), never from hidden or pooled groups. Contact details are
//! replaced before a comment is stored ([`redact`]): e-mail addresses, web
//! links, IP addresses, phone numbers, UK postcodes and social media names.
//! Only then is a long comment cut, so the cut can never leave part of an
//! address behind. Quotes are sorted by group and then alphabetically, so
//! their order says nothing about which row, or when, they came from.
//!
//! Names and other details written in ordinary words ("my social worker
//! Jane") cannot be told apart from the rest of a comment and are kept:
//! whoever publishes the report reads the comments first (README, Privacy).
//!
//! The detectors are regular expressions rather than a link-finding crate
//! such as `linkify`, because a redactor must err the other way: linkify is
//! built not to link doubtful text (a top-level domain must be ASCII letters,
//! a host must be well formed), while anything that might be an address must
//! go here. The tests use linkify as an independent second opinion.
//!
//! Over 600 lines only with its unit tests (about 150), which check the
//! redactor form by form.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::ingest::{Column, Row};
use crate::instrument::Instrument;
use crate::text::normalise;

/// One quoted comment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Quote {
    /// The name of the respondent's group.
    pub group: String,
    /// The comment, redacted.
    pub text: String,
}

/// Collects comments per group slot while rows stream past.
pub struct Comments {
    /// Positions of the comment columns among the table's kept columns.
    columns: Vec<usize>,
    /// Per slot (instrument groups, then "did not say"): redacted comments.
    by_slot: Vec<Vec<String>>,
}

impl Comments {
    /// Finds the columns holding the instrument's comment questions.
    pub fn new(columns: &[Column], instrument: &Instrument) -> Comments {
        let wanted: Vec<String> = instrument
            .comments
            .iter()
            .flat_map(|c| std::iter::once(&c.question).chain(&c.aliases))
            .map(|w| normalise(w))
            .collect();
        Comments {
            columns: columns
                .iter()
                .enumerate()
                .filter(|(_, c)| wanted.contains(&normalise(&c.header)))
                .map(|(i, _)| i)
                .collect(),
            by_slot: vec![Vec::new(); instrument.group_options().len() + 1],
        }
    }

    /// Stores the row's comments, redacted, under the respondent's group.
    pub fn add(&mut self, row: &Row, group: Option<usize>) {
        let slot = group.unwrap_or(self.by_slot.len() - 1);
        for &column in &self.columns {
            let Some(text) = row.cells.get(column) else {
                continue;
            };
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.chars().any(char::is_alphanumeric) {
                // Redact first: a cut made before could leave "jane.smith@exa…".
                self.by_slot[slot].push(shorten(&redact(&text)));
            }
        }
    }

    /// The quotes that may be published: only from slots marked `shown`.
    pub fn publish(self, names: &[String], shown: &[bool]) -> Vec<Quote> {
        let mut quotes: Vec<Quote> = self
            .by_slot
            .into_iter()
            .enumerate()
            .filter(|(slot, _)| shown.get(*slot).copied().unwrap_or(false))
            .flat_map(|(slot, texts)| {
                let group = names[slot].clone();
                texts.into_iter().map(move |text| Quote {
                    group: group.clone(),
                    text,
                })
            })
            .collect();
        // Group order, then alphabetical: nothing about row order survives.
        quotes.sort_by(|a, b| {
            let position = |q: &Quote| names.iter().position(|n| *n == q.group);
            position(a)
                .cmp(&position(b))
                .then_with(|| a.text.cmp(&b.text))
        });
        quotes
    }
}

/// Cuts a redacted comment to [`MAX_CHARS`] characters and adds "…", at the
/// end of a word where one ends in the last 60 characters, and never inside a
/// "[… removed]" label.
fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_CHARS {
        return text.to_string();
    }
    let mut cut = text
        .char_indices()
        .nth(MAX_CHARS)
        .map_or(text.len(), |(i, _)| i);
    for label in LABELS {
        for (start, _) in text.match_indices(label) {
            if start < cut && cut < start + label.len() {
                cut = start;
            }
        }
    }
    let floor = text[..cut]
        .char_indices()
        .rev()
        .nth(60)
        .map_or(0, |(i, _)| i);
    if !text[cut..].starts_with(char::is_whitespace)
        && let Some(space) = text[floor..cut].rfind(char::is_whitespace)
    {
        cut = floor + space;
    }
    format!("{}…", text[..cut].trim_end())
}

/// Longest comment quoted, in characters; longer ones are cut with "…" (after redaction).
pub const MAX_CHARS: usize = 600;

/// What a redaction took out. The order is the priority when two finds overlap:
/// `mailto:jane@example.org` is one e-mail address, not a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Email,
    Link,
    Ip,
    Phone,
    Postcode,
    Handle,
}

impl Kind {
    /// The words put in place of what was taken out.
    fn label(self) -> &'static str {
        match self {
            Kind::Email => "[e-mail removed]",
            Kind::Link => "[link removed]",
            Kind::Ip => "[IP address removed]",
            Kind::Phone => "[phone number removed]",
            Kind::Postcode => "[postcode removed]",
            Kind::Handle => "[username removed]",
        }
    }
}

/// Every label [`redact`] writes, for a cut that must not split one.
const LABELS: [&str; 6] = [
    "[e-mail removed]",
    "[link removed]",
    "[IP address removed]",
    "[phone number removed]",
    "[postcode removed]",
    "[username removed]",
];

/// Compiles one of the fixed patterns below.
fn pattern(source: &str) -> Regex {
    Regex::new(source).expect("the built-in redaction patterns are valid")
}

/// A character of a domain label: any letter, digit or combining mark (so
/// `bücher.de` and `пример.рф` are domains), as in internationalised domain names.
const LABEL: &str = r"[\p{L}\p{N}\p{M}](?:[\p{L}\p{N}\p{M}\-]*[\p{L}\p{N}\p{M}])?";
/// A label of an e-mail domain: also `_`, so that `insta@jane_doe` goes whole.
const MAIL_LABEL: &str = r"[\p{L}\p{N}\p{M}_](?:[\p{L}\p{N}\p{M}_\-]*[\p{L}\p{N}\p{M}_])?";
/// A dot, or a dot written out to fool address harvesters: `[dot]`, `(dot)`.
const DOT: &str = r"(?:\.|\s?[\[({]\s?(?i:dot)\s?[\])}]\s?)";
/// The local part of an address (`zoë.brown`, `o'neil+news`): it starts with a
/// letter, digit or `_`, so an opening quote or bracket before it stays.
const LOCAL: &str = r"[\p{L}\p{N}\p{M}_][\p{L}\p{N}\p{M}_%+\-'!#$&*=?^`{|}~]*";

/// E-mail addresses, including internationalised ones and the `[at]` / `(dot)`
/// spellings. A tight `@` needs no dot after it (`jane@localhost`); one with a
/// space after it, or written out, needs a dotted domain, so "5 @ 3pm" is left
/// alone. "or @jane.doe" (a space only before the `@`) is a social media name.
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    let local = format!("{LOCAL}(?:{DOT}{LOCAL})*");
    pattern(&format!(
        r"{local}(?:[@＠﹫](?:{MAIL_LABEL}(?:{DOT}{MAIL_LABEL})*|\[[^\]\s]{{1,64}}\])|(?:\s?[@＠﹫]\s|\s?[\[({{]\s?(?i:at)\s?[\])}}]\s?){MAIL_LABEL}(?:{DOT}{MAIL_LABEL})+)"
    ))
});

/// Links with a scheme (`https://…`, `ftp://…`) and the schemes that hold a
/// contact without slashes (`mailto:`, `tel:`, `sms:`, `whatsapp:`…); `www.` addresses.
static SCHEME_LINK: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)(?:[a-z][a-z0-9+.\-]{0,30}://|(?:mailto|tel|sms|callto|skype|whatsapp|facetime|sip|xmpp):|www\d{0,3}\.)\S+",
    )
});

/// A bare web address: dotted labels ending in a top-level domain of letters,
/// with an optional port and path (`example.org/jane-doe-profile`,
/// `facebook.com/jane.doe.77`). Checked further in [`bare_links`].
static BARE_LINK: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"(?:{LABEL}\.)+(\p{{L}}{{2,63}})(?::\d{{1,5}})?([/?#]\S*)?"
    ))
});

/// The letters, digits, marks, dots, dashes and underscores that end a text:
/// the word a link found right after it is glued to.
static GLUED_WORD: LazyLock<Regex> = LazyLock::new(|| pattern(r"[\p{L}\p{N}\p{M}._\-]+$"));

/// Dotted quads; each number is checked to be at most 255, and what stands
/// either side in [`ips`]: not a digit ("1234.5.6.7" is some other number).
/// Letters may be: "IP10.0.0.1", "É_10.0.0.1" and "server10.1.2.3" are
/// addresses, which a word boundary missed; a version number written the
/// same way ("v1.2.3.4") goes too, which costs a reader nothing.
static IPV4: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}"));

/// Candidates for IPv6 addresses (hex groups and colons, an optional IPv4 tail
/// and zone), each then checked by the standard library's parser.
static IPV6: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?:%[\p{L}\p{N}_.\-]+)?",
    )
});

/// Runs of digits joined by the separators people write phone numbers with:
/// spaces, dots, dashes, slashes and brackets (`07700/900123`,
/// `+44 (0)7700 900123`). Split into numbers in [`phones`].
static DIGIT_CHAIN: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\+?\(?\d+(?:[ .\-\u{2013}/()]{1,3}\d+)*"));

/// A run of digits, inside a chain.
static DIGITS: LazyLock<Regex> = LazyLock::new(|| pattern(r"\d+"));

/// Full UK postcodes (`SW1A 1AA`, `m1 1ae`, `GIR 0AA`) by the Royal Mail's
/// letter rules. An outward code alone (`SW1A`) names an area, not an address, and stays.
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| pattern(&format!(r"(?i)\b{POSTCODE_SHAPE}\b")));

/// The shape of a full UK postcode, in capitals.
const POSTCODE_SHAPE: &str = r"(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})";

/// Postcodes written in capitals and glued to lower-case letters
/// (`mySW1A 1AA`, `SW1A 1AAthanks`), which the word boundaries of
/// [`POSTCODE`] miss; the capitals tell where the postcode starts and ends.
static POSTCODE_GLUED: LazyLock<Regex> = LazyLock::new(|| pattern(POSTCODE_SHAPE));

/// Social media names (`@jane_doe`, `@jane.doe`; the full-width and small
/// at signs of East Asian keyboards count as `@`, here and in e-mail addresses).
static HANDLE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"[@＠﹫][\p{L}\p{N}\p{M}_](?:[\p{L}\p{N}\p{M}_.]*[\p{L}\p{N}\p{M}_])?")
});

/// File extensions that make `report.pdf` a file name rather than a web address.
const FILE_EXTENSIONS: [&str; 16] = [
    "pdf", "doc", "docx", "xls", "xlsx", "csv", "txt", "ppt", "pptx", "jpg", "jpeg", "png", "gif",
    "zip", "odt", "rtf",
];

/// Replaces e-mail addresses, web links, IP addresses, phone numbers, UK
/// postcodes and social media names with a label saying what was there
/// ("[e-mail removed]"). Everything else is kept as written.
///
/// Every detector runs on the whole text and the places found are merged
/// before anything is replaced, so overlapping finds (`mailto:` and the
/// address in it) become one label, and no replacement can join two pieces
/// of text into something new.
pub fn redact(text: &str) -> String {
    let mut finds = Vec::new();
    emails(text, &mut finds);
    scheme_links(text, &mut finds);
    bare_links(text, &mut finds);
    ips(text, &mut finds);
    phones(text, &mut finds);
    postcodes(text, &mut finds);
    handles(text, &mut finds);
    if finds.is_empty() {
        return text.to_string();
    }
    // A find glued to a dotted word takes the word with it (see `glued_start`).
    for find in &mut finds {
        find.0 = glued_start(text, find.0);
    }
    finds.sort_by_key(|&(start, end, kind)| (start, std::cmp::Reverse(end), kind));
    let mut merged: Vec<(usize, usize, Kind)> = Vec::new();
    for (start, end, kind) in finds {
        match merged.last_mut() {
            Some(last) if start < last.1 => {
                last.1 = last.1.max(end);
                last.2 = last.2.min(kind);
            }
            _ => merged.push((start, end, kind)),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, kind) in merged {
        out.push_str(&text[at..start]);
        out.push_str(kind.label());
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

type Finds = Vec<(usize, usize, Kind)>;

fn emails(text: &str, finds: &mut Finds) {
    finds.extend(
        EMAIL
            .find_iter(text)
            .map(|m| (m.start(), m.end(), Kind::Email)),
    );
}

fn scheme_links(text: &str, finds: &mut Finds) {
    for m in SCHEME_LINK.find_iter(text) {
        let end = m.start() + trim_link_end(m.as_str());
        // A scheme and nothing after it ("see http://") hides nothing.
        if end > m.start() {
            finds.push((m.start(), end, Kind::Link));
        }
    }
}

/// Where a find at `start` really begins: a link, address or number glued to a dotted
/// word before it ("Açø0.COMwww.") takes that word with it, back to a space or
/// bracket, because cutting the link out alone would leave a new address
/// ("Açø0.COM") that no detector saw whole. A word without a dot ("żŁa://")
/// cannot be an address and is kept.
fn glued_start(text: &str, start: usize) -> usize {
    let before = &text[..start];
    if !before
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
    {
        return start;
    }
    GLUED_WORD
        .find(before)
        .filter(|word| word.as_str().contains('.'))
        .map_or(start, |word| word.start())
}

fn bare_links(text: &str, finds: &mut Finds) {
    for captures in BARE_LINK.captures_iter(text) {
        let all = captures.get(0).expect("the whole match");
        // After an "@" it is the domain of an e-mail address or a name like
        // "@jane.doe", which `emails` or `handles` find and label. It is still
        // found here, "@" and all, as a name (the last label in the merge), so
        // a domain that neither finds whole ("@000.000-000a.com", where a
        // phone number takes the digits) cannot leave "a.com" behind.
        let at =
            (text[..all.start()].chars().next_back()).filter(|c| matches!(c, '@' | '＠' | '﹫'));
        let (start, kind) = match at {
            Some(at) => (all.start() - at.len_utf8(), Kind::Handle),
            None => (all.start(), Kind::Link),
        };
        let tld = captures.get(1).expect("the domain's last label").as_str();
        let has_path = captures.get(2).is_some();
        if !has_path {
            // "it.The" is a missing space, not a domain: real top-level domains are
            // written all in one case. And "report.pdf" is a file.
            let upper = tld.chars().any(char::is_uppercase);
            let lower = tld.chars().any(char::is_lowercase);
            if (upper && lower) || FILE_EXTENSIONS.contains(&tld.to_lowercase().as_str()) {
                continue;
            }
        }
        let end = all.start() + trim_link_end(all.as_str());
        finds.push((start, end, kind));
    }
}

/// The length of `link` without the punctuation that ends the sentence around
/// it: trailing `.,;:!?'"` and a closing bracket that was not opened in the link.
fn trim_link_end(link: &str) -> usize {
    let mut end = link.len();
    loop {
        let Some(last) = link[..end].chars().next_back() else {
            return 0;
        };
        let unbalanced = |open: char, close: char| {
            last == close && link[..end].matches(open).count() < link[..end].matches(close).count()
        };
        if matches!(
            last,
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '’' | '”' | '…'
        ) || unbalanced('(', ')')
            || unbalanced('[', ']')
            || unbalanced('{', '}')
            || last == '>'
        {
            end -= last.len_utf8();
        } else {
            return end;
        }
    }
}

fn ips(text: &str, finds: &mut Finds) {
    for m in IPV4.find_iter(text) {
        // A fourth digit on either side makes it some other number ("1234.5.6.7").
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        let alone =
            !glued(text[..m.start()].chars().next_back()) && !glued(text[m.end()..].chars().next());
        if alone
            && m.as_str()
                .split('.')
                .all(|n| n.parse::<u32>().is_ok_and(|n| n <= 255))
        {
            finds.push((m.start(), m.end(), Kind::Ip));
        }
    }
    for m in IPV6.find_iter(text) {
        // "fe80::1:" or "…%eth0." at the end of a clause: the colon or full stop is punctuation.
        let mut candidate = m.as_str();
        while (candidate.ends_with(':') && !candidate.ends_with("::"))
            || candidate.ends_with(['.', '-'])
        {
            candidate = &candidate[..candidate.len() - 1];
        }
        let address = candidate.split('%').next().unwrap_or(candidate);
        let hex_digits = address.chars().filter(char::is_ascii_hexdigit).count();
        // At least four hex digits: "std::" and "a::b" are not addresses.
        if hex_digits >= 4 && address.parse::<std::net::Ipv6Addr>().is_ok() {
            finds.push((m.start(), m.start() + candidate.len(), Kind::Ip));
        }
    }
}

/// Fewest digits in a phone number written without a `+`: fewer would take
/// dates and sums; UK numbers have 10 or 11.
const PHONE_DIGITS: usize = 9;
/// Fewest digits after a `+` (some countries have seven-digit numbers).
const PHONE_DIGITS_INTERNATIONAL: usize = 7;

/// Phone numbers, from each chain of digit runs. A chain can hold more than
/// a number: a code or year before it ("AAC2 07700 900 789", "2019 07700
/// 900123"), a date, or a count after it ("07700 900123 2 times"); those
/// neighbours are kept. What is left is a number when it has enough digits.
fn phones(text: &str, finds: &mut Finds) {
    for chain in DIGIT_CHAIN.find_iter(text) {
        let groups: Vec<(usize, usize)> = DIGITS
            .find_iter(chain.as_str())
            .map(|g| (chain.start() + g.start(), chain.start() + g.end()))
            .collect();
        let count = |from: usize, to: usize| -> usize {
            groups[from..to]
                .iter()
                .map(|&(s, e)| text[s..e].chars().count())
                .sum()
        };
        // The '+' or '(' just before group `k`, if any.
        let opener = |k: usize| -> Option<usize> {
            let floor = if k == 0 {
                chain.start()
            } else {
                groups[k - 1].1
            };
            text[floor..groups[k].0]
                .char_indices()
                .find(|&(_, c)| c == '+' || c == '(')
                .map(|(i, _)| floor + i)
        };
        let starts_number = |k: usize| opener(k).is_some() || text[groups[k].0..].starts_with('0');
        // "AAC2 07700…": the chain's first digits are the end of a word.
        let glued = opener(0).is_none()
            && text[..groups[0].0]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic);
        let mut k = 0;
        while k < groups.len() {
            if is_date(text, &groups, k) {
                k += 3;
                continue;
            }
            if k + 1 < groups.len()
                && ((k == 0 && glued) || (!starts_number(k) && starts_number(k + 1)))
                && count(k + 1, groups.len()) >= PHONE_DIGITS
            {
                k += 1;
                continue;
            }
            let plus = opener(k).is_some_and(|i| text[i..].starts_with('+'));
            let end = uk_number_end(text, &groups[k..], plus).map_or(groups.len(), |j| k + j + 1);
            let needed = if plus {
                PHONE_DIGITS_INTERNATIONAL
            } else {
                PHONE_DIGITS
            };
            let years = (k..end).all(|g| is_year(&text[groups[g].0..groups[g].1]));
            if count(k, end) >= needed && (plus || !years) {
                let stop = groups[end - 1].1;
                let mut start = opener(k).unwrap_or(groups[k].0);
                // "(07700 900123)": a bracket closed after the number is not part of it.
                if text[start..].starts_with('(') && !text[start..stop].contains(')') {
                    start += 1;
                }
                finds.push((start, stop, Kind::Phone));
            }
            k = end;
        }
    }
}

/// For groups starting a UK number (`07700…`, `+44…`, `0044…`) followed by
/// more digits, the index of the group where the number is complete, so a
/// count written after it ("07700 900123 2 times") stays.
fn uk_number_end(text: &str, groups: &[(usize, usize)], plus: bool) -> Option<usize> {
    let digits: String = groups.iter().map(|&(s, e)| &text[s..e]).collect();
    // Digits of a whole number: 11 written nationally (a few areas have 10).
    let lengths: &[usize] = match () {
        _ if plus && digits.starts_with("440") => &[13],
        _ if plus && digits.starts_with("44") => &[12],
        _ if plus => return None,
        _ if digits.starts_with("00440") => &[15],
        _ if digits.starts_with("0044") => &[14],
        _ if digits.starts_with('0') && !digits.starts_with("00") => &[11, 10],
        _ => return None,
    };
    let mut seen = Vec::with_capacity(groups.len());
    let mut total = 0;
    for &(s, e) in groups {
        total += text[s..e].chars().count();
        seen.push(total);
    }
    for &length in lengths {
        match seen.iter().position(|&n| n == length) {
            Some(j) if j + 1 < groups.len() => return Some(j),
            // The whole chain is one number.
            Some(_) => return None,
            None => {}
        }
    }
    None
}

/// Groups `k`, `k + 1`, `k + 2` read as a day, month and year joined by `/`, `.` or `-`.
fn is_date(text: &str, groups: &[(usize, usize)], k: usize) -> bool {
    if k + 2 >= groups.len() {
        return false;
    }
    let part = |g: usize| &text[groups[g].0..groups[g].1];
    let joined = |g: usize| {
        let between = &text[groups[g].1..groups[g + 1].0];
        matches!(between, "/" | "." | "-")
    };
    let number = |g: usize| part(g).parse::<u32>().ok();
    joined(k)
        && joined(k + 1)
        && part(k).len() <= 2
        && part(k + 1).len() <= 2
        && matches!(part(k + 2).len(), 2 | 4)
        && number(k).is_some_and(|d| (1..=31).contains(&d))
        && number(k + 1).is_some_and(|m| (1..=31).contains(&m))
}

/// A four-digit year from 1900 to 2099.
fn is_year(digits: &str) -> bool {
    digits.len() == 4 && (digits.starts_with("19") || digits.starts_with("20"))
}

fn postcodes(text: &str, finds: &mut Finds) {
    for m in POSTCODE.find_iter(text) {
        // "SW1A 1AA" or "sw1a 1aa"; "B2 3rd" mixes cases and is an ordinal.
        let upper = m.as_str().chars().any(char::is_uppercase);
        let lower = m.as_str().chars().any(char::is_lowercase);
        if !(upper && lower) {
            finds.push((m.start(), m.end(), Kind::Postcode));
        }
    }
    // In capitals, a postcode ends where the capitals and digits end.
    let capital = |c: Option<char>| c.is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    for m in POSTCODE_GLUED.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if !capital(before) && !capital(after) {
            finds.push((m.start(), m.end(), Kind::Postcode));
        }
    }
}

/// Every `@name`. One inside an e-mail address overlaps the address, which
/// wins the merge in [`redact`], so no `@` is left for a second look to find.
fn handles(text: &str, finds: &mut Finds) {
    finds.extend(
        HANDLE
            .find_iter(text)
            .map(|m| (m.start(), m.end(), Kind::Handle)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_contact_details() {
        assert_eq!(
            redact("Call me on 07700 900123 or mail sam.lee@example.org"),
            "Call me on [phone number removed] or mail [e-mail removed]"
        );
        assert_eq!(
            redact("See https://example.org/page?x=1 and www.example.org"),
            "See [link removed] and [link removed]"
        );
        assert_eq!(redact("+44 (0)20 7946 0958"), "[phone number removed]");
        assert_eq!(redact("We met 3 times in 2026."), "We met 3 times in 2026.");
    }

    /// Found by the linkify property test: a name whose digits a phone number
    /// takes must not leave the rest of its domain ("a.com") behind; names
    /// and addresses keep their own labels.
    #[test]
    fn a_domain_after_an_at_sign_never_survives() {
        assert_eq!(redact("@000.000-000a.com"), "[phone number removed]");
        assert_eq!(
            redact("x @000.000-000a.com y"),
            "x [phone number removed] y"
        );
        assert_eq!(redact("ask @jane.doe now"), "ask [username removed] now");
        assert_eq!(redact("mail a@b.example.org"), "mail [e-mail removed]");
    }

    /// Each form named in issue 11, item 12, and its neighbours kept.
    #[test]
    fn every_reported_form_is_removed_whole() {
        let cases = [
            (
                "Write to jane@bücher.de today",
                "Write to [e-mail removed] today",
            ),
            ("zoë.brown@example.org", "[e-mail removed]"),
            ("(Zoë: zoë.brown@example.org)", "(Zoë: [e-mail removed])"),
            ("mailto:jane.doe@example.org", "[e-mail removed]"),
            ("<mailto:jane.doe@example.org>", "<[e-mail removed]>"),
            ("jane [at] example [dot] org", "[e-mail removed]"),
            ("jane(at)example.org", "[e-mail removed]"),
            (
                "Text 07700/900123 after 5",
                "Text [phone number removed] after 5",
            ),
            ("AAC2 07700 900 789", "AAC2 [phone number removed]"),
            ("+44 (0)7700 900123", "[phone number removed]"),
            ("(07700 900123)", "([phone number removed])"),
            ("ring 0044 7700 900123.", "ring [phone number removed]."),
            ("US +1 (555) 123-4567", "US [phone number removed]"),
            ("+33 1 23 45 67 89", "[phone number removed]"),
            ("07700 900123 2 times", "[phone number removed] 2 times"),
            ("In 2019 07700 900123", "In 2019 [phone number removed]"),
            (
                "On 01/02/2026 07700 900123",
                "On 01/02/2026 [phone number removed]",
            ),
            ("tel07700900123", "tel[phone number removed]"),
            ("example.org/jane-doe-profile", "[link removed]"),
            ("See facebook.com/jane.doe.77.", "See [link removed]."),
            (
                "my page (instagram.com/jane_doe)",
                "my page ([link removed])",
            ),
            (
                "Visit www.example.org, please",
                "Visit [link removed], please",
            ),
            ("Visit Example.ORG", "Visit [link removed]"),
            ("ftp://files.example.org/x", "[link removed]"),
            (
                "from 192.168.0.12 at home",
                "from [IP address removed] at home",
            ),
            (
                "IPv6 2001:db8::8a2e:370:7334 here",
                "IPv6 [IP address removed] here",
            ),
            ("fe80::1ff:fe23:4567:890a%eth0.", "[IP address removed]."),
            ("[2001:db8::1]:8080", "[[IP address removed]]:8080"),
            ("I live at SW1A 1AA now", "I live at [postcode removed] now"),
            ("near m1 1ae", "near [postcode removed]"),
            (
                "follow @jane_doe or @jane.doe.",
                "follow [username removed] or [username removed].",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(redact(input), expected, "{input}");
        }
    }

    /// Found by the linkify property test in tests/it/privacy.rs: an IPv4
    /// address after an underscore ("É_0.0.0.0") had no word boundary before
    /// it, so it was kept. Numbers with a fourth digit are still not addresses.
    #[test]
    fn an_ip_address_glued_to_a_word_is_removed() {
        assert_eq!(redact("É_0.0.0.0"), "É_[IP address removed]");
        assert_eq!(
            redact("host_10.0.0.1_down"),
            "host_[IP address removed]_down"
        );
        // Found by a hostile reading of the README: postcodes glued to words.
        assert_eq!(redact("SW1A 1AAthanks"), "[postcode removed]thanks");
        assert_eq!(redact("mySW1A 1AA"), "my[postcode removed]");
        assert_eq!(redact("in year12 3rd set"), "in year12 3rd set");
        // Found by a hostile reading of the README: full-width at signs.
        assert_eq!(redact("ask ＠janedoe"), "ask [username removed]");
        assert_eq!(redact("jane＠example.org"), "[e-mail removed]");
        // Found by a hostile reading of the README: letters glued on either side.
        for glued in [
            "IP10.0.0.1",
            "server10.1.2.3",
            "é10.1.2.3",
            "Ж192.168.0.1",
            "x10.1.2.3x",
        ] {
            let out = redact(glued);
            assert!(out.contains("[IP address removed]"), "{glued} became {out}");
            assert!(
                !out.contains("10.") && !out.contains("192."),
                "{glued} became {out}"
            );
        }
        assert_eq!(redact("1234.5.6.7"), "1234.5.6.7");
        assert_eq!(redact("1.2.3.4567"), "1.2.3.4567");
        assert_eq!(redact("1.2.3.256"), "1.2.3.256");
    }

    /// Found by the linkify property test in tests/it/privacy.rs: cutting out
    /// "www" alone left "Açø0.COM", an address glued to it.
    #[test]
    fn a_link_glued_to_a_word_takes_the_word_with_it() {
        let out = redact("Açø0.COMwww., ");
        assert_eq!(out, "[link removed]., ");
        let mut finder = linkify::LinkFinder::new();
        finder.url_must_have_scheme(false);
        assert_eq!(finder.links(&out).count(), 0, "{out:?}");
        assert_eq!(redact("me.xwww.example.org ok"), "[link removed] ok");
        assert_eq!(redact("0.COMa000::"), "[IP address removed]");
        assert_eq!(redact("see (www.example.org)"), "see ([link removed])");
    }

    #[test]
    fn ordinary_writing_is_kept() {
        for text in [
            "Meeting at 10:30:45 on 12/03/2026 14:00, in Q3 2nd half.",
            "It was good.The staff listened, e.g. at 3 p.m. in room 4.",
            "Scores went 2019 2020 2021 up; we spent £1,250.50 on 3.5 days.",
            "See the report.pdf, section 2.1, and the std::vector note.",
            "B2 3rd floor; Ph.D. work; St.Mary's; No.1 fan; version 4 build",
            "We are 100% sure: 5 @ 3pm is fine, A&E was busy.",
        ] {
            assert_eq!(redact(text), text);
        }
    }

    #[test]
    fn redaction_comes_before_the_cut() {
        let text = format!(
            "{} jane.smith@example.org and 07700 900123",
            "word ".repeat(118)
        );
        let mut comments = Comments {
            columns: vec![0],
            by_slot: vec![Vec::new()],
        };
        let row = Row {
            number: 2,
            cells: vec![text],
            completed: None,
        };
        comments.add(&row, Some(0));
        let quoted = &comments.by_slot[0][0];
        assert!(quoted.ends_with('…'), "{quoted}");
        assert!(
            !quoted.contains("jane") && !quoted.contains("07700"),
            "{quoted}"
        );
        // The cut never splits a label.
        let long = format!("{} jane@example.org tail", "x".repeat(589));
        let cut = shorten(&redact(&long));
        assert!(cut.ends_with('…') && !cut.contains("[e-mail"), "{cut}");
    }

    #[test]
    fn only_shown_groups_are_quoted_in_a_fixed_order() {
        let names = vec!["A".to_string(), "B".to_string(), "Did not say".to_string()];
        let comments = Comments {
            columns: vec![0],
            by_slot: vec![
                vec!["zebra".into(), "apple".into()],
                vec!["hidden".into()],
                vec![],
            ],
        };
        let quotes = comments.publish(&names, &[true, false, false]);
        let texts: Vec<&str> = quotes.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(texts, ["apple", "zebra"]);
    }

    #[test]
    fn long_comments_are_cut() {
        let long = "word ".repeat(500);
        let short = shorten(long.trim());
        assert!(short.chars().count() <= MAX_CHARS + 1 && short.ends_with('…'));
    }
}
