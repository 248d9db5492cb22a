//! Recognising columns that identify a person, by header and by content.
//!
//! A column is dropped as identity, before any of its cells leave the reader,
//! when:
//!
//! 1. **a header row names it** ([`header_rule`]): the metadata columns of
//!    every platform in the languages they export (English, German, French,
//!    Spanish, Dutch, Italian, Portuguese, Polish, Welsh: `IP-adres`,
//!    `Vorname des Empfängers`, `Adresse IP`), panel and worker ids (Prolific,
//!    MTurk, Cint, external references) and free-text name and contact
//!    questions ("Your name (optional)", "What is your name?", "Contact
//!    number", a grid's `[Naam]` row). Every header row is looked at, so a
//!    Qualtrics file read with `--format generic` still loses its metadata;
//! 2. **its answers are mostly contact details** ([`ContentCount`]): more than
//!    half of its non-blank cells are e-mail addresses, IP addresses (v4 or
//!    v6), phone numbers or UK postcodes, whatever its header says. Questions
//!    the questionnaire reads (statements, the group question, comment
//!    questions) are never dropped for their content.
//!
//! A column whose every answer is Yes or No (in any of those languages) is
//! never identity, whatever its header: "Would you like to join our mailing
//! list?" is a question, not an e-mail address.
//!
//! Only counts are kept while content is judged: how many cells looked like
//! each kind of contact detail, never the cells themselves.
//!
//! Why one file of over 600 lines: header and content are one decision (the
//! Yes/No rule overrides a header rule, content stands in where no header
//! rule fires, the two reasons are reported together), and most of the length
//! is data: the header word lists of nine languages (about 500 lines) and the
//! tests that pin them. Split, each half would need the other's types.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::text::normalise;

/// Why a header marks a column as identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeaderRule {
    /// A platform's metadata column: response or respondent id, IP address,
    /// location, recipient, token, referrer (`ResponseId`, `IP-adres`).
    Metadata,
    /// A panel or worker id (Prolific, MTurk, Cint, external reference).
    PanelId,
    /// A question asking for a name or contact details ("Your name (optional)").
    NameOrContact,
    /// A header that mentions an e-mail or IP address without being one of the
    /// above ("E-mail me the results"). Weaker than the others: a column the
    /// questionnaire reads as a question is kept.
    Mentions,
}

impl HeaderRule {
    /// True when the rule yields to the questionnaire claiming the column as a question.
    pub fn is_weak(self) -> bool {
        self == HeaderRule::Mentions
    }

    /// A few words for people.
    pub fn describe(self) -> &'static str {
        match self {
            HeaderRule::Metadata => "the platform's respondent details",
            HeaderRule::PanelId => "a panel or worker id",
            HeaderRule::NameOrContact => "asks for a name or contact details",
            HeaderRule::Mentions => "mentions an e-mail or IP address",
        }
    }
}

/// The kind of contact detail a column's answers hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContentKind {
    /// `jane@example.org`
    Email,
    /// `192.0.2.10`, `2001:db8::1`
    IpAddress,
    /// `07700 900123`, `+44 7700 900123`
    Phone,
    /// `SW1A 1AA`
    Postcode,
}

impl ContentKind {
    /// Plural words for people.
    pub fn describe(self) -> &'static str {
        match self {
            ContentKind::Email => "e-mail addresses",
            ContentKind::IpAddress => "IP addresses",
            ContentKind::Phone => "phone numbers",
            ContentKind::Postcode => "postcodes",
        }
    }
}

/// A column dropped as identity (or kept although its header looked like
/// identity), for `check`: its letter, header and why, never its cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdentityColumn {
    /// Spreadsheet-style letter of the column in the file.
    pub column: String,
    /// The header a person would recognise.
    pub header: String,
    /// Why.
    #[serde(flatten)]
    pub reason: IdentityReason,
}

/// Why a column was judged to identify people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum IdentityReason {
    /// A header row names it.
    Header {
        /// Which rule.
        rule: HeaderRule,
    },
    /// Most of its answers are contact details.
    Content {
        /// Which kind, the commonest.
        kind: ContentKind,
        /// How many answers looked like contact details.
        matching: usize,
        /// How many non-blank answers were judged.
        answers: usize,
    },
}

