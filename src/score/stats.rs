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
        let n = values.len();
        if n == 0 {
            return None;
        }
        let mean = sum(values) / n as f64;
        let (sd, ci_low, ci_high) = if n >= 2 {
            let sd = mean_sd(values).1;
            let t = t_critical_95(n - 1);
            let half = t * sd / (n as f64).sqrt();
            (
                Some(round(sd)),
                Some(round((mean - half).max(0.0))),
                Some(round((mean + half).min(100.0))),
            )
        } else {
            (None, None, None)
        };
        Some(Summary {
            n,
            mean: round(mean),
            median: round(median(values)),
            sd,
            ci_low,
            ci_high,
            // The band of the mean as printed (a whole number), so "50" is never "needs attention".
            band: band(mean.round()),
        })
    }
}

/// The median of `values` (not empty).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).expect("scores are finite"));
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 0 {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    }
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

/// Mean and sample standard deviation (n - 1) of at least two values.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = sum(values) / n;
    let squares: Vec<f64> = values.iter().map(|v| (v - mean).powi(2)).collect();
    (mean, (sum(&squares) / (n - 1.0)).sqrt())
}

/// Sums in ascending order, so the result does not depend on the order of rows.
pub fn sum(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).expect("scores are finite"));
    sorted.iter().sum()
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
