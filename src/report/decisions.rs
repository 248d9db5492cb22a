//! What the report singles out, decided here so that a test of `data.json`
//! sees it: the priorities, the ingredients in the improvement plan, each
//! ingredient's rank in words, the largest change since the previous wave and
//! the statements on which the two views differ, biggest gap first; the
//! profile's bands and the spread of the scores, the order of the
//! correlations and the heat table's groups; how a gap between the two views
//! is printed, whether the weakest ingredient is in the lowest band, whether
//! the strongest and weakest ranges overlap, which scales an ingredient's
//! statements use, the notes under a chart by group and the groups whose
//! scores moved since the previous wave.
//! The template only lays these out.
//!
//! Over 600 lines only through its unit tests, one or more per decision.

use serde::Serialize;

/// How many priorities "At a glance" suggests at most.
const PRIORITIES: usize = 3;

/// One suggested action on "At a glance".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Priority {
    /// Position in `scores.ingredients` (and `ingredients`) of the ingredient
    /// the action is for.
    pub ingredient: usize,
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
/// `ranking` holds the scored ingredients' positions from the weakest;
/// `prompts` gives an ingredient's prompts.
pub fn priorities<'a>(ranking: &[usize], prompts: impl Fn(usize) -> &'a [String]) -> Vec<Priority> {
    let mut out: Vec<(usize, &String)> = Vec::new();
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
            ingredient: *id,
            prompt: prompt.to_string(),
            repeat: out[..i].iter().any(|(earlier, _)| earlier == id),
        })
        .collect()
}

/// The ingredients the improvement plan covers, weakest first: the two
/// weakest, and the third weakest unless it is already in the top band.
/// `ranking` holds the scored ingredients' positions from the weakest; `band`
/// gives a scored ingredient's band; `top_band` is the highest band's name.
pub fn plan<'a>(
    ranking: &[usize],
    band: impl Fn(usize) -> Option<&'a str>,
    top_band: Option<&str>,
) -> Vec<usize> {
    let mut plan: Vec<usize> = ranking.iter().take(2).copied().collect();
    if let Some(&third) = ranking.get(2)
        && band(third) != top_band
    {
        plan.push(third);
    }
    plan
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

/// Which way a gap between the two views points, or where its likely range lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// People with lived experience of care scored lower.
    Lower,
    /// They scored higher (or the same).
    Higher,
    /// The range runs from lower to higher: it includes no gap at all.
    Either,
}

/// A gap between the two views as the report prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GapWords {
    /// Its size in whole points, without its sign (0 is printed as "No gap").
    pub points: i64,
    /// Whether people with lived experience scored lower or higher.
    pub direction: Side,
    /// Where the true gap is likely to be: wholly lower, wholly higher, or either.
    pub range: Side,
    /// The range's first end as the sentence names it, in points without a
    /// sign ("between 13 and 31 points lower": 13; "anywhere from 4 points
    /// lower to 9 points higher": 4).
    pub from: String,
    /// The range's other end.
    pub to: String,
}

/// How the gap `difference` (lived experience minus professionals) with its
/// 95% range `ci_low` to `ci_high` is printed. The range's ends under one
/// point keep a decimal, so a range never seems to touch zero when it does not.
pub fn gap_words(difference: f64, ci_low: f64, ci_high: f64) -> GapWords {
    let end = |x: f64| {
        let size = x.abs();
        if size < 1.0 && x != 0.0 {
            format!("{}", (size * 10.0).round() / 10.0)
        } else {
            format!("{}", size.round() as i64)
        }
    };
    let (range, from, to) = if ci_high < 0.0 {
        (Side::Lower, ci_high, ci_low)
    } else if ci_low > 0.0 {
        (Side::Higher, ci_low, ci_high)
    } else {
        (Side::Either, ci_low, ci_high)
    };
    GapWords {
        points: difference.abs().round() as i64,
        direction: if difference < 0.0 {
            Side::Lower
        } else {
            Side::Higher
        },
        range,
        from: end(from),
        to: end(to),
    }
}

/// Whether the weakest ingredient is in the lowest band: `None` with fewer
/// than two bands (`bands`, from the lowest) or without a weakest score.
pub fn weakest_in_lowest_band(bands: &[&str], weakest_band: Option<&str>) -> Option<bool> {
    if bands.len() < 2 {
        return None;
    }
    weakest_band.map(|band| Some(band) == bands.first().copied())
}

/// Whether the weakest score's 95% range reaches the strongest's: `None`
/// when either range is missing (`weakest_high` is the top of the weakest's
/// range, `strongest_low` the bottom of the strongest's).
pub fn ranges_overlap(weakest_high: Option<f64>, strongest_low: Option<f64>) -> Option<bool> {
    Some(strongest_low? <= weakest_high?)
}