impl IdentityReason {
    /// For people: "header: a panel or worker id", "content: 5 of 6 answers are e-mail addresses".
    pub fn describe(&self) -> String {
        match self {
            IdentityReason::Header { rule } => format!("header: {}", rule.describe()),
            IdentityReason::Content {
                kind,
                matching,
                answers,
            } => format!(
                "content: {matching} of {answers} answers {} {}",
                if *answers == 1 { "is" } else { "are" },
                kind.describe()
            ),
        }
    }
}

/// Counts of what a column's cells look like: never the cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContentCount {
    /// Non-blank cells.
    pub answers: usize,
    /// Cells that are an e-mail address.
    pub email: usize,
    /// Cells that are an IPv4 or IPv6 address.
    pub ip: usize,
    /// Cells that are a phone number.
    pub phone: usize,
    /// Cells that are a UK postcode.
    pub postcode: usize,
    /// Cells that are Yes or No.
    pub yes_no: usize,
}

impl ContentCount {
    /// Counts one cell (already trimmed); blank cells count for nothing.
    pub fn add(&mut self, cell: &str) {
        if cell.is_empty() {
            return;
        }
        self.answers += 1;
        match classify(cell) {
            Some(Class::Email) => self.email += 1,
            Some(Class::Ip) => self.ip += 1,
            Some(Class::Phone) => self.phone += 1,
            Some(Class::Postcode) => self.postcode += 1,
            Some(Class::YesNo) => self.yes_no += 1,
            None => {}
        }
    }

    /// True when there is at least one answer and every answer is Yes or No.
    pub fn all_yes_no(&self) -> bool {
        self.answers > 0 && self.yes_no == self.answers
    }

    /// The kind of contact detail, and how many cells hold one, when more
    /// than half of the answers are contact details.
    pub fn identity(&self) -> Option<(ContentKind, usize)> {
        let matching = self.email + self.ip + self.phone + self.postcode;
        if self.answers == 0 || matching * 2 <= self.answers {
            return None;
        }
        let kinds = [
            (ContentKind::Email, self.email),
            (ContentKind::IpAddress, self.ip),
            (ContentKind::Phone, self.phone),
            (ContentKind::Postcode, self.postcode),
        ];
        // The commonest kind names the column; ties go to the first listed.
        let kind = kinds
            .iter()
            .copied()
            .reduce(|best, next| if next.1 > best.1 { next } else { best })
            .map(|(kind, _)| kind)
            .expect("four kinds");
        Some((kind, matching))
    }
}

enum Class {
    Email,
    Ip,
    Phone,
    Postcode,
    YesNo,
}

fn classify(cell: &str) -> Option<Class> {
    // Cheap tests first: most cells are scale labels, numbers or dates.
    if cell.len() > 254 {
        return None;
    }
    if cell.contains('@') {
        let address = cell
            .strip_prefix("mailto:")
            .or_else(|| cell.strip_prefix("MAILTO:"))
            .unwrap_or(cell);
        return EMAIL.is_match(address).then_some(Class::Email);
    }
    if is_ip(cell) {
        return Some(Class::Ip);
    }
    if is_phone(cell) {
        return Some(Class::Phone);
    }
    if (5..=8).contains(&cell.len()) && POSTCODE.is_match(cell) {
        return Some(Class::Postcode);
    }
    if cell.len() <= 16 && is_yes_no(cell) {
        return Some(Class::YesNo);
    }
    None
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^\s@<>(),;:]+@[^\s@<>(),;:]+\.[^\s@<>(),;:.]{2,}$").expect("valid pattern")
});

// The UK postcode forms (A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA)
// and GIR 0AA, with or without the space.
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")
        .expect("valid pattern")
});

fn is_ip(cell: &str) -> bool {
    let plausible = cell.len() >= 7
        && cell
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b':' || b == b'%');
    plausible
        && cell
            .split('%')
            .next()
            .is_some_and(|a| a.parse::<IpAddr>().is_ok())
}

