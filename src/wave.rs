//! Waves: the survey round a set of answers belongs to, named by its quarter.
//!
//! Two schemes name quarters: calendar quarters ("2026-Q3", July to September
//! 2026) and UK financial-year quarters, April to March ("2026-27 Q2", July to
//! September 2026). A wave name is always one of these two forms, so waves sort
//! by the date their quarter starts and are safe in file names once spaces
//! become hyphens ([`Wave::file_stem`]).
//!
//! One grammar for reading and writing: the year is four digits from 1900 to
//! 2999 ([`YEARS`]) and the quarter 1 to 4. Every way a wave is made (parsing
//! `--wave` or a file name, a completion date, the history file) goes through
//! it, so every wave the tool writes to the history reads back.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How quarters are named when a wave is inferred from completion dates.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum WaveScheme {
    /// Calendar quarters: 2026-Q1 is January to March 2026.
    #[default]
    Calendar,
    /// UK financial-year quarters, April to March: 2026-27 Q1 is April to June 2026.
    Financial,
}

/// The years a wave may name (the calendar year, or the year a financial year starts in).
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

/// A survey round: one quarter, in either naming scheme, of a year in [`YEARS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Wave {
    scheme: WaveScheme,
    year: i32,
    quarter: u32,
}

impl Wave {
    /// The wave of `year`'s `quarter`; `None` outside [`YEARS`] or quarters 1 to 4.
    pub fn new(scheme: WaveScheme, year: i32, quarter: u32) -> Option<Wave> {
        (YEARS.contains(&year) && (1..=4).contains(&quarter)).then_some(Wave {
            scheme,
            year,
            quarter,
        })
    }

    /// The scheme the name uses.
    pub fn scheme(&self) -> WaveScheme {
        self.scheme
    }

    /// The calendar year (calendar) or the year the financial year starts in (financial).
    pub fn year(&self) -> i32 {
        self.year
    }

    /// 1 to 4.
    pub fn quarter(&self) -> u32 {
        self.quarter
    }

    /// The wave a completion date falls in; `None` when its year is outside [`YEARS`].
    pub fn of_date(date: NaiveDate, scheme: WaveScheme) -> Option<Wave> {
        let month = date.month();
        match scheme {
            WaveScheme::Calendar => Wave::new(scheme, date.year(), (month - 1) / 3 + 1),
            WaveScheme::Financial => {
                // April starts the year: months 4..=12 are this year's Q1-Q3, 1..=3 last year's Q4.
                let (year, shifted) = if month >= 4 {
                    (date.year(), month - 4)
                } else {
                    (date.year() - 1, month + 8)
                };
                Wave::new(scheme, year, shifted / 3 + 1)
            }
        }
    }

    /// The first day of the quarter, by which waves sort.
    pub fn start(&self) -> NaiveDate {
        let month = match self.scheme {
            WaveScheme::Calendar => (self.quarter - 1) * 3 + 1,
            WaveScheme::Financial => (self.quarter - 1) * 3 + 4,
        };
        let (year, month) = if month > 12 {
            (self.year + 1, month - 12)
        } else {
            (self.year, month)
        };
        NaiveDate::from_ymd_opt(year, month, 1).expect("a quarter starts on a real date")
    }

    /// The name with spaces as hyphens, for file names: "2026-27-Q2".
    pub fn file_stem(&self) -> String {
        self.to_string().replace(' ', "-")
    }

    /// Finds a wave name inside a file name ("survey-2026-Q3.csv", "export 2026-27 Q2.xlsx").
    pub fn in_file_name(name: &str) -> Option<Wave> {
        let chars: Vec<char> = name.chars().collect();
        // Try every start position, longest form first, so "2026-27-Q2" is not read as "2026-Q..".
        for start in 0..chars.len() {
            if start > 0 && chars[start - 1].is_ascii_digit() {
                continue;
            }
            for len in [10, 7] {
                if start + len > chars.len() {
                    continue;
                }
                let candidate: String = chars[start..start + len].iter().collect();
                let followed_by_digit = chars.get(start + len).is_some_and(char::is_ascii_digit);
                if followed_by_digit {
                    continue;
                }
                let candidate = if len == 10 {
                    // The file-name form of a financial quarter uses a hyphen or underscore for the space.
                    let mut c = candidate;
                    if c.is_ascii() && matches!(c.as_bytes()[7], b'-' | b'_') {
                        c.replace_range(7..8, " ");
                    }
                    c
                } else {
                    candidate
                };
                if let Ok(wave) = candidate.parse() {
                    return Some(wave);
                }
            }
        }
        None
    }
}

impl Ord for Wave {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.start(), self.scheme as u8).cmp(&(other.start(), other.scheme as u8))
    }
}

impl PartialOrd for Wave {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Wave {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scheme {
            WaveScheme::Calendar => write!(f, "{}-Q{}", self.year, self.quarter),
            WaveScheme::Financial => write!(
                f,
                "{}-{:02} Q{}",
                self.year,
                (self.year + 1).rem_euclid(100),
                self.quarter
            ),
        }
    }
}

/// Why a wave name was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a wave name; use a calendar quarter like 2026-Q3 or a financial-year quarter like \"2026-27 Q2\", of a year from 1900 to 2999"
)]
pub struct WaveNameError(pub String);

impl FromStr for Wave {
    type Err = WaveNameError;