/// One answer scale an ingredient's statements use, with its statements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScaleUse {
    /// Position of the scale in `scores.rules.scales`.
    pub scale: usize,
    /// Positions in the ingredient's `statements` of those answered on it, in order.
    pub statements: Vec<usize>,
}

/// The scales `scales` (each statement's scale position, in statement order)
/// uses, in order of first use, each with its statements.
pub fn scale_uses(scales: &[usize]) -> Vec<ScaleUse> {
    first_appearance(scales.iter().copied())
        .into_iter()
        .map(|scale| ScaleUse {
            scale,
            statements: positions_of(scales, |&s| s == scale),
        })
        .collect()
}

/// The positions of the `items` that `keep` keeps.
pub fn positions_of<T>(items: &[T], keep: impl Fn(&T) -> bool) -> Vec<usize> {
    (0..items.len()).filter(|&i| keep(&items[i])).collect()
}

/// What the note under an ingredient's chart by group says about its groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupNote {
    /// Groups too small to show on their own are combined in one cell.
    Combined,
    /// Groups too small to show are left out of "Everyone" too.
    LeftOut,
}

/// The note about groups under a chart by group: `combined` when the
/// ingredient has the combined cell, else `left-out` when it has an overall
/// score and a group is hidden; `None` otherwise.
pub fn group_note(combined: bool, scored: bool, any_hidden: bool) -> Option<GroupNote> {
    if combined {
        Some(GroupNote::Combined)
    } else if scored && any_hidden {
        Some(GroupNote::LeftOut)
    } else {
        None
    }
}

/// What an ingredient means in the easy-read summary: its `easy_read` line
/// when it has one, otherwise the first sentence of its `description` (up to
/// and including the first full stop, exclamation or question mark), or the
/// whole description when it has no such mark.
pub fn easy_meaning(easy_read: &str, description: &str) -> String {
    if !easy_read.trim().is_empty() {
        return easy_read.to_string();
    }
    let description = description.trim();
    let end = description
        .find(['.', '!', '?'])
        .map_or(description.len(), |i| i + 1);
    description[..end].to_string()
}

/// A group of an ingredient, by positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GroupAt {
    /// Position of the ingredient.
    pub ingredient: usize,
    /// Position of the group among the ingredient's groups.
    pub group: usize,
}