/// A phone number: 9 to 13 digits with only spaces, dashes, dots, slashes and
/// brackets between them and an optional leading `+`. A bare run of digits
/// counts only when it starts as a UK number does (`0…`, `44…`, or `7…` with
/// ten digits, the mobile number Excel stripped of its 0), so that ids, epoch
/// times and durations are not read as phones.
fn is_phone(cell: &str) -> bool {
    let mut digits = 0;
    let mut separators = 0;
    for (i, c) in cell.char_indices() {
        match c {
            '0'..='9' => digits += 1,
            '+' if i == 0 => separators += 1,
            ' ' | '-' | '.' | '/' | '(' | ')' => separators += 1,
            _ => return false,
        }
    }
    if !(9..=13).contains(&digits) {
        return false;
    }
    let first = cell.trim_start_matches(['+', '(']);
    if separators > 0 {
        // A date or a decimal is not a phone: a phone has no lone dot between digit groups of 1-4.
        return !cell.contains('.') || cell.matches('.').count() >= 2;
    }
    first.starts_with('0')
        || (first.starts_with("44") && digits >= 11)
        || (first.starts_with('7') && digits == 10)
}

/// Yes and No in the languages platforms export, with "please" or "thanks".
fn is_yes_no(cell: &str) -> bool {
    const WORDS: &[&str] = &[
        "yes",
        "no",
        "y",
        "n",
        "ja",
        "nee",
        "nein",
        "oui",
        "non",
        "sí",
        "si",
        "tak",
        "nie",
        "sim",
        "não",
        "nao",
        "ie",
        "na",
        "do",
        "naddo",
        "yes please",
        "no thanks",
        "no thank you",
    ];
    let key = normalise(cell).replace(',', "");
    WORDS.contains(&key.as_str())
}

/// The rule by which a header names an identity column, if any.
///
/// `header` is one cell of one header row (a question, a platform code, a
/// Qualtrics ImportId); callers ask once per header row.
pub fn header_rule(header: &str) -> Option<HeaderRule> {
    let key = normalise(header);
    if key.is_empty() {
        return None;
    }
    for candidate in candidates(&key) {
        if let Some(rule) = exact_rule(&candidate) {
            return Some(rule);
        }
    }
    if let Some(rule) = token_rule(&key) {
        return Some(rule);
    }
    let squashed: String = key.chars().filter(|c| c.is_alphanumeric()).collect();
    let mentions = [
        "email",
        "ipaddress",
        "courriel",
        "correoelectr",
        "ebost",
        "ipadres",
    ];
    mentions
        .iter()
        .any(|m| squashed.contains(m))
        .then_some(HeaderRule::Mentions)
}

/// True when a header names a column that can identify a person.
pub fn is_identity_column(header: &str) -> bool {
    header_rule(header).is_some()
}

/// The forms of a normalised header to look up: the header without a leading
/// number or a trailing "(optional)"; a grid row (`Contact [Naam]`, `Q5 -
/// Email`); the last part of a Kobo name (`meta/instanceID`); and a question
/// asking for the thing ("What is your name", "Please enter your e-mail").
fn candidates(key: &str) -> Vec<String> {
    let mut out = vec![key.to_string()];
    fn add(out: &mut Vec<String>, s: &str) {
        let s = s.trim().trim_end_matches(['.', '?', ':', '*', '!']).trim();
        if !s.is_empty() && !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    }
    let mut stripped = key.to_string();
    for suffix in OPTIONAL {
        if let Some(rest) = stripped.strip_suffix(suffix) {
            stripped = rest
                .trim_end()
                .trim_end_matches([':', '?', '*'])
                .trim()
                .to_string();
        }
    }
    if let Some(rest) = super::numbered_header(&stripped) {
        stripped = rest.to_string();
    }
    // `Q3. Your name`, LimeSurvey's "code. text" headings.
    if let Some((code, rest)) = stripped.split_once(". ")
        && !code.is_empty()
        && code.len() <= 12
        && !code.contains(' ')
        && code.chars().any(|c| c.is_ascii_digit())
    {
        stripped = rest.to_string();
    }
    add(&mut out, &stripped);
    // A grid's row: the last `[...]`, or the text after the last " - ".
    if let Some(open) = stripped.rfind('[')
        && let Some(row) = stripped[open + 1..].strip_suffix(']')
    {
        add(&mut out, row);
    }
    if let Some((_, row)) = stripped.rsplit_once(" - ") {
        add(&mut out, row);
    }
    // Kobo and ODK prefix names with their group: `meta/instanceID`, `respondent.name`.
    if let Some((_, last)) = stripped.rsplit_once(['/', '.'])
        && !last.is_empty()
        && !last.contains(' ')
    {
        add(&mut out, last);
    }
    for prefix in ASKING.iter().filter(|_| key.contains(' ')) {
        let found: Vec<String> = out
            .iter()
            .filter_map(|c| c.strip_prefix(prefix).map(str::to_string))
            .collect();
        for rest in found {
            if ASKED.contains(&rest.trim_end_matches(['?', '.', ':']).trim()) {
                add(&mut out, &rest);
            }
        }
    }
    out
}

