//! Funnel plots: each site's mean score against its number of responses,
//! with control limits around the programme mean that narrow as sites grow.
//!
//! The method is Spiegelhalter's (D. J. Spiegelhalter, "Funnel plots for
//! comparing institutional performance", *Statistics in Medicine* 24:1185-1202,
//! 2005), used for NHS and public health indicators. For a mean of 0-100
//! respondent scores:
//!
//! - the target is the programme mean of respondent scores, pooled over the
//!   sites in the plot (every respondent weighs the same, so a big site pulls
//!   the target more than a small one);
//! - the spread is the pooled standard deviation of respondent scores,
//!   worked out exactly from each site's n, mean and SD (see [`Moments::pooled`]);
//! - a site with `n` responses is expected, by chance alone, within
//!   `target ± z · SD / √n`, with z = 1.959964 for the 95% limits and
//!   z = 3.090232 for the 99.8% limits (the two-sided normal quantiles);
//! - a site beyond the 99.8% limits is very unlikely to differ by chance
//!   (about 1 in 500 in a programme where every site is the same); beyond
//!   the 95% limits, 1 in 20 sites would be there by chance alone.
//!
//! Not done here, and left for the reader of the plot: Spiegelhalter's
//! adjustment for over-dispersion (when most sites fall outside the limits,
//! the limits are too narrow for differences between sites to be read as
//! unusual), and any correction for the site's own responses being part of
//! the target.

use serde::Serialize;

/// The two-sided 95% normal quantile.
pub const Z95: f64 = 1.959964;
/// The two-sided 99.8% normal quantile.
pub const Z998: f64 = 3.090232;

/// The count, mean and sample standard deviation of a set of 0-100 scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Moments {
    /// How many scores.
    pub n: u64,
    /// Their mean.
    pub mean: f64,
    /// Their sample standard deviation (n − 1 in the denominator); 0 when n < 2.
    pub sd: f64,
}

impl Moments {
    /// The moments of scores given with their counts; `None` when there are none.
    pub fn of_weighted(values: &[(f64, u64)]) -> Option<Moments> {
        let n: u64 = values.iter().map(|(_, w)| w).sum();
        if n == 0 {
            return None;
        }
        let (mean, sd) = crate::score::stats::mean_sd_weighted(values);
        Some(Moments {
            n,
            mean,
            sd: sd.unwrap_or(0.0),
        })
    }

    /// The moments of every score of `parts` taken together, exactly, from
    /// each part's n, mean and SD: the pooled mean `m = Σ nᵢmᵢ / N`, and the
    /// total sum of squares about it `Σ[(nᵢ − 1)sᵢ² + nᵢ(mᵢ − m)²]` over
    /// `N − 1`. `None` when the parts hold no score.
    pub fn pooled(parts: &[Moments]) -> Option<Moments> {
        let n: u64 = parts.iter().map(|p| p.n).sum();
        if n == 0 {
            return None;
        }
        let mean = parts.iter().map(|p| p.n as f64 * p.mean).sum::<f64>() / n as f64;
        let squares: f64 = parts
            .iter()
            .map(|p| {
                (p.n as f64 - 1.0).max(0.0) * p.sd * p.sd + p.n as f64 * (p.mean - mean).powi(2)
            })
            .sum();
        let sd = if n >= 2 {
            (squares / (n as f64 - 1.0)).sqrt()
        } else {
            0.0
        };
        Some(Moments { n, mean, sd })
    }
}

/// One ingredient's funnel: the target and the spread the limits come from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Funnel {
    /// The programme mean of respondent scores (the centre line).
    pub target: f64,
    /// The pooled standard deviation of respondent scores.
    pub sd: f64,
    /// Respondents pooled.
    pub n: u64,
    /// Sites pooled.
    pub sites: usize,
}

/// The control limits at one number of responses.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limits {
    /// Number of responses.
    pub n: f64,
    /// Lower 99.8% limit.
    pub low_998: f64,
    /// Lower 95% limit.
    pub low_95: f64,
    /// Upper 95% limit.
    pub high_95: f64,
    /// Upper 99.8% limit.
    pub high_998: f64,
}

