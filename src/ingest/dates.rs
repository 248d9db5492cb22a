//! Completion dates: read once per column, day-first or month-first.
//!
//! `12/13/2019` can only be month-first and `13/12/2019` only day-first, but
//! `1/9/2020` is either 1 September or 9 January. Reading each cell by itself
//! mixes the two in one column, which moves the survey period and the wave.
//! So the order is decided once for the whole date column:
//!
//! 1. a value whose first field is over 12 means day-first, one whose second
//!    field is over 12 means month-first; both in one column is an error
//!    naming a row of each ([`DateTracker::see`]);
//! 2. when no value decides, `--date-order` (or `date-order` in the settings)
//!    does; a setting that a value contradicts is an error;
//! 3. otherwise the way the file was written: a two-digit year is Excel's US
//!    short date (`7/9/14 18:37`), a time with AM or PM is written the US way
//!    (`09/01/2026 09:00:01 AM`), and each platform writes one order
//!    ([`platform_order`]);
//! 4. otherwise the order is unknown, and a report needs `--date-order`.
//!
//! Rows are streamed, so the order is known only after the last row. Until
//! then each cell is kept as a [`Stamp`] holding both readings, and the
//! earliest and latest completion as a [`Span`] of both readings: the reading
//! of the decided order is picked at the end. Dates written year first
//! (`2026-09-14`, `2026/09/14`) and workbook date cells have one reading.
//!
//! Why one file of over 600 lines: it holds one concern, reading a date column
//! in one order (a cell's readings, the tracker that decides the order, the
//! decision and its reasons), and about 210 of its lines are tests.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::Platform;

/// Which field of a `01/02/2026` date is the day.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum DateOrder {
    /// Day first: 13/12/2019 (UK and most of the world).
    Dmy,
    /// Month first: 12/13/2019 (US).
    Mdy,
}

impl DateOrder {
    /// The order in words, with an example.
    pub fn describe(self) -> &'static str {
        match self {
            DateOrder::Dmy => "day first (DD/MM/YYYY)",
            DateOrder::Mdy => "month first (MM/DD/YYYY)",
        }
    }

    /// The setting's value: `dmy` or `mdy`.
    pub fn name(self) -> &'static str {
        match self {
            DateOrder::Dmy => "dmy",
            DateOrder::Mdy => "mdy",
        }
    }
}

/// A date order a person set, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateOrderSetting {
    /// The order.
    pub order: DateOrder,
    /// Where it was set, for messages: `--date-order`, `date-order in makeitstick.toml`.
    pub from: &'static str,
}

/// A completion time as read from one cell, before its column's order is known:
/// its day-first and month-first readings (the same time for a date with one
/// reading; `None` for a reading that is not a date, like month 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stamp {
    day_first: Option<NaiveDateTime>,
    month_first: Option<NaiveDateTime>,
}

impl Stamp {
    /// A time with one reading.
    pub fn exact(time: NaiveDateTime) -> Stamp {
        Stamp {
            day_first: Some(time),
            month_first: Some(time),
        }
    }

    /// The time in `order`; with no order, only a time with one reading.
    pub fn read(self, order: Option<DateOrder>) -> Option<NaiveDateTime> {
        match order {
            Some(DateOrder::Dmy) => self.day_first,
            Some(DateOrder::Mdy) => self.month_first,
            None => self.exact_time(),
        }
    }

    /// The time, when both readings agree (dates written year first, workbook
    /// date cells, and every cell once the column's order is decided).
    pub fn exact_time(self) -> Option<NaiveDateTime> {
        (self.day_first == self.month_first)
            .then_some(self.day_first)
            .flatten()
    }

    /// This stamp read in `order`, as a stamp with one reading.
    pub fn resolved(self, order: Option<DateOrder>) -> Option<Stamp> {
        self.read(order).map(Stamp::exact)
    }
}

/// The earliest and latest of some stamps, under each reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    day_first: Option<(NaiveDateTime, NaiveDateTime)>,
    month_first: Option<(NaiveDateTime, NaiveDateTime)>,
}