/// Trailing words that mark a question as optional, normalised.
const OPTIONAL: &[&str] = &[
    "(optional)",
    "(optioneel)",
    "(facultatif)",
    "(facultative)",
    "(opcional)",
    "(optional, freiwillig)",
    "(freiwillig)",
    "(facoltativo)",
    "(opcjonalnie)",
    "(dewisol)",
    "(not required)",
    "(if you want)",
    "(if you like)",
];

/// How a question asks for something, normalised.
const ASKING: &[&str] = &[
    "what is your ",
    "what's your ",
    "whats your ",
    "please enter your ",
    "please give your ",
    "please give us your ",
    "please provide your ",
    "please tell us your ",
    "please write your ",
    "please type your ",
    "enter your ",
    "your ",
    "wat is je ",
    "wat is uw ",
    "uw ",
    "je ",
    "ihr ",
    "dein ",
    "votre ",
    "ton ",
    "tu ",
    "su ",
    "il tuo ",
    "la tua ",
    "seu ",
    "sua ",
    "o seu ",
    "twoje ",
    "eich ",
    "beth yw eich ",
];

/// What such a question can ask for that identifies a person.
const ASKED: &[&str] = &[
    "name",
    "full name",
    "first name",
    "last name",
    "surname",
    "forename",
    "given name",
    "family name",
    "email",
    "e-mail",
    "email address",
    "e-mail address",
    "phone number",
    "telephone number",
    "mobile number",
    "mobile phone number",
    "contact number",
    "contact details",
    "address",
    "home address",
    "postal address",
    "postcode",
    "post code",
    "date of birth",
    "naam",
    "name",
    "nom",
    "nombre",
    "nome",
    "imię",
    "enw",
    "prolific id",
];

/// Every exact header, normalised, with its rule: one look-up per candidate,
/// since an export can have 100,000 columns.
static EXACT: LazyLock<HashMap<&'static str, HeaderRule>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    // Later lists do not replace earlier ones: metadata first, as before.
    for (list, rule) in [
        (NAME_OR_CONTACT, HeaderRule::NameOrContact),
        (PANEL, HeaderRule::PanelId),
        (METADATA, HeaderRule::Metadata),
    ] {
        for key in list {
            map.insert(*key, rule);
        }
    }
    map
});

fn exact_rule(key: &str) -> Option<HeaderRule> {
    EXACT.get(key).copied()
}