/// Where a site falls in a funnel. A score on a limit counts as inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    /// Below the lower 99.8% limit.
    Below998,
    /// Below the lower 95% limit, within the 99.8% limits.
    Below95,
    /// Within the 95% limits.
    Inside,
    /// Above the upper 95% limit, within the 99.8% limits.
    Above95,
    /// Above the upper 99.8% limit.
    Above998,
}

impl Position {
    /// True beyond the 95% limits on either side.
    pub fn outside(self) -> bool {
        self != Position::Inside
    }
}

impl Funnel {
    /// The funnel of sites given by their moments; `None` without any
    /// respondent, or when every score is the same (no spread, no limits).
    pub fn from_sites(sites: &[Moments]) -> Option<Funnel> {
        let pooled = Moments::pooled(sites)?;
        (pooled.n >= 2 && pooled.sd > 0.0).then_some(Funnel {
            target: pooled.mean,
            sd: pooled.sd,
            n: pooled.n,
            sites: sites.iter().filter(|s| s.n > 0).count(),
        })
    }

    /// The limits for a site of `n` responses (`n` > 0), not clamped to 0-100
    /// (a chart clamps them; the position uses them as they are).
    pub fn limits(&self, n: f64) -> Limits {
        let se = self.sd / n.sqrt();
        Limits {
            n,
            low_998: self.target - Z998 * se,
            low_95: self.target - Z95 * se,
            high_95: self.target + Z95 * se,
            high_998: self.target + Z998 * se,
        }
    }

    /// Where a site with this mean and number of responses falls.
    pub fn position(&self, mean: f64, n: u64) -> Position {
        let limits = self.limits(n as f64);
        if mean < limits.low_998 {
            Position::Below998
        } else if mean < limits.low_95 {
            Position::Below95
        } else if mean > limits.high_998 {
            Position::Above998
        } else if mean > limits.high_95 {
            Position::Above95
        } else {
            Position::Inside
        }
    }