impl Span {
    /// Widens the span to take in `stamp`.
    pub fn add(&mut self, stamp: Stamp) {
        widen(&mut self.day_first, stamp.day_first);
        widen(&mut self.month_first, stamp.month_first);
    }

    /// Widens the span to take in `other`.
    pub fn merge(&mut self, other: &Span) {
        for (mine, theirs) in [
            (&mut self.day_first, other.day_first),
            (&mut self.month_first, other.month_first),
        ] {
            if let Some((first, last)) = theirs {
                widen(mine, Some(first));
                widen(mine, Some(last));
            }
        }
    }

    /// The earliest and latest time in `order`; with no order, only when both
    /// readings agree.
    pub fn read(&self, order: Option<DateOrder>) -> Option<(NaiveDateTime, NaiveDateTime)> {
        match order {
            Some(DateOrder::Dmy) => self.day_first,
            Some(DateOrder::Mdy) => self.month_first,
            None => (self.day_first == self.month_first)
                .then_some(self.day_first)
                .flatten(),
        }
    }
}

fn widen(span: &mut Option<(NaiveDateTime, NaiveDateTime)>, time: Option<NaiveDateTime>) {
    if let Some(time) = time {
        *span = Some(match *span {
            None => (time, time),
            Some((first, last)) => (first.min(time), last.max(time)),
        });
    }
}

/// A date written with slashes and the year last: `13/12/2019 10:15:32`,
/// `7/9/14 18:37`, `09/01/2026 09:00:01 AM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SlashDate {
    first: u32,
    second: u32,
    year: i32,
    two_digit_year: bool,
    /// The time has AM or PM.
    twelve_hour: bool,
    time: NaiveTime,
}

impl SlashDate {
    /// Reads `text`; `None` when it is not such a date.
    pub(crate) fn parse(text: &str) -> Option<SlashDate> {
        let text = without_zone(text.trim());
        let (date, time) = match text.split_once(char::is_whitespace) {
            Some((date, time)) => (date, time.trim()),
            None => (text, ""),
        };
        let mut fields = date.split('/');
        let (first, second, year) = (fields.next()?, fields.next()?, fields.next()?);
        if fields.next().is_some() {
            return None;
        }
        let small = |field: &str| {
            (1..=2).contains(&field.len())
                && field.bytes().all(|b| b.is_ascii_digit())
                && field.parse::<u32>().is_ok_and(|n| (1..=31).contains(&n))
        };
        if !small(first) || !small(second) || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (year, two_digit_year) = match year.len() {
            // chrono's `%y`: 00-68 is 2000-2068, 69-99 is 1969-1999.
            2 => {
                let y: i32 = year.parse().ok()?;
                (if y < 69 { 2000 + y } else { 1900 + y }, true)
            }
            4 => (year.parse().ok().filter(|y| *y >= 1900)?, false),
            _ => return None,
        };
        let (time, twelve_hour) = parse_time(time)?;
        Some(SlashDate {
            first: first.parse().ok()?,
            second: second.parse().ok()?,
            year,
            two_digit_year,
            twelve_hour,
            time,
        })
    }

    /// Both readings.
    pub(crate) fn stamp(self) -> Stamp {
        let date = |month: u32, day: u32| {
            NaiveDate::from_ymd_opt(self.year, month, day).map(|d| d.and_time(self.time))
        };
        Stamp {
            day_first: date(self.second, self.first),
            month_first: date(self.first, self.second),
        }
    }

    /// The order this value alone proves, when only one of its readings is a date.
    pub(crate) fn proves(self) -> Option<DateOrder> {
        let stamp = self.stamp();
        match (stamp.day_first, stamp.month_first) {
            (Some(_), None) => Some(DateOrder::Dmy),
            (None, Some(_)) => Some(DateOrder::Mdy),
            _ => None,
        }
    }

    /// True for Excel's US short date, `m/d/yy h:mm`: a two-digit year.
    pub(crate) fn two_digit_year(self) -> bool {
        self.two_digit_year
    }

    /// True for a time with AM or PM, as US exports write it (`09/01/2026 09:00:01 AM`).
    pub(crate) fn twelve_hour(self) -> bool {
        self.twelve_hour
    }

