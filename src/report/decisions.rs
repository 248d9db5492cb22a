//! What the report singles out, decided here so that a test of `data.json`
//! sees it: the priorities, the ingredients in the improvement plan, each
//! ingredient's rank in words, the largest change since the previous wave and
//! the statements on which the two views differ, biggest gap first; the
//! profile's bands and the spread of the scores, the order of the
//! correlations and the heat table's groups.
//! The template only lays these out.

use serde::Serialize;

/// How many priorities "At a glance" suggests at most.
const PRIORITIES: usize = 3;

/// One suggested action on "At a glance".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Priority {
    /// Id of the ingredient the action is for.
    pub ingredient: String,
    /// The action: one of the ingredient's prompts.
    pub prompt: String,
    /// True when an earlier priority is for the same ingredient, so its
    /// score is not repeated ("Also for ...").
    pub repeat: bool,
}

/// Up to three actions: the first prompt of each of the (up to three) weakest
/// ingredients, weakest first; with fewer than three, further prompts of the
/// weakest ingredients, in ranking order, fill the list.
///
/// `ranking` holds the scored ingredients' ids from the weakest; `prompts`
/// gives an ingredient's prompts.
pub fn priorities<'a>(ranking: &[&str], prompts: impl Fn(&str) -> &'a [String]) -> Vec<Priority> {
    let mut out: Vec<(&str, &String)> = Vec::new();
    for &id in ranking.iter().take(PRIORITIES) {
        if let Some(first) = prompts(id).first() {
            out.push((id, first));
        }
    }
    for &id in ranking {
        for prompt in prompts(id).iter().skip(1) {
            if out.len() < PRIORITIES {
                out.push((id, prompt));
            }
        }
    }
    out.iter()
        .enumerate()
        .map(|(i, (id, prompt))| Priority {
            ingredient: id.to_string(),
            prompt: prompt.to_string(),
            repeat: out[..i].iter().any(|(earlier, _)| earlier == id),
        })
        .collect()
}

/// The ingredients the improvement plan covers, weakest first: the two
/// weakest, and the third weakest unless it is already in the top band.
/// `band` gives a scored ingredient's band; `top_band` is the highest band's name.
pub fn plan<'a>(
    ranking: &[&str],
    band: impl Fn(&str) -> Option<&'a str>,
    top_band: Option<&str>,
) -> Vec<String> {
    let mut ids: Vec<String> = ranking.iter().take(2).map(|id| id.to_string()).collect();
    if let Some(&third) = ranking.get(2)
        && band(third) != top_band
    {
        ids.push(third.to_string());
    }
    ids
}

/// An ingredient's place among the scored ingredients in words ("the
/// lowest", "the second highest"), from its 0-based `position` in `printed`,
/// the scores as printed (whole numbers), weakest first. Ingredients that
/// print the same score share a place and are called equal ("the equal
/// lowest"), since a reader cannot tell them apart. `None` when there is only
/// one score, or when every score prints the same, since a rank says nothing then.
pub fn rank_words(printed: &[i64], position: usize) -> Option<String> {
    let total = printed.len();
    let score = *printed.get(position)?;
    // The 1-based places the tie spans, from the weakest.
    let first = printed.iter().filter(|&&p| p < score).count() + 1;
    let last = printed.iter().filter(|&&p| p <= score).count();
    if total <= 1 || (first == 1 && last == total) {
        return None;
    }
    let equal = if first < last { "equal " } else { "" };
    let from_top = total - last + 1;
    let words = if first == 1 {
        format!("the {equal}lowest")
    } else if last == total {
        format!("the {equal}highest")
    } else if first <= from_top {
        format!("the {equal}{} lowest", ordinal_word(first))
    } else {
        format!("the {equal}{} highest", ordinal_word(from_top))
    };
    Some(words)
}

/// "second", "third"... up to "tenth"; "11th" beyond.
fn ordinal_word(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
        "ninth", "tenth",
    ];
    WORDS
        .get(n)
        .map_or_else(|| format!("{n}th"), |w| w.to_string())
}

/// The position of the largest change among `changes` (each `Some(difference)`
/// when the change is more than chance, `None` otherwise); the first of equal
/// sizes wins. `None` when nothing changed.
pub fn largest_change(changes: impl IntoIterator<Item = Option<f64>>) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, difference) in changes.into_iter().enumerate() {
        let Some(size) = difference.map(f64::abs) else {
            continue;
        };
        if best.is_none_or(|(_, largest)| size > largest) {
            best = Some((i, size));
        }
    }
    best.map(|(i, _)| i)
}

/// The positions of `sizes` from the largest absolute value to the smallest;
/// equal sizes keep their order.
pub fn largest_first(sizes: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by(|&a, &b| sizes[b].abs().total_cmp(&sizes[a].abs()));
    order
}

