//! The co-production lens, internal consistency and how ingredients move together.
//!
//! Every function here works only on respondents the privacy rule has already
//! included, so none of these figures can reveal a hidden group.

use serde::Serialize;

use super::stats::{mean_sd_weighted, round, t_critical_95_df};
use super::tally::CompleteRows;

/// How the views of people with lived experience of care and of professionals differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// Respondents with lived experience.
    pub lived_n: usize,
    /// Their mean 0-100 score.
    pub lived_mean: f64,
    /// Professionals (everyone else in a shown group).
    pub professional_n: usize,
    /// Their mean 0-100 score.
    pub professional_mean: f64,
    /// Lived experience minus professionals.
    pub difference: f64,
    /// Lower end of the 95% confidence interval of the difference (Welch).
    pub ci_low: f64,
    /// Upper end.
    pub ci_high: f64,
    /// True only when the interval excludes zero: the two views differ.
    pub differs: bool,
}

/// The gap between two sets of scores; `None` when either side has fewer than
/// `min_n` scores (or fewer than 2, when no spread can be measured).
pub fn gap(lived: &[f64], professional: &[f64], min_n: usize) -> Option<Gap> {
    let weights = |values: &[f64]| values.iter().map(|v| (*v, 1)).collect::<Vec<_>>();
    gap_weighted(&weights(lived), &weights(professional), min_n)
}

/// As [`gap`], for values given with their counts.
pub fn gap_weighted(
    lived: &[(f64, u64)],
    professional: &[(f64, u64)],
    min_n: usize,
) -> Option<Gap> {
    let count = |values: &[(f64, u64)]| values.iter().map(|(_, w)| *w).sum::<u64>();
    let (n1, n2) = (count(lived), count(professional));
    let min_n = min_n.max(2) as u64;
    if n1 < min_n || n2 < min_n {
        return None;
    }
    let (m1, s1) = mean_sd_weighted(lived);
    let (m2, s2) = mean_sd_weighted(professional);
    let (s1, s2) = (s1.unwrap_or(0.0), s2.unwrap_or(0.0));
    let (f1, f2) = (n1 as f64, n2 as f64);
    let (v1, v2) = (s1 * s1 / f1, s2 * s2 / f2);
    let difference = m1 - m2;
    let se = (v1 + v2).sqrt();
    let (ci_low, ci_high) = if se == 0.0 {
        (difference, difference)
    } else {
        // Welch-Satterthwaite degrees of freedom.
        let df = (v1 + v2).powi(2) / (v1 * v1 / (f1 - 1.0) + v2 * v2 / (f2 - 1.0));
        let half = t_critical_95_df(df) * se;
        (difference - half, difference + half)
    };
    Some(Gap {
        lived_n: n1 as usize,
        lived_mean: round(m1),
        professional_n: n2 as usize,
        professional_mean: round(m2),
        difference: round(difference),
        ci_low: round(ci_low),
        ci_high: round(ci_high),
        differs: ci_low > 0.0 || ci_high < 0.0,
    })
}

/// Cronbach's alpha for one ingredient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Consistency {
    /// Respondents who answered every statement of the ingredient.
    pub n: usize,
    /// Cronbach's alpha, when it can be computed.
    pub alpha: Option<f64>,
    /// "good" (0.7 or more), "low" (below 0.7) or "too few to say".
    pub verdict: String,
}

/// Respondents needed before alpha is read as good or low.
pub const MIN_ALPHA_N: usize = 30;

/// Cronbach's alpha from the sums over respondents who answered every statement.
pub fn consistency(rows: &CompleteRows) -> Consistency {
    let n = rows.n;
    let k = rows.item_sum.len();
    let variance = |sum: i64, sum_sq: i64| {
        let (sum, sum_sq, n) = (sum as f64, sum_sq as f64, n as f64);
        (sum_sq - sum * sum / n) / (n - 1.0)
    };
    let alpha = if n >= 3 && k >= 2 {
        let item_variance: f64 = (0..k)
            .map(|i| variance(rows.item_sum[i], rows.item_sum_sq[i]))
            .sum();
        let total_variance = variance(rows.total_sum, rows.total_sum_sq);
        (total_variance > 0.0)
            .then(|| round(k as f64 / (k as f64 - 1.0) * (1.0 - item_variance / total_variance)))
    } else {
        None
    };
    let verdict = match alpha {
        _ if (n as usize) < MIN_ALPHA_N => "too few to say",
        Some(a) if a >= 0.7 => "good",
        Some(_) => "low",
        None => "too few to say",
    };
    Consistency {
        n: n as usize,
        alpha,
        verdict: verdict.into(),
    }
}