    /// True when neither reading is a date (`31/31/2020`).
    pub(crate) fn impossible(self) -> bool {
        let stamp = self.stamp();
        stamp.day_first.is_none() && stamp.month_first.is_none()
    }
}

/// Google Forms CSV ends with a time zone name ("pm EEST"); the date is what matters here.
pub(crate) fn without_zone(text: &str) -> &str {
    match text.rsplit_once(' ') {
        Some((head, zone))
            if zone.chars().all(|c| c.is_ascii_uppercase())
                && zone.len() >= 2
                && zone != "AM"
                && zone != "PM" =>
        {
            head.trim_end()
        }
        _ => text,
    }
}

/// `18:37`, `18:37:05`, `18:37:05.123`, `6:37:05 PM`, `6:37 pm`, or nothing
/// (midnight); and whether it has AM or PM.
fn parse_time(text: &str) -> Option<(NaiveTime, bool)> {
    if text.is_empty() {
        return NaiveTime::from_hms_opt(0, 0, 0).map(|t| (t, false));
    }
    let (clock, meridiem) = match text.rsplit_once(char::is_whitespace) {
        Some((clock, m)) => (clock.trim(), Some(m.to_ascii_lowercase())),
        None => {
            // `6:37pm`, written without a space.
            let lower = text.to_ascii_lowercase();
            match lower
                .strip_suffix("am")
                .or_else(|| lower.strip_suffix("pm"))
            {
                Some(clock) => (&text[..clock.len()], Some(lower[clock.len()..].to_string())),
                None => (text, None),
            }
        }
    };
    let mut parts = clock.split(':');
    let number = |part: Option<&str>| -> Option<u32> {
        let part = part?;
        ((1..=2).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    let hour = number(parts.next())?;
    let minute = number(parts.next())?;
    let (second, nanos) = match parts.next() {
        None => (0, 0),
        Some(seconds) => {
            let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, ""));
            let nanos = if fraction.is_empty() {
                0
            } else if fraction.len() <= 9 && fraction.bytes().all(|b| b.is_ascii_digit()) {
                fraction.parse::<u32>().ok()? * 10u32.pow(9 - fraction.len() as u32)
            } else {
                return None;
            };
            (number(Some(whole))?, nanos)
        }
    };
    if parts.next().is_some() {
        return None;
    }
    let hour = match meridiem.as_deref() {
        None => hour,
        Some("am" | "a.m.") if (1..=12).contains(&hour) => hour % 12,
        Some("pm" | "p.m.") if (1..=12).contains(&hour) => hour % 12 + 12,
        Some(_) => return None,
    };
    NaiveTime::from_hms_nano_opt(hour, minute, second, nanos).map(|t| (t, meridiem.is_some()))
}

/// The order a platform writes ambiguous dates in, and why, when it has one.
pub(crate) fn platform_order(platform: Platform) -> Option<(DateOrder, &'static str)> {
    match platform {
        Platform::GoogleForms => Some((
            DateOrder::Mdy,
            "Google Sheets writes month-first dates (M/D/YYYY) in its default US locale; a sheet in a UK locale needs --date-order dmy",
        )),
        Platform::SurveyMonkey => Some((
            DateOrder::Mdy,
            "SurveyMonkey writes month-first dates (MM/DD/YYYY)",
        )),
        Platform::Qualtrics | Platform::QualtricsLegacy => Some((
            DateOrder::Mdy,
            "Qualtrics writes dates year first; slashes come from a re-save in Excel, which in its default US locale writes month first (M/D/YYYY)",
        )),
        Platform::MicrosoftForms => Some((
            DateOrder::Mdy,
            "Microsoft Forms formats its dates month first (m/d/yy)",
        )),
        Platform::Jisc => Some((
            DateOrder::Dmy,
            "JISC Online Surveys and SmartSurvey write day-first dates (DD/MM/YYYY)",
        )),
        // These write dates year first: slashes mean a spreadsheet program in an
        // unknown locale saved the file again.
        // The data-entry workbook has no dates.
        Platform::LimeSurvey
        | Platform::Kobo
        | Platform::Typeform
        | Platform::DataEntry
        | Platform::Generic => None,
    }
}