/// The positions of `rs` from the highest to the lowest (the closest pair of
/// ingredients first); equal values keep their order.
pub fn highest_first(rs: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rs.len()).collect();
    order.sort_by(|&a, &b| rs[b].total_cmp(&rs[a]));
    order
}

/// One band of the profile and the scored ingredients in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BandGroup {
    /// The band's name.
    pub band: String,
    /// "strong" (the highest band), "weak" (the lowest) or "in between".
    pub strength: &'static str,
    /// Its ingredients, in instrument order.
    pub ingredients: Vec<Scored>,
}

/// A scored ingredient's name and score as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scored {
    /// The ingredient's name.
    pub name: String,
    /// Its overall score, rounded to a whole number.
    pub score: i64,
}

/// The bands that hold a scored ingredient, the highest band first, each with
/// its ingredients. `bands` names every band from the lowest; `scored` gives
/// each scored ingredient's band with its name and printed score.
pub fn band_groups(bands: &[&str], scored: &[(&str, Scored)]) -> Vec<BandGroup> {
    let last = bands.len().saturating_sub(1);
    bands
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(i, &band)| {
            let ingredients: Vec<Scored> = scored
                .iter()
                .filter(|(b, _)| *b == band)
                .map(|(_, s)| s.clone())
                .collect();
            let strength = match i {
                _ if bands.len() <= 1 => "in between",
                0 => "weak",
                i if i == last => "strong",
                _ => "in between",
            };
            (!ingredients.is_empty()).then(|| BandGroup {
                band: band.to_string(),
                strength,
                ingredients,
            })
        })
        .collect()
}

/// Points between the strongest and the weakest score as printed (`printed`
/// from the weakest); `None` with fewer than two scores.
pub fn spread(printed: &[i64]) -> Option<i64> {
    match printed {
        [weakest, .., strongest] => Some(strongest - weakest),
        _ => None,
    }
}

/// Whether a score rounded to a whole number would seem to start a higher band
/// than the one it is in: its exact `mean` is under a band's lowest score
/// (`starts`, every band's) that the rounded score reaches.
pub fn crosses_band(mean: f64, starts: &[f64]) -> bool {
    let shown = mean.round();
    starts
        .iter()
        .any(|&from| from > 0.0 && mean < from && shown >= from)
}

