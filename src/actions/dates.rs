//! The dates a UK user types in a spreadsheet: day first.

use chrono::NaiveDate;

/// The forms tried, in order: day/month/year with `/`, `-` or `.` and a two- or
/// four-digit year, ISO (`2027-03-31`, also with a time after it), and the
/// day with the month in words (`31 March 2027`, `31 Mar 27`).
const FORMS: [&str; 10] = [
    "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d-%m-%y", "%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d %B %Y",
    "%d %b %y", "%d %B %y",
];

/// A date as written in a cell; `None` when it is not one of [`FORMS`] (a
/// month-first date such as `03/31/2027` is not a date here).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    // "2027-03-31 00:00:00" and "2027-03-31T00:00:00", as a re-saved workbook may hold.
    let text = match text.get(..10) {
        Some(day) if text.len() > 10 && text.as_bytes()[4] == b'-' => day,
        _ => text,
    };
    let words = text.replace(',', " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    FORMS.iter().find_map(|form| {
        NaiveDate::parse_from_str(&words, form)
            .ok()
            .filter(|d| (1900..=2999).contains(&chrono::Datelike::year(d)))
    })
}

/// An Excel date serial (days since 30 December 1899) as a date, for a date
/// cell that lost its date format; `None` outside 1950 to 2100.
pub fn from_serial(serial: f64) -> Option<NaiveDate> {
    if !(18_264.0..=73_051.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(serial as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn uk_forms_are_dates() {
        for text in [
            "31/03/2027",
            "31/3/27",
            "31-03-2027",
            "31.3.2027",
            "2027-03-31",
            "2027-03-31 00:00:00",
            "31 March 2027",
            "31 Mar 2027",
            "31 march, 2027",
            " 31 Mar 27 ",
        ] {
            assert_eq!(parse_date(text), day(2027, 3, 31), "{text}");
        }
    }

    #[test]
    fn other_text_is_not_a_date() {
        for text in ["03/31/2027", "next week", "31/02/2027", "2027", "", "Q3"] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn serials_are_excel_days() {
        assert_eq!(from_serial(46_477.0), day(2027, 3, 31));
        assert_eq!(from_serial(12.0), None);
    }
}