/// A value that proves an order, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateWitness {
    /// The row, as a spreadsheet numbers it.
    pub row: usize,
    /// The cell's text.
    pub value: String,
}

/// What the values of the date column say about its order, gathered row by row.
#[derive(Debug, Clone, Default)]
pub(crate) struct DateTracker {
    /// The first value that can only be day-first.
    pub day_first: Option<DateWitness>,
    /// The first value that can only be month-first.
    pub month_first: Option<DateWitness>,
    /// Values written with slashes and the year last (the ones the order matters for).
    pub slashed: usize,
    /// Of those, values with a two-digit year.
    pub two_digit_years: usize,
    /// Of those, values with AM or PM.
    pub twelve_hour: usize,
    /// Cells read as dates.
    pub dated: usize,
    /// Cells that are not blank and not a date.
    pub unreadable: usize,
    /// The first of those.
    pub first_unreadable: Option<usize>,
    /// The order a person set, which every value must allow.
    pub setting: Option<DateOrderSetting>,
}

/// A value that contradicts another value of its column, or the setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Conflict {
    /// Two values of one column prove different orders.
    Values {
        day_first: DateWitness,
        month_first: DateWitness,
    },
    /// A value can only be read in the order the setting rules out.
    Setting {
        setting: DateOrderSetting,
        witness: DateWitness,
    },
}

impl DateTracker {
    /// Reads one cell of the date column; an error when it contradicts an earlier one.
    pub(crate) fn see(&mut self, row: usize, text: &str) -> Result<Option<Stamp>, Conflict> {
        if text.is_empty() {
            return Ok(None);
        }
        let Some(reading) = read_cell(text) else {
            self.unreadable += 1;
            self.first_unreadable.get_or_insert(row);
            return Ok(None);
        };
        self.dated += 1;
        let stamp = match reading {
            Reading::Exact(time) => Stamp::exact(time),
            Reading::Slash(date) => {
                self.slashed += 1;
                self.two_digit_years += usize::from(date.two_digit_year());
                self.twelve_hour += usize::from(date.twelve_hour());
                let witness = || DateWitness {
                    row,
                    value: text.chars().take(40).collect(),
                };
                let proves = date.proves();
                if let (Some(proves), Some(setting)) = (proves, self.setting)
                    && proves != setting.order
                {
                    return Err(Conflict::Setting {
                        setting,
                        witness: witness(),
                    });
                }
                match proves {
                    Some(DateOrder::Dmy) if self.day_first.is_none() => {
                        self.day_first = Some(witness())
                    }
                    Some(DateOrder::Mdy) if self.month_first.is_none() => {
                        self.month_first = Some(witness())
                    }
                    _ => {}
                }
                if let (Some(day_first), Some(month_first)) = (&self.day_first, &self.month_first) {
                    return Err(Conflict::Values {
                        day_first: day_first.clone(),
                        month_first: month_first.clone(),
                    });
                }
                date.stamp()
            }
        };
        Ok(Some(stamp))
    }
}

/// One date cell read.
pub(crate) enum Reading {
    /// A date with one reading.
    Exact(NaiveDateTime),
    /// A date whose reading depends on the column's order.
    Slash(SlashDate),
}

/// Reads a date cell in any of the forms survey platforms write.
pub(crate) fn read_cell(text: &str) -> Option<Reading> {
    let text = text.trim();
    if let Some(date) = SlashDate::parse(text) {
        return (!date.impossible()).then_some(Reading::Slash(date));
    }
    super::parse_datetime(text).map(Reading::Exact)
}

/// How the order of the date column was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateRule {
    /// No value needs an order: every date is written year first, or is a workbook date.
    NotNeeded,
    /// A value can be read only one way.
    Values,
    /// No value decides; the setting does.
    Setting,
    /// No value decides; a two-digit year is Excel's US short date.
    ExcelShortDate,
    /// No value decides; times with AM or PM are written the US way.
    TwelveHourClock,
    /// No value decides; the platform writes one order.
    Platform,
    /// Nothing decides.
    Unknown,
}