    fn from_str(text: &str) -> Result<Wave, WaveNameError> {
        let error = || WaveNameError(text.to_string());
        let text = text.trim();
        let quarter = |q: &str| -> Option<u32> {
            let q = q.strip_prefix(['Q', 'q'])?;
            let n: u32 = q.parse().ok()?;
            (q.len() == 1 && (1..=4).contains(&n)).then_some(n)
        };
        let year = |y: &str| -> Option<i32> {
            (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
                .then(|| y.parse().ok())
                .flatten()
                .filter(|y| YEARS.contains(y))
        };
        // "2026-Q3"
        if let Some((y, q)) = text.split_once('-')
            && let (Some(year), Some(quarter)) = (year(y), quarter(q))
        {
            return Ok(Wave {
                scheme: WaveScheme::Calendar,
                year,
                quarter,
            });
        }
        // "2026-27 Q2" (also "2026-27-Q2", the file-name form)
        let (years, q) = text
            .rsplit_once(' ')
            .or_else(|| text.rsplit_once('-'))
            .ok_or_else(error)?;
        let (first, second) = years.split_once('-').ok_or_else(error)?;
        let (year, quarter) = (
            year(first).ok_or_else(error)?,
            quarter(q).ok_or_else(error)?,
        );
        let next: i32 = second.parse().map_err(|_| error())?;
        if second.len() != 2 || next != (year + 1).rem_euclid(100) {
            return Err(error());
        }
        Ok(Wave {
            scheme: WaveScheme::Financial,
            year,
            quarter,
        })
    }
}

impl Serialize for Wave {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Wave {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Wave, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn calendar_quarters_run_january_to_december() {
        for month in 1..=12 {
            let d = date(2026, month, 15);
            assert_eq!(
                Wave::of_date(d, WaveScheme::Calendar).unwrap().to_string(),
                format!("2026-Q{}", (month - 1) / 3 + 1)
            );
        }
    }

    #[test]
    fn financial_quarters_run_april_to_march() {
        let fy = |m| {
            Wave::of_date(date(2026, m, 1), WaveScheme::Financial)
                .unwrap()
                .to_string()
        };
        assert_eq!(fy(3), "2025-26 Q4");
        assert_eq!(fy(4), "2026-27 Q1");
        assert_eq!(fy(6), "2026-27 Q1");
        assert_eq!(fy(7), "2026-27 Q2");
        assert_eq!(fy(12), "2026-27 Q3");
        let turn = Wave::of_date(date(1999, 12, 1), WaveScheme::Financial).unwrap();
        assert_eq!(turn.to_string(), "1999-00 Q3");
        assert_eq!("1999-00 Q3".parse::<Wave>().unwrap(), turn);
    }

    #[test]
    fn names_round_trip_and_sort_by_start() {
        for name in ["2026-Q1", "2026-Q4", "2026-27 Q2", "2025-26 Q4"] {
            assert_eq!(name.parse::<Wave>().unwrap().to_string(), name);
        }
        assert_eq!(
            "2026-27-Q2".parse::<Wave>().unwrap().to_string(),
            "2026-27 Q2"
        );
        let fy: Wave = "2026-27 Q1".parse().unwrap();
        assert_eq!(fy.start(), date(2026, 4, 1));
        assert_eq!(
            "2025-26 Q4".parse::<Wave>().unwrap().start(),
            date(2026, 1, 1)
        );
        let mut waves: Vec<Wave> = ["2026-Q3", "2025-Q4", "2026-Q1"]
            .iter()
            .map(|w| w.parse().unwrap())
            .collect();
        waves.sort();
        let names: Vec<String> = waves.iter().map(Wave::to_string).collect();
        assert_eq!(names, ["2025-Q4", "2026-Q1", "2026-Q3"]);
        assert_eq!(fy.file_stem(), "2026-27-Q1");
    }

    #[test]
    fn other_names_are_refused() {
        for bad in [
            "Q3",
            "2026-Q5",
            "2026-Q",
            "spring 2026",
            "2026-28 Q1",
            "26-Q1",
            "",
        ] {
            assert!(bad.parse::<Wave>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_wave_that_can_be_made_reads_back_and_no_other_is_made() {
        for scheme in [WaveScheme::Calendar, WaveScheme::Financial] {
            for year in [1900, 1999, 2026, 2999] {
                for quarter in 1..=4 {
                    let wave = Wave::new(scheme, year, quarter).unwrap();
                    assert_eq!(wave.to_string().parse::<Wave>(), Ok(wave));
                    assert_eq!(
                        Wave::in_file_name(&format!("x-{}.csv", wave.file_stem())),
                        Some(wave)
                    );
                }
            }
            for year in [0, 999, 1899, 3000, 10_000, -1] {
                assert_eq!(Wave::new(scheme, year, 1), None, "{year}");
                let date = NaiveDate::from_ymd_opt(year, 7, 1).unwrap();
                assert_eq!(Wave::of_date(date, scheme), None, "{year}");
            }
        }
        for bad in [
            "0999-Q4",
            "0000-Q1",
            "1899-Q4",
            "3000-Q1",
            "0999-00 Q4",
            "1899-00 Q4",
        ] {
            assert!(bad.parse::<Wave>().is_err(), "{bad}");
        }
        assert_eq!(Wave::in_file_name("survey-0999-Q4.csv"), None);
        assert_eq!(Wave::in_file_name("survey-0000-Q1.csv"), None);
        assert!(Wave::new(WaveScheme::Calendar, 2026, 5).is_none());
    }

    #[test]
    fn waves_are_found_in_file_names() {
        let found = |name: &str| Wave::in_file_name(name).map(|w| w.to_string());
        assert_eq!(found("survey-2026-Q3.csv").as_deref(), Some("2026-Q3"));
        assert_eq!(
            found("export 2026-27 Q2.xlsx").as_deref(),
            Some("2026-27 Q2")
        );
        assert_eq!(
            found("export_2026-27_Q2.xlsx").as_deref(),
            Some("2026-27 Q2")
        );
        assert_eq!(found("responses.csv"), None);
        assert_eq!(found("12026-Q3.csv"), None);
    }
}