/// Each item once, in the order it first appears.
pub fn first_appearance<T: PartialEq + Clone>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompts(list: &[&str]) -> Vec<String> {
        list.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn priorities_are_the_first_action_of_the_three_weakest() {
        let (a, b, c, d) = (
            prompts(&["a1", "a2"]),
            prompts(&["b1"]),
            prompts(&["c1"]),
            prompts(&["d1"]),
        );
        let lookup = |id: &str| match id {
            "a" => a.as_slice(),
            "b" => b.as_slice(),
            "c" => c.as_slice(),
            _ => d.as_slice(),
        };
        let got = priorities(&["a", "b", "c", "d"], lookup);
        let actions: Vec<&str> = got.iter().map(|p| p.prompt.as_str()).collect();
        assert_eq!(actions, ["a1", "b1", "c1"]);
        assert!(got.iter().all(|p| !p.repeat));
    }

    #[test]
    fn with_fewer_than_three_ingredients_the_weakest_gives_more_actions() {
        let (a, b) = (prompts(&["a1", "a2", "a3"]), prompts(&["b1", "b2"]));
        let lookup = |id: &str| {
            if id == "a" {
                a.as_slice()
            } else {
                b.as_slice()
            }
        };
        let got = priorities(&["a", "b"], lookup);
        let actions: Vec<(&str, bool)> =
            got.iter().map(|p| (p.prompt.as_str(), p.repeat)).collect();
        assert_eq!(actions, [("a1", false), ("b1", false), ("a2", true)]);
        let empty: Vec<String> = Vec::new();
        assert!(priorities(&[], |_| empty.as_slice()).is_empty());
        assert!(priorities(&["a"], |_| empty.as_slice()).is_empty());
    }

    #[test]
    fn the_plan_takes_the_third_weakest_only_below_the_top_band() {
        let bands = |id: &str| Some(if id == "c" { "Strong" } else { "Weak" });
        assert_eq!(plan(&["a", "b", "c"], bands, Some("Strong")), ["a", "b"]);
        assert_eq!(plan(&["a", "b", "c"], bands, Some("Best")), ["a", "b", "c"]);
        assert_eq!(plan(&["a"], bands, Some("Strong")), ["a"]);
        assert!(plan(&[], bands, Some("Strong")).is_empty());
    }

    #[test]
    fn ranks_are_counted_from_the_nearer_end() {
        let five = [40, 50, 60, 70, 80];
        let words: Vec<String> = (0..5).map(|p| rank_words(&five, p).unwrap()).collect();
        assert_eq!(
            words,
            [
                "the lowest",
                "the second lowest",
                "the third lowest",
                "the second highest",
                "the highest"
            ]
        );
        assert_eq!(rank_words(&[1, 2, 3, 4], 1).unwrap(), "the second lowest");
        assert_eq!(rank_words(&[1, 2, 3, 4], 2).unwrap(), "the second highest");
        assert_eq!(rank_words(&[50], 0), None);
        let many: Vec<i64> = (0..24).collect();
        assert_eq!(rank_words(&many, 11).unwrap(), "the 12th lowest");
        assert_eq!(rank_words(&five, 5), None);
    }

    #[test]
    fn ingredients_that_print_the_same_score_are_called_equal() {
        // The bug this fixes: 45 and 45 were "the lowest" and "the second lowest".
        let tied = [45, 45, 60, 70];
        let words: Vec<String> = (0..4).map(|p| rank_words(&tied, p).unwrap()).collect();
        assert_eq!(
            words,
            [
                "the equal lowest",
                "the equal lowest",
                "the second highest",
                "the highest"
            ]
        );
        let middle = [40, 50, 55, 55, 70, 80];
        assert_eq!(rank_words(&middle, 2).unwrap(), "the equal third lowest");
        assert_eq!(rank_words(&middle, 3).unwrap(), "the equal third lowest");
        assert_eq!(rank_words(&[40, 70, 70], 2).unwrap(), "the equal highest");
        assert_eq!(
            rank_words(&[40, 55, 55, 70, 80], 1).unwrap(),
            "the equal second lowest"
        );
        // Every score the same: no ingredient is higher or lower.
        assert_eq!(rank_words(&[62, 62, 62], 1), None);
    }

    #[test]
    fn correlations_go_closest_first_keeping_ties_in_order() {
        assert_eq!(highest_first(&[0.2, 0.7, -0.5, 0.7]), [1, 3, 0, 2]);
        assert!(highest_first(&[]).is_empty());
    }

    fn scored(name: &str, score: i64) -> Scored {
        Scored {
            name: name.into(),
            score,
        }
    }

    #[test]
    fn the_profile_lists_occupied_bands_strongest_first() {
        let bands = ["Needs attention", "Developing", "Established", "Strong"];
        let got = band_groups(
            &bands,
            &[
                ("Developing", scored("Context", 55)),
                ("Needs attention", scored("Co-production", 45)),
                ("Developing", scored("Adaptation", 57)),
                ("Strong", scored("Outcomes", 90)),
            ],
        );
        let summary: Vec<(&str, &str, Vec<&str>)> = got
            .iter()
            .map(|g| {
                let names = g.ingredients.iter().map(|s| s.name.as_str()).collect();
                (g.band.as_str(), g.strength, names)
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("Strong", "strong", vec!["Outcomes"]),
                ("Developing", "in between", vec!["Context", "Adaptation"]),
                ("Needs attention", "weak", vec!["Co-production"]),
            ]
        );
        let one = band_groups(&["Any"], &[("Any", scored("Context", 50))]);
        assert_eq!(one[0].strength, "in between");
        assert!(band_groups(&bands, &[]).is_empty());
    }

    #[test]
    fn the_spread_is_between_printed_scores() {
        assert_eq!(spread(&[45, 55, 67]), Some(22));
        assert_eq!(spread(&[45]), None);
        assert_eq!(spread(&[]), None);
    }

    #[test]
    fn rounding_crosses_a_band_only_just_under_its_start() {
        let starts = [0.0, 40.0, 60.0, 80.0];
        assert!(crosses_band(59.5, &starts));
        assert!(!crosses_band(59.4, &starts));
        assert!(!crosses_band(60.0, &starts));
        assert!(!crosses_band(61.0, &starts));
        assert!(!crosses_band(-0.4, &starts));
    }

    #[test]
    fn groups_are_listed_once_in_order_of_first_appearance() {
        assert_eq!(first_appearance(["b", "a", "b", "c", "a"]), ["b", "a", "c"]);
    }

    #[test]
    fn sizes_are_ordered_largest_first_keeping_ties_in_order() {
        assert_eq!(largest_first(&[3.0, -9.0, 3.0, -3.0, 5.0]), [1, 4, 0, 2, 3]);
        assert!(largest_first(&[]).is_empty());
    }

    #[test]
    fn the_largest_change_is_the_first_of_the_biggest_that_is_more_than_chance() {
        assert_eq!(
            largest_change([None, Some(4.0), Some(-7.5), Some(7.5)]),
            Some(2)
        );
        assert_eq!(largest_change([None, None]), None);
        assert_eq!(largest_change([]), None);
    }
}