/// What was decided about the dates of one export, for `check` and for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateReading {
    /// The column read for completion times (its header).
    pub column: String,
    /// Its letter.
    pub letter: String,
    /// The order, when one was needed and found.
    pub order: Option<DateOrder>,
    /// How it was decided.
    pub rule: DateRule,
    /// The reason in words.
    pub why: String,
    /// Cells read as dates.
    pub dated: usize,
    /// Cells that are not blank and not a date.
    pub unreadable: usize,
    /// The first of those, when there are some.
    pub first_unreadable_row: Option<usize>,
    /// The first and last completion among the rows kept, read in `order`.
    pub first: Option<NaiveDateTime>,
    /// See `first`.
    pub last: Option<NaiveDateTime>,
}

impl DateReading {
    /// Decides the order from what the tracker saw, the setting and the platform.
    pub(crate) fn decide(
        column: String,
        letter: String,
        tracker: &DateTracker,
        setting: Option<DateOrderSetting>,
        platform: Platform,
        kept: &Span,
    ) -> DateReading {
        let (order, rule, why) = if tracker.dated == 0 {
            (
                None,
                DateRule::NotNeeded,
                "no cell of the column holds a date".to_string(),
            )
        } else if tracker.slashed == 0 {
            (
                None,
                DateRule::NotNeeded,
                "the dates are written year first, or are spreadsheet dates, so they read one way"
                    .to_string(),
            )
        } else if let Some(witness) = &tracker.day_first {
            (
                Some(DateOrder::Dmy),
                DateRule::Values,
                format!(
                    "row {} holds {}, whose first number is over 12, so it is the day",
                    witness.row, witness.value
                ),
            )
        } else if let Some(witness) = &tracker.month_first {
            (
                Some(DateOrder::Mdy),
                DateRule::Values,
                format!(
                    "row {} holds {}, whose second number is over 12, so it is the day",
                    witness.row, witness.value
                ),
            )
        } else if let Some(setting) = setting {
            (
                Some(setting.order),
                DateRule::Setting,
                format!(
                    "no date has a number over 12 to decide it, so {} = {} decides",
                    setting.from,
                    setting.order.name()
                ),
            )
        } else if tracker.two_digit_years == tracker.slashed {
            (
                Some(DateOrder::Mdy),
                DateRule::ExcelShortDate,
                "no date has a number over 12 to decide it; the years have two digits, as Excel writes dates in its US locale (m/d/yy); pass --date-order dmy if they are day first".to_string(),
            )
        } else if tracker.twelve_hour == tracker.slashed {
            (
                Some(DateOrder::Mdy),
                DateRule::TwelveHourClock,
                "no date has a number over 12 to decide it; the times have AM or PM, as US exports write them (MM/DD/YYYY hh:mm AM); pass --date-order dmy if they are day first".to_string(),
            )
        } else if let Some((order, why)) = platform_order(platform) {
            (
                Some(order),
                DateRule::Platform,
                format!("no date has a number over 12 to decide it; {why}"),
            )
        } else {
            (
                None,
                DateRule::Unknown,
                format!(
                    "no date has a number over 12 to decide it, and a {} export has no usual order",
                    platform.title()
                ),
            )
        };
        let period = kept.read(order);
        DateReading {
            column,
            letter,
            order,
            rule,
            why,
            dated: tracker.dated,
            unreadable: tracker.unreadable,
            first_unreadable_row: tracker.first_unreadable,
            first: period.map(|p| p.0),
            last: period.map(|p| p.1),
        }
    }

    /// True when dates cannot be read because nothing decides their order.
    pub fn order_unknown(&self) -> bool {
        self.rule == DateRule::Unknown
    }
}