/// Rules on the words of a short header, for metadata headers that platforms
/// translate word by word (`Breitengrad des Standorts`, `Antwort-ID`).
fn token_rule(key: &str) -> Option<HeaderRule> {
    let tokens: Vec<&str> = key
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let has = |words: &[&str]| tokens.iter().any(|t| words.contains(t));
    // Panel names are unmistakable anywhere in a header ("Please enter your Prolific ID").
    if has(&[
        "prolific",
        "mturk",
        "workerid",
        "assignmentid",
        "hitid",
        "cint",
        "psid",
    ]) {
        return Some(HeaderRule::PanelId);
    }
    if tokens.len() > 6 {
        return None;
    }
    if has(&["worker", "panel", "panelist", "panellist"]) && has(&["id", "ids", "number"]) {
        return Some(HeaderRule::PanelId);
    }
    if has(&["ip"]) && (tokens.len() == 1 || has(ADDRESS_WORDS)) {
        return Some(HeaderRule::Metadata);
    }
    if has(&[
        "latitude",
        "longitude",
        "latitud",
        "longitud",
        "latitudine",
        "longitudine",
        "breitengrad",
        "längengrad",
        "breedtegraad",
        "lengtegraad",
        "szerokość",
        "długość",
        "lledred",
        "hydred",
        "geolocation",
        "geolocalización",
        "geopoint",
        "gps",
    ]) {
        return Some(HeaderRule::Metadata);
    }
    if has(RECIPIENT_WORDS) && (has(NAME_WORDS) || has(&["email", "mail", "e", "courriel"])) {
        return Some(HeaderRule::Metadata);
    }
    if has(&[
        "id", "uuid", "nummer", "numéro", "número", "numero", "numer", "rhif",
    ]) && has(ID_OWNERS)
    {
        return Some(HeaderRule::Metadata);
    }
    if has(&[
        "external",
        "externe",
        "externa",
        "externo",
        "esterno",
        "zewnętrzny",
        "allanol",
    ]) && has(&[
        "reference",
        "referenz",
        "référence",
        "referencia",
        "riferimento",
        "referência",
        "referentie",
        "datenreferenz",
        "gegevensreferentie",
        "ref",
        "id",
        "cyfeirnod",
    ]) {
        return Some(HeaderRule::PanelId);
    }
    None
}

const ADDRESS_WORDS: &[&str] = &[
    "address",
    "adres",
    "adresse",
    "dirección",
    "direccion",
    "indirizzo",
    "endereço",
    "endereco",
    "cyfeiriad",
    "addr",
];

const RECIPIENT_WORDS: &[&str] = &[
    "recipient",
    "empfänger",
    "empfängers",
    "destinataire",
    "destinatario",
    "destinatário",
    "ontvanger",
    "odbiorca",
    "odbiorcy",
    "derbynnydd",
];

const NAME_WORDS: &[&str] = &[
    "name",
    "naam",
    "nom",
    "nombre",
    "nome",
    "imię",
    "enw",
    "vorname",
    "nachname",
    "voornaam",
    "achternaam",
    "prénom",
    "apellido",
    "cognome",
    "sobrenome",
    "nazwisko",
    "cyfenw",
    "first",
    "last",
    "firstname",
    "lastname",
];

/// Whose id an `… ID` header names: a response, a respondent, a user.
const ID_OWNERS: &[&str] = &[
    "response",
    "respons",
    "respondent",
    "antwort",
    "réponse",
    "respuesta",
    "risposta",
    "resposta",
    "odpowiedzi",
    "ymateb",
    "submission",
    "record",
    "participant",
    "deelnemer",
    "teilnehmer",
    "participante",
    "partecipante",
    "uczestnika",
    "uczestnik",
    "cyfranogwr",
    "user",
    "gebruiker",
    "benutzer",
    "utilisateur",
    "usuario",
    "utente",
    "usuário",
    "użytkownika",
    "defnyddiwr",
    "student",
    "pupil",
    "staff",
    "employee",
    "member",
    "customer",
    "client",
    "case",
    "device",
    "session",
    "survey",
];