    /// The limits as curves over n, for a chart: `points` (at least 2) values
    /// of n spaced evenly on a log scale from `from` to `to` (both > 0), where
    /// the curves bend most.
    pub fn curve(&self, from: f64, to: f64, points: usize) -> Vec<Limits> {
        let points = points.max(2);
        let (low, high) = (from.ln(), to.ln());
        (0..points)
            .map(|i| {
                let n = (low + (high - low) * i as f64 / (points - 1) as f64).exp();
                self.limits(n)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn pooled_moments_by_hand() {
        // Site A: 50, 60, 70 (n 3, mean 60, sd 10). Site B: 80, 100 (n 2, mean 90, sd 14.142136).
        // All five: mean 72; squares 484 + 144 + 4 + 64 + 784 = 1480; sd sqrt(1480 / 4) = 19.235384.
        // By the formula: 2·100 + 3·144 + 1·200 + 2·324 = 200 + 432 + 200 + 648 = 1480.
        let a = Moments::of_weighted(&[(50.0, 1), (60.0, 1), (70.0, 1)]).unwrap();
        let b = Moments::of_weighted(&[(80.0, 1), (100.0, 1)]).unwrap();
        assert!(close(a.sd, 10.0) && close(b.sd, 200f64.sqrt()));
        let all = Moments::pooled(&[a, b]).unwrap();
        assert_eq!(all.n, 5);
        assert!(close(all.mean, 72.0));
        assert!(close(all.sd, 370f64.sqrt()), "{}", all.sd);
        assert!((all.sd - 19.235384).abs() < 1e-6);
    }

    #[test]
    fn limits_and_positions_by_hand() {
        // Target 60, SD 20. At n = 25 the standard error is 4:
        // 95% limits 60 ± 7.839856, 99.8% limits 60 ± 12.360928.
        let funnel = Funnel {
            target: 60.0,
            sd: 20.0,
            n: 400,
            sites: 10,
        };
        let l = funnel.limits(25.0);
        assert!(close(l.low_95, 52.160144) && close(l.high_95, 67.839856));
        assert!(close(l.low_998, 47.639072) && close(l.high_998, 72.360928));
        assert_eq!(funnel.position(60.0, 25), Position::Inside);
        assert_eq!(funnel.position(67.839856, 25), Position::Inside);
        assert_eq!(funnel.position(68.0, 25), Position::Above95);
        assert_eq!(funnel.position(73.0, 25), Position::Above998);
        assert_eq!(funnel.position(50.0, 25), Position::Below95);
        assert_eq!(funnel.position(47.0, 25), Position::Below998);
        // The same 68 is inside for a site of 4 (standard error 10).
        assert_eq!(funnel.position(68.0, 4), Position::Inside);
    }

    #[test]
    fn a_funnel_from_sites_by_hand() {
        let sites = [
            Moments {
                n: 10,
                mean: 50.0,
                sd: 10.0,
            },
            Moments {
                n: 30,
                mean: 70.0,
                sd: 20.0,
            },
        ];
        // Mean (500 + 2100) / 40 = 65. SS = 9·100 + 10·225 + 29·400 + 30·25
        // = 900 + 2250 + 11600 + 750 = 15500; sd sqrt(15500 / 39) = 19.935794.
        let funnel = Funnel::from_sites(&sites).unwrap();
        assert!(close(funnel.target, 65.0));
        assert!((funnel.sd - 19.935794).abs() < 1e-6);
        assert_eq!((funnel.n, funnel.sites), (40, 2));
        let same = Moments {
            n: 5,
            mean: 40.0,
            sd: 0.0,
        };
        assert_eq!(Funnel::from_sites(&[same, same]), None);
        assert_eq!(Funnel::from_sites(&[]), None);
    }

    #[test]
    fn the_curve_runs_from_end_to_end_and_narrows() {
        let funnel = Funnel {
            target: 50.0,
            sd: 20.0,
            n: 100,
            sites: 5,
        };
        let curve = funnel.curve(5.0, 500.0, 11);
        assert_eq!(curve.len(), 11);
        assert!(close(curve[0].n, 5.0) && (curve[10].n - 500.0).abs() < 1e-9);
        for pair in curve.windows(2) {
            assert!(pair[1].n > pair[0].n);
            assert!(pair[1].high_95 < pair[0].high_95 && pair[1].low_95 > pair[0].low_95);
        }
    }

    proptest! {
        /// Pooling by the formula gives the moments of all the scores at once.
        #[test]
        fn pooling_equals_computing_from_all_scores(
            parts in prop::collection::vec(prop::collection::vec((0u8..=100, 1u64..4), 1..8), 1..6)
        ) {
            let weighted: Vec<Vec<(f64, u64)>> = parts
                .iter()
                .map(|p| p.iter().map(|(v, w)| (f64::from(*v), *w)).collect())
                .collect();
            let moments: Vec<Moments> =
                weighted.iter().filter_map(|w| Moments::of_weighted(w)).collect();
            let all: Vec<(f64, u64)> = weighted.concat();
            let direct = Moments::of_weighted(&all).unwrap();
            let pooled = Moments::pooled(&moments).unwrap();
            prop_assert_eq!(pooled.n, direct.n);
            prop_assert!((pooled.mean - direct.mean).abs() < 1e-9);
            prop_assert!((pooled.sd - direct.sd).abs() < 1e-9);
        }

        /// Positions are ordered as the score is: a higher score never sits lower.
        #[test]
        fn positions_follow_the_score(a in 0.0f64..100.0, b in 0.0f64..100.0, n in 1u64..1000) {
            let funnel = Funnel { target: 55.0, sd: 18.0, n: 5000, sites: 20 };
            let (low, high) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(funnel.position(low, n) <= funnel.position(high, n));
        }
    }
}