/// A warning when a period is so long that the dates are likely misread or
/// two surveys were exported together: more than a year from first to last.
pub fn long_period_warning(first: NaiveDateTime, last: NaiveDateTime) -> Option<String> {
    let year_later = first.date().checked_add_months(chrono::Months::new(12))?;
    (last.date() > year_later).then(|| {
        format!(
            "the first and last responses are more than a year apart ({} to {}); check the date order (--date-order) and that the export holds one survey round",
            first.date().format("%-d %B %Y"),
            last.date().format("%-d %B %Y")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    /// The year of a time, for tests of two-digit years.
    fn year(time: Option<NaiveDateTime>) -> Option<i32> {
        time.map(|t| t.year())
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, s)
            .unwrap()
    }

    #[test]
    fn slash_dates_keep_both_readings() {
        let stamp = SlashDate::parse("1/9/2020 9:02:11").unwrap().stamp();
        assert_eq!(
            stamp.read(Some(DateOrder::Dmy)),
            Some(at(2020, 9, 1, 9, 2, 11))
        );
        assert_eq!(
            stamp.read(Some(DateOrder::Mdy)),
            Some(at(2020, 1, 9, 9, 2, 11))
        );
        assert_eq!(stamp.read(None), None, "no order, no guess");
        let date = SlashDate::parse("12/13/2019 10:15:32").unwrap();
        assert_eq!(date.proves(), Some(DateOrder::Mdy));
        assert_eq!(date.stamp().read(Some(DateOrder::Dmy)), None);
        let date = SlashDate::parse("13/12/2019").unwrap();
        assert_eq!(date.proves(), Some(DateOrder::Dmy));
        assert_eq!(
            date.stamp().read(Some(DateOrder::Dmy)),
            Some(at(2019, 12, 13, 0, 0, 0))
        );
    }

    #[test]
    fn times_in_every_form_platforms_write() {
        let read =
            |text: &str| SlashDate::parse(text).map(|d| d.stamp().read(Some(DateOrder::Mdy)));
        assert_eq!(read("7/9/14 18:37"), Some(Some(at(2014, 7, 9, 18, 37, 0))));
        assert_eq!(
            read("09/01/2026 09:00:01 AM"),
            Some(Some(at(2026, 9, 1, 9, 0, 1)))
        );
        assert_eq!(
            read("09/01/2026 12:00:01 AM"),
            Some(Some(at(2026, 9, 1, 0, 0, 1)))
        );
        assert_eq!(
            read("09/01/2026 12:30:00 pm"),
            Some(Some(at(2026, 9, 1, 12, 30, 0)))
        );
        assert_eq!(
            read("9/1/2026 3:16pm"),
            Some(Some(at(2026, 9, 1, 15, 16, 0)))
        );
        assert_eq!(
            read("9/1/2026 3:16:40 PM BST"),
            Some(Some(at(2026, 9, 1, 15, 16, 40)))
        );
        assert_eq!(year(read("1/2/69 10:00").flatten()), Some(1969));
        assert_eq!(year(read("1/2/68 10:00").flatten()), Some(2068));
        for text in [
            "2026/09/14 3:16:40 pm",
            "1/2/3/2026",
            "1/2/226",
            "0/5/2026",
            "1/2/2026 25:00",
            "1/2/2026 13:00 PM",
            "1/2/2026 10:00:00:00",
            "a/b/2026",
            "1/2/1899",
        ] {
            assert_eq!(read(text).flatten(), None, "{text}");
        }
    }

    #[test]
    fn a_column_that_proves_both_orders_is_a_conflict() {
        let mut tracker = DateTracker::default();
        assert!(tracker.see(2, "1/9/2020 10:00").unwrap().is_some());
        assert!(tracker.see(3, "13/1/2020 10:00").is_ok());
        assert!(tracker.see(4, "14/1/2020 10:00").is_ok());
        assert!(tracker.see(5, "not a date").unwrap().is_none());
        let Conflict::Values {
            day_first,
            month_first,
        } = tracker.see(6, "1/13/2020 10:00").unwrap_err()
        else {
            panic!("two values conflict")
        };
        assert_eq!((day_first.row, month_first.row), (3, 6));
        assert_eq!(tracker.unreadable, 1);
        assert_eq!(tracker.first_unreadable, Some(5));
        let mut tracker = DateTracker {
            setting: Some(DateOrderSetting {
                order: DateOrder::Dmy,
                from: "--date-order",
            }),
            ..DateTracker::default()
        };
        assert!(tracker.see(2, "1/9/2020 10:00").is_ok());
        assert!(tracker.see(3, "13/1/2020 10:00").is_ok());
        let Conflict::Setting { witness, .. } = tracker.see(4, "12/13/2019").unwrap_err() else {
            panic!("the setting rules the value out")
        };
        assert_eq!((witness.row, witness.value.as_str()), (4, "12/13/2019"));
    }

    #[test]
    fn spans_pick_the_decided_reading() {
        let mut span = Span::default();
        for text in ["12/13/2019 10:00", "1/9/2020 10:00", "1/2/2020 10:00"] {
            span.add(SlashDate::parse(text).unwrap().stamp());
        }
        assert_eq!(
            span.read(Some(DateOrder::Mdy)),
            Some((at(2019, 12, 13, 10, 0, 0), at(2020, 1, 9, 10, 0, 0)))
        );
        let mut other = Span::default();
        other.add(Stamp::exact(at(2018, 1, 1, 0, 0, 0)));
        span.merge(&other);
        assert_eq!(
            span.read(Some(DateOrder::Mdy)).unwrap().0,
            at(2018, 1, 1, 0, 0, 0)
        );
        assert_eq!(span.read(None), None);
    }

    #[test]
    fn the_order_is_decided_by_values_then_setting_then_writing_then_platform() {
        let decide = |values: &[&str], setting: Option<DateOrder>, platform: Platform| {
            let mut tracker = DateTracker::default();
            let mut span = Span::default();
            for (i, v) in values.iter().enumerate() {
                if let Some(stamp) = tracker.see(i + 2, v).unwrap() {
                    span.add(stamp);
                }
            }
            let setting = setting.map(|order| DateOrderSetting {
                order,
                from: "--date-order",
            });
            DateReading::decide("T".into(), "A".into(), &tracker, setting, platform, &span)
        };
        let reading = decide(
            &["1/2/2020 10:00", "13/2/2020 10:00"],
            None,
            Platform::GoogleForms,
        );
        assert_eq!(
            (reading.order, &reading.rule),
            (Some(DateOrder::Dmy), &DateRule::Values)
        );
        assert!(
            reading.why.contains("row 3 holds 13/2/2020 10:00"),
            "{}",
            reading.why
        );
        let reading = decide(
            &["1/2/2020 10:00"],
            Some(DateOrder::Dmy),
            Platform::GoogleForms,
        );
        assert_eq!(
            (reading.order, reading.rule),
            (Some(DateOrder::Dmy), DateRule::Setting)
        );
        assert_eq!(
            reading.first.unwrap().date(),
            NaiveDate::from_ymd_opt(2020, 2, 1).unwrap()
        );
        let reading = decide(&["1/2/20 10:00"], None, Platform::Generic);
        assert_eq!(
            (reading.order, reading.rule),
            (Some(DateOrder::Mdy), DateRule::ExcelShortDate)
        );
        let reading = decide(&["1/2/2020 10:00:00 AM"], None, Platform::Generic);
        assert_eq!(
            (reading.order, reading.rule),
            (Some(DateOrder::Mdy), DateRule::TwelveHourClock)
        );
        let reading = decide(&["1/2/2020 10:00"], None, Platform::Jisc);
        assert_eq!(
            (reading.order, reading.rule),
            (Some(DateOrder::Dmy), DateRule::Platform)
        );
        let reading = decide(&["1/2/2020 10:00"], None, Platform::LimeSurvey);
        assert_eq!((reading.order, reading.rule), (None, DateRule::Unknown));
        assert!(reading.order_unknown());
        assert_eq!(reading.first, None);
        let reading = decide(&["2020-02-01 10:00:00"], None, Platform::LimeSurvey);
        assert_eq!((reading.order, reading.rule), (None, DateRule::NotNeeded));
        assert!(reading.first.is_some());
    }

    #[test]
    fn periods_over_a_year_are_a_warning() {
        let first = at(2019, 12, 13, 0, 0, 0);
        assert!(long_period_warning(first, at(2020, 12, 13, 23, 0, 0)).is_none());
        let warning = long_period_warning(first, at(2020, 12, 14, 0, 0, 0)).unwrap();
        assert!(
            warning.contains("13 December 2019 to 14 December 2020"),
            "{warning}"
        );
    }
}