/// Platform metadata columns, normalised, in the languages platforms export.
const METADATA: &[&str] = &[
    // Response and respondent ids (Forms, Google, SurveyMonkey, Qualtrics, Kobo,
    // LimeSurvey, Typeform, JISC).
    "id",
    "#",
    "respondent id",
    "respondentid",
    "response id",
    "responseid",
    "_recordid",
    "recordid",
    "_id",
    "_uuid",
    "uuid",
    "_index",
    "_submitted_by",
    "_parent_index",
    "instanceid",
    "instance id",
    "collector id",
    "collectorid",
    "token",
    "access code",
    "deviceid",
    "device id",
    "simserial",
    "subscriberid",
    "imei",
    "phonenumber",
    "network id",
    "user id",
    "userid",
    "userno",
    "unique id",
    "uniqueid",
    "username",
    "custom data 1",
    "custom data",
    "customdata",
    "respons id",
    "respons-id",
    "antwort id",
    "antwort-id",
    "antwortid",
    "id de la réponse",
    "id de réponse",
    "id de respuesta",
    "id risposta",
    "id della risposta",
    "id da resposta",
    "id de resposta",
    "id odpowiedzi",
    "id ymateb",
    "toegangscode",
    "zugangscode",
    "zugangsschlüssel",
    "code d'accès",
    "jeton",
    "código de acceso",
    "codice di accesso",
    "código de acesso",
    "kod dostępu",
    "cod mynediad",
    "tocyn",
    // Network and location.
    "ip address",
    "ipaddress",
    "ipaddr",
    "ip",
    "ip-adres",
    "ip-adresse",
    "adresse ip",
    "dirección ip",
    "indirizzo ip",
    "endereço ip",
    "adres ip",
    "cyfeiriad ip",
    "location latitude",
    "location longitude",
    "locationlatitude",
    "locationlongitude",
    "locationaccuracy",
    "location accuracy",
    "latitude",
    "longitude",
    "refurl",
    "referrer url",
    "referrer",
    "referer",
    "verwijzende url",
    "verwijzings-url",
    "verweis-url",
    "url de référence",
    "url de referencia",
    "url di provenienza",
    "url de referência",
    "odsyłający url",
    "url cyfeirio",
    // Qualtrics recipients.
    "recipientemail",
    "recipient email",
    "recipient first name",
    "recipient last name",
    "recipientfirstname",
    "recipientlastname",
];

/// Panel, worker and external ids.
const PANEL: &[&str] = &[
    "prolific_pid",
    "prolific id",
    "prolific_id",
    "prolificid",
    "participant id",
    "participantid",
    "participant_id",
    "session_id",
    "sessionid",
    "workerid",
    "worker id",
    "worker_id",
    "mturk worker id",
    "assignmentid",
    "hitid",
    "rid",
    "psid",
    "panelist id",
    "panelist_id",
    "panel id",
    "external reference",
    "externalreference",
    "external data reference",
    "externaldatareference",
    "external id",
    "externalid",
    "ext_ref",
    "extref",
    "external_id",
];