/// The groups whose score moved by more than chance (`changed`, per
/// ingredient per group), ingredient by ingredient.
pub fn moved_groups(changed: &[Vec<bool>]) -> Vec<GroupAt> {
    changed
        .iter()
        .enumerate()
        .flat_map(|(ingredient, groups)| {
            positions_of(groups, |&moved| moved)
                .into_iter()
                .map(move |group| GroupAt { ingredient, group })
        })
        .collect()
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
        let lookup = |position: usize| match position {
            0 => a.as_slice(),
            1 => b.as_slice(),
            2 => c.as_slice(),
            _ => d.as_slice(),
        };
        let got = priorities(&[0, 1, 2, 3], lookup);
        let actions: Vec<&str> = got.iter().map(|p| p.prompt.as_str()).collect();
        assert_eq!(actions, ["a1", "b1", "c1"]);
        assert!(got.iter().all(|p| !p.repeat));
    }

    #[test]
    fn with_fewer_than_three_ingredients_the_weakest_gives_more_actions() {
        let (a, b) = (prompts(&["a1", "a2", "a3"]), prompts(&["b1", "b2"]));
        let lookup = |position: usize| {
            if position == 4 {
                a.as_slice()
            } else {
                b.as_slice()
            }
        };
        let got = priorities(&[4, 1], lookup);
        let actions: Vec<(&str, bool)> =
            got.iter().map(|p| (p.prompt.as_str(), p.repeat)).collect();
        assert_eq!(actions, [("a1", false), ("b1", false), ("a2", true)]);
        let ingredients: Vec<usize> = got.iter().map(|p| p.ingredient).collect();
        assert_eq!(ingredients, [4, 1, 4]);
        let empty: Vec<String> = Vec::new();
        assert!(priorities(&[], |_| empty.as_slice()).is_empty());
        assert!(priorities(&[0], |_| empty.as_slice()).is_empty());
    }

    #[test]
    fn the_plan_takes_the_third_weakest_only_below_the_top_band() {
        let bands = |position: usize| Some(if position == 0 { "Strong" } else { "Weak" });
        assert_eq!(plan(&[2, 1, 0], bands, Some("Strong")), [2, 1]);
        assert_eq!(plan(&[2, 1, 0], bands, Some("Best")), [2, 1, 0]);
        assert_eq!(plan(&[0, 1, 2], bands, Some("Strong")), [0, 1, 2]);
        assert_eq!(plan(&[1], bands, Some("Strong")), [1]);
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

    #[test]
    fn a_gap_is_printed_in_whole_points_with_its_range_from_the_nearer_end() {
        let lower = gap_words(-22.4, -31.2, -13.0);
        assert_eq!(
            (lower.points, lower.direction, lower.range),
            (22, Side::Lower, Side::Lower)
        );
        assert_eq!((lower.from.as_str(), lower.to.as_str()), ("13", "31"));
        let higher = gap_words(12.5, 0.44, 24.6);
        assert_eq!((higher.points, higher.direction), (13, Side::Higher));
        assert_eq!(
            (higher.range, higher.from.as_str(), higher.to.as_str()),
            (Side::Higher, "0.4", "25")
        );
        // A range across zero: no clear difference; ends under a point keep a decimal.
        let either = gap_words(0.3, -0.96, 9.0);
        assert_eq!((either.points, either.range), (0, Side::Either));
        assert_eq!((either.from.as_str(), either.to.as_str()), ("1", "9"));
        assert_eq!(gap_words(0.0, 0.0, 0.0).from, "0");
        assert_eq!(gap_words(-0.4, -0.04, 0.5).from, "0");
        assert_eq!(gap_words(0.0, -1.0, 1.0).direction, Side::Higher);
    }

    #[test]
    fn the_weakest_is_in_the_lowest_band_only_with_two_bands_or_more() {
        let bands = ["Needs attention", "Developing", "Strong"];
        assert_eq!(
            weakest_in_lowest_band(&bands, Some("Needs attention")),
            Some(true)
        );
        assert_eq!(
            weakest_in_lowest_band(&bands, Some("Developing")),
            Some(false)
        );
        assert_eq!(weakest_in_lowest_band(&bands, None), None);
        assert_eq!(weakest_in_lowest_band(&["Any"], Some("Any")), None);
    }

    #[test]
    fn ranges_overlap_when_the_strongest_starts_at_or_below_the_weakest_top() {
        assert_eq!(ranges_overlap(Some(60.0), Some(55.0)), Some(true));
        assert_eq!(ranges_overlap(Some(60.0), Some(60.0)), Some(true));
        assert_eq!(ranges_overlap(Some(50.0), Some(55.0)), Some(false));
        assert_eq!(ranges_overlap(None, Some(55.0)), None);
        assert_eq!(ranges_overlap(Some(50.0), None), None);
    }

    #[test]
    fn scales_are_listed_in_order_of_first_use_with_their_statements() {
        assert_eq!(
            scale_uses(&[1, 0, 1, 2]),
            [
                ScaleUse {
                    scale: 1,
                    statements: vec![0, 2]
                },
                ScaleUse {
                    scale: 0,
                    statements: vec![1]
                },
                ScaleUse {
                    scale: 2,
                    statements: vec![3]
                },
            ]
        );
        assert!(scale_uses(&[]).is_empty());
    }

    #[test]
    fn the_group_note_names_the_combined_cell_before_hidden_groups() {
        assert_eq!(group_note(true, true, true), Some(GroupNote::Combined));
        assert_eq!(group_note(true, false, false), Some(GroupNote::Combined));
        assert_eq!(group_note(false, true, true), Some(GroupNote::LeftOut));
        assert_eq!(group_note(false, false, true), None);
        assert_eq!(group_note(false, true, false), None);
    }

    #[test]
    fn the_easy_read_meaning_falls_back_to_the_first_sentence() {
        assert_eq!(
            easy_meaning("Staff back the idea.", "Long. Words."),
            "Staff back the idea."
        );
        assert_eq!(
            easy_meaning("  ", " The setting helps. It also… "),
            "The setting helps."
        );
        assert_eq!(easy_meaning("", "Is it shared? Yes."), "Is it shared?");
        assert_eq!(easy_meaning("", " No full stop here "), "No full stop here");
        assert_eq!(easy_meaning("", ""), "");
    }

    #[test]
    fn moved_groups_are_listed_ingredient_by_ingredient() {
        let changed = [vec![false, true, true], vec![], vec![true]];
        let got: Vec<(usize, usize)> = moved_groups(&changed)
            .iter()
            .map(|m| (m.ingredient, m.group))
            .collect();
        assert_eq!(got, [(0, 1), (0, 2), (2, 0)]);
        assert!(moved_groups(&[vec![false]]).is_empty());
    }
}