/// How two ingredients' scores move together across respondents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    /// First ingredient id.
    pub a: String,
    /// Second ingredient id.
    pub b: String,
    /// Respondents with both scores.
    pub n: usize,
    /// Pearson's r.
    pub r: f64,
    /// "weak", "moderate" or "strong", from the size of r.
    pub strength: String,
}

/// Respondents needed before a correlation is reported.
pub const MIN_CORRELATION_N: usize = 30;

/// Pearson's r of paired scores given with their counts; `None` below
/// [`MIN_CORRELATION_N`] pairs or with no spread.
pub fn pearson(pairs: &[((f64, f64), u64)]) -> Option<f64> {
    let n: u64 = pairs.iter().map(|(_, w)| w).sum();
    if (n as usize) < MIN_CORRELATION_N {
        return None;
    }
    let n = n as f64;
    let mx = pairs.iter().map(|((x, _), w)| x * *w as f64).sum::<f64>() / n;
    let my = pairs.iter().map(|((_, y), w)| y * *w as f64).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for ((x, y), w) in pairs {
        let w = *w as f64;
        sxy += w * (x - mx) * (y - my);
        sxx += w * (x - mx).powi(2);
        syy += w * (y - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Words for the size of a correlation.
pub fn strength(r: f64) -> &'static str {
    match r.abs() {
        a if a >= 0.5 => "strong",
        a if a >= 0.3 => "moderate",
        _ => "weak",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welch_gap_by_hand() {
        // lived 40, 50, 60, 50, 50: mean 50, sd 7.07; professionals 70, 80, 90, 80, 80: mean 80, sd 7.07.
        // se = sqrt(50/5 + 50/5) = 4.472, df = 8, t = 2.306, half = 10.31.
        let g = gap(
            &[40.0, 50.0, 60.0, 50.0, 50.0],
            &[70.0, 80.0, 90.0, 80.0, 80.0],
            5,
        )
        .unwrap();
        assert_eq!(g.difference, -30.0);
        assert_eq!(g.ci_low, -40.31);
        assert_eq!(g.ci_high, -19.69);
        assert!(g.differs);
    }

    #[test]
    fn overlapping_views_do_not_differ() {
        let g = gap(
            &[40.0, 60.0, 50.0, 45.0, 55.0],
            &[42.0, 62.0, 52.0, 47.0, 57.0],
            5,
        )
        .unwrap();
        assert!(!g.differs);
        assert!(gap(&[1.0, 2.0], &[1.0, 2.0, 3.0, 4.0, 5.0], 5).is_none());
    }

    #[test]
    fn alpha_by_hand() {
        // Two items, rows (1,2), (2,3), (3,3), (4,5): item variances 1.667 and 1.583,
        // totals 3, 5, 6, 9 with variance 6.25; alpha = 2 * (1 - 3.25 / 6.25) = 0.96.
        let mut rows = CompleteRows::default();
        for row in [[1, 2], [2, 3], [3, 3], [4, 5]] {
            rows.add(&row);
        }
        let c = consistency(&rows);
        assert_eq!(c.alpha, Some(0.96));
        assert_eq!(c.verdict, "too few to say");
    }

    #[test]
    fn pearson_needs_enough_pairs() {
        let line: Vec<((f64, f64), u64)> = (0..30)
            .map(|i| ((i as f64, 2.0 * i as f64 + 1.0), 1))
            .collect();
        assert!((pearson(&line).unwrap() - 1.0).abs() < 1e-12);
        assert!(pearson(&line[..29]).is_none());
        assert_eq!(strength(-0.6), "strong");
        assert_eq!(strength(0.35), "moderate");
    }
}