/// Name and contact questions, normalised, in the languages platforms export.
const NAME_OR_CONTACT: &[&str] = &[
    // English.
    "name",
    "full name",
    "first name",
    "last name",
    "firstname",
    "lastname",
    "first_name",
    "last_name",
    "surname",
    "forename",
    "forenames",
    "given name",
    "family name",
    "middle name",
    "user name",
    "respondent name",
    "participant name",
    "name of respondent",
    "email",
    "e-mail",
    "email address",
    "e-mail address",
    "contact",
    "contact details",
    "contact number",
    "contact phone number",
    "contact telephone number",
    "contact email",
    "contact e-mail",
    "contact information",
    "contact info",
    "phone",
    "phone number",
    "telephone",
    "telephone number",
    "tel",
    "tel no",
    "mobile",
    "mobile number",
    "mobile phone",
    "mobile phone number",
    "address",
    "home address",
    "postal address",
    "street address",
    "address line 1",
    "address line 2",
    "postcode",
    "post code",
    "postal code",
    "zip",
    "zip code",
    "date of birth",
    "dob",
    "birth date",
    "nhs number",
    "national insurance number",
    "student id",
    "studentid",
    "staff id",
    "employee id",
    // Dutch.
    "naam",
    "voornaam",
    "achternaam",
    "volledige naam",
    "e-mailadres",
    "emailadres",
    "telefoonnummer",
    "telefoon",
    "mobiel nummer",
    "adres",
    "woonadres",
    "geboortedatum",
    // German.
    "vorname",
    "nachname",
    "familienname",
    "vollständiger name",
    "e-mail-adresse",
    "telefonnummer",
    "handynummer",
    "adresse",
    "anschrift",
    "postleitzahl",
    "plz",
    "geburtsdatum",
    // French.
    "nom",
    "prénom",
    "nom de famille",
    "nom complet",
    "adresse e-mail",
    "adresse électronique",
    "courriel",
    "téléphone",
    "numéro de téléphone",
    "code postal",
    "date de naissance",
    // Spanish.
    "nombre",
    "apellido",
    "apellidos",
    "nombre completo",
    "correo",
    "correo electrónico",
    "teléfono",
    "número de teléfono",
    "dirección",
    "código postal",
    "fecha de nacimiento",
    // Italian.
    "nome",
    "cognome",
    "nome e cognome",
    "indirizzo email",
    "indirizzo e-mail",
    "telefono",
    "numero di telefono",
    "indirizzo",
    "cap",
    "codice postale",
    "data di nascita",
    // Portuguese.
    "sobrenome",
    "apelido",
    "nome completo",
    "endereço de e-mail",
    "endereço de email",
    "telefone",
    "número de telefone",
    "endereço",
    "cep",
    "data de nascimento",
    // Polish.
    "imię",
    "nazwisko",
    "imię i nazwisko",
    "adres e-mail",
    "adres email",
    "telefon",
    "numer telefonu",
    "kod pocztowy",
    "data urodzenia",
    // Welsh.
    "enw",
    "enw cyntaf",
    "cyfenw",
    "enw llawn",
    "e-bost",
    "cyfeiriad e-bost",
    "rhif ffôn",
    "ffôn",
    "cyfeiriad",
    "cod post",
    "dyddiad geni",
    // Japanese (Microsoft Forms).
    "名前",
    "メール",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_identity_headers_across_platforms() {
        for header in [
            "ID",
            "Email",
            "Name",
            "Email Address",
            "E-mail",
            "IP Address",
            "IPAddress",
            "RecipientEmail",
            "Respondent ID",
            "ResponseId",
            "LocationLatitude",
            "_uuid",
            "#",
            "メール",
            "RecipientLastName",
            "LocationLongitude",
            "ExternalReference",
            "External Data Reference",
            "Collector ID",
            "Custom Data 1",
            "First Name",
            "Last Name",
            "ipaddr",
            "token",
            "refurl",
            "id",
            "_id",
            "_submitted_by",
            "deviceid",
            "meta/instanceID",
            "Network ID",
            "Email address",
            "_recordId",
        ] {
            assert!(is_identity_column(header), "{header} should be dropped");
        }
    }

    #[test]
    fn recognises_metadata_in_the_languages_platforms_export() {
        for header in [
            // Dutch LimeSurvey and Qualtrics.
            "IP-adres",
            "Respons ID",
            "Toegangscode",
            "Verwijzende URL",
            "Q5[SQ001]. [Naam]",
            "Contactgegevens [Naam]",
            "Voornaam ontvanger",
            "Locatie breedtegraad",
            // German.
            "IP-Adresse",
            "Antwort-ID",
            "Vorname des Empfängers",
            "E-Mail des Empfängers",
            "Breitengrad des Standorts",
            "Externe Datenreferenz",
            // French.
            "Adresse IP",
            "ID de la réponse",
            "Prénom du destinataire",
            "Latitude de l'emplacement",
            // Spanish.
            "Dirección IP",
            "ID de respuesta",
            "Nombre del destinatario",
            "Correo electrónico",
            // Italian.
            "Indirizzo IP",
            "ID risposta",
            "Cognome",
            // Portuguese.
            "Endereço IP",
            "ID da resposta",
            "Sobrenome",
            // Polish.
            "Adres IP",
            "ID odpowiedzi",
            "Imię i nazwisko",
            // Welsh.
            "Cyfeiriad IP",
            "Enw",
            "Cyfeiriad e-bost",
            "Rhif ffôn",
        ] {
            assert!(is_identity_column(header), "{header} should be dropped");
        }
    }

    #[test]
    fn recognises_panel_ids_and_name_or_contact_questions() {
        for (header, rule) in [
            ("Prolific ID", HeaderRule::PanelId),
            ("PROLIFIC_PID", HeaderRule::PanelId),
            ("Please enter your Prolific ID:", HeaderRule::PanelId),
            ("WorkerId", HeaderRule::PanelId),
            ("MTurk Worker ID", HeaderRule::PanelId),
            ("Cint ID", HeaderRule::PanelId),
            ("ExternalReference", HeaderRule::PanelId),
            ("ext_ref", HeaderRule::PanelId),
            ("Your name (optional)", HeaderRule::NameOrContact),
            ("What is your name?", HeaderRule::NameOrContact),
            ("Contact number", HeaderRule::NameOrContact),
            ("Home address", HeaderRule::NameOrContact),
            ("Forename", HeaderRule::NameOrContact),
            (
                "5. Your e-mail address (optional)",
                HeaderRule::NameOrContact,
            ),
            ("Q9. Postcode", HeaderRule::NameOrContact),
            ("Your details - First name", HeaderRule::NameOrContact),
            ("E-mail me a copy of the results", HeaderRule::Mentions),
        ] {
            assert_eq!(header_rule(header), Some(rule), "{header}");
        }
    }

    #[test]
    fn keeps_questions_and_dates() {
        for header in [
            "Completion time",
            "Which of these best describes you?",
            "Our organisation welcomes new ways of working.",
            "Timestamp",
            "Status",
            "Finished",
            "submitdate",
            "_submission_time",
            "grp/welcomes_new_ideas",
            "1. Which of these best describes you?",
            "Staff here use young people's names, not case numbers.",
            "Young people know who to contact when something goes wrong.",
            "What is your role?",
            "Is there anything else you would like to tell us?",
            "Seed",
            "Start language",
            "Datum verstuurd",
            "Would you like to join our mailing list?",
        ] {
            assert_eq!(header_rule(header), None, "{header} should be kept");
        }
    }

    fn count(cells: &[&str]) -> ContentCount {
        let mut count = ContentCount::default();
        for cell in cells {
            count.add(cell);
        }
        count
    }

    #[test]
    fn content_of_contact_details_is_recognised() {
        let emails = count(&["jane@example.org", "", "sam.o'neil@example.co.uk", "none"]);
        assert_eq!(emails.identity(), Some((ContentKind::Email, 2)));
        let ips = count(&["192.0.2.10", "2001:db8::1", "198.51.100.7"]);
        assert_eq!(ips.identity(), Some((ContentKind::IpAddress, 3)));
        let phones = count(&[
            "07700 900123",
            "+44 7700 900456",
            "(0161) 496 0000",
            "7700900789",
        ]);
        assert_eq!(phones.identity(), Some((ContentKind::Phone, 4)));
        let postcodes = count(&["SW1A 1AA", "m1 1ae", "B33 8TH", "no"]);
        assert_eq!(postcodes.identity(), Some((ContentKind::Postcode, 3)));
        // Half is not most.
        assert_eq!(count(&["jane@example.org", "Agree"]).identity(), None);
    }

    #[test]
    fn answers_dates_ids_and_durations_are_not_contact_details() {
        let cells = [
            "Strongly agree",
            "4",
            "10",
            "2026-09-14 15:16:40",
            "14/09/2026 15:16",
            "1726300000",
            "123456789",
            "3.14159265",
            "Q1",
            "N/A",
            "IP Address",
            "2026-09-14",
            "A manager or leader",
            "12.5",
        ];
        for cell in cells {
            assert_eq!(count(&[cell]).identity(), None, "{cell}");
        }
    }

    #[test]
    fn yes_no_answers_in_several_languages() {
        assert!(
            count(&[
                "Yes",
                "No",
                "",
                "yes please",
                "Ja",
                "Nee",
                "Oui",
                "Tak",
                "Do"
            ])
            .all_yes_no()
        );
        assert!(!count(&["Yes", "Maybe"]).all_yes_no());
        assert!(!count(&[""]).all_yes_no());
    }
}
