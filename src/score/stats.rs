//! Summary statistics: n, mean, standard deviation and a 95% confidence interval.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Figures for one set of 0-100 scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// How many scores.
    pub n: usize,
    /// Their mean.
    pub mean: f64,
    /// Their median (the mean of the middle two when n is even).
    pub median: f64,
    /// Sample standard deviation (n - 1); absent when n < 2.
    pub sd: Option<f64>,
    /// Lower end of the 95% confidence interval for the mean (t distribution), clamped to 0-100.
    pub ci_low: Option<f64>,
    /// Upper end of the 95% confidence interval, clamped to 0-100.
    pub ci_high: Option<f64>,
    /// The score band the mean falls in.
    pub band: String,
}

impl Summary {
    /// Summarises `values`; `None` when there are none. `band` names the mean's band.
    pub fn of(values: &[f64], band: impl Fn(f64) -> String) -> Option<Summary> {
        let weighted: Vec<(f64, u64)> = values.iter().map(|v| (*v, 1)).collect();
        Summary::of_weighted(&weighted, band)
    }

    /// Summarises values given with their counts.
    pub fn of_weighted(values: &[(f64, u64)], band: impl Fn(f64) -> String) -> Option<Summary> {
        let n: u64 = values.iter().map(|(_, w)| w).sum();
        if n == 0 {
            return None;
        }
        let (mean, sd) = mean_sd_weighted(values);
        let (sd, ci_low, ci_high) = match sd {
            Some(sd) => {
                let half = t_critical_95(n as usize - 1) * sd / (n as f64).sqrt();
                (
                    Some(round(sd)),
                    Some(round((mean - half).max(0.0))),
                    Some(round((mean + half).min(100.0))),
                )
            }
            None => (None, None, None),
        };
        Some(Summary {
            n: n as usize,
            mean: round(mean),
            median: round(median_weighted(values)),
            sd,
            ci_low,
            ci_high,
            // The band of the mean as printed (a whole number), so "50" is never "needs attention".
            band: band(printed(mean) as f64),
        })
    }
}

/// Mean, and sample standard deviation when there are at least two values, of counted values.
///
/// Sums run over the values sorted, so the result does not depend on the order they came in.
pub fn mean_sd_weighted(values: &[(f64, u64)]) -> (f64, Option<f64>) {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n: u64 = sorted.iter().map(|(_, w)| w).sum();
    let mean = sorted.iter().map(|(v, w)| v * *w as f64).sum::<f64>() / n as f64;
    let sd = (n >= 2).then(|| {
        let squares: f64 = sorted
            .iter()
            .map(|(v, w)| (v - mean).powi(2) * *w as f64)
            .sum();
        (squares / (n as f64 - 1.0)).sqrt()
    });
    (mean, sd)
}

/// The median of counted values (the mean of the middle two when the count is even).
pub fn median_weighted(values: &[(f64, u64)]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n: u64 = sorted.iter().map(|(_, w)| w).sum();
    let at = |position: u64| {
        let mut seen = 0;
        for (value, weight) in &sorted {
            seen += weight;
            if position < seen {
                return *value;
            }
        }
        f64::NAN
    };
    if n % 2 == 1 {
        at(n / 2)
    } else {
        (at(n / 2 - 1) + at(n / 2)) / 2.0
    }
}

/// The median of `values` (not empty).
pub fn median(values: &[f64]) -> f64 {
    let weighted: Vec<(f64, u64)> = values.iter().map(|v| (*v, 1)).collect();
    median_weighted(&weighted)
}

/// The two-sided 95% critical value of Student's t with `df` degrees of freedom.
pub fn t_critical_95(df: usize) -> f64 {
    t_critical_95_df(df as f64)
}

/// As [`t_critical_95`], for fractional degrees of freedom (Welch).
pub fn t_critical_95_df(df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df)
        .expect("degrees of freedom are positive")
        .inverse_cdf(0.975)
}

/// The whole number a report prints for a figure: the two-decimal figure of
/// the JSON and CSV files ([`round`]) rounded again, halves away from zero, so
/// that a reader who rounds the file's figure gets the printed number. (The
/// exact 56.4965 is written 56.50 and printed 57.) Bands and every comparison
/// of printed scores use it, so what a reader sees always agrees with them.
pub fn printed(value: f64) -> i64 {
    round(value).round() as i64
}

/// Rounds to two decimals, the precision of every figure we write.
pub fn round(value: f64) -> f64 {
    let rounded = (value * 100.0).round() / 100.0;
    // Avoid writing "-0.0".
    if rounded == 0.0 { 0.0 } else { rounded }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_whole_numbers_round_the_written_two_decimals() {
        // The audit's cases: the written figure decides, not the exact one.
        assert_eq!(round(56.4965), 56.5);
        assert_eq!(printed(56.4965), 57);
        assert_eq!(printed(64.4977), 65);
        assert_eq!(printed(49.985), 50);
        assert_eq!(printed(49.49), 49);
        assert_eq!(printed(-0.47), 0);
        assert_eq!(printed(-0.5), -1);
    }

    #[test]
    fn a_band_follows_the_printed_score() {
        // 49.4951 is written 49.50 and printed 50: its band is the one from 50.
        let band = |x: f64| {
            if x >= 50.0 {
                "Developing"
            } else {
                "Needs attention"
            }
            .to_string()
        };
        let s = Summary::of(&[49.4951; 3], band).unwrap();
        assert_eq!((s.mean, s.band.as_str()), (49.5, "Developing"));
    }

    #[test]
    fn hand_computed_summary() {
        // Scores 50, 75, 100: mean 75, sd 25, t(2) = 4.302653, half-width 4.302653 * 25 / sqrt(3) = 62.10
        let s = Summary::of(&[50.0, 75.0, 100.0], |_| "x".into()).unwrap();
        assert_eq!(s.n, 3);
        assert_eq!(s.mean, 75.0);
        assert_eq!(s.median, 75.0);
        assert_eq!(s.sd, Some(25.0));
        assert_eq!(s.ci_low, Some(12.9));
        assert_eq!(s.ci_high, Some(100.0));
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        // 10 x 3, 20 x 2, 30 x 1 is 10 10 10 20 20 30: the middle two are 10 and 20.
        assert_eq!(median_weighted(&[(30.0, 1), (10.0, 3), (20.0, 2)]), 15.0);
        assert_eq!(median_weighted(&[(30.0, 1), (10.0, 2), (20.0, 2)]), 20.0);
    }

    #[test]
    fn counted_values_summarise_like_repeated_values() {
        let weighted = Summary::of_weighted(&[(50.0, 2), (100.0, 1)], |_| "x".into()).unwrap();
        let repeated = Summary::of(&[50.0, 100.0, 50.0], |_| "x".into()).unwrap();
        assert_eq!(weighted, repeated);
    }

    #[test]
    fn t_critical_values_match_tables() {
        assert!((t_critical_95(1) - 12.706).abs() < 0.001);
        assert!((t_critical_95(10) - 2.228).abs() < 0.001);
        assert!((t_critical_95(1000) - 1.962).abs() < 0.001);
    }

    #[test]
    fn one_value_has_no_spread() {
        let s = Summary::of(&[40.0], |_| "x".into()).unwrap();
        assert_eq!((s.n, s.mean, s.sd, s.ci_low), (1, 40.0, None, None));
        assert!(Summary::of(&[], |_| "x".into()).is_none());
    }
}
