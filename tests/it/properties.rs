//! Property tests of the scoring rules and the privacy rule, on random responses.

use makeitstick::instrument::{Answer, Instrument, Respondent};
use makeitstick::score::{self, Scores, tally::Tally};
use proptest::prelude::*;

use super::common::respondent_scores;

fn instrument() -> Instrument {
    Instrument::load(None).unwrap()
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        6 => (1..=5i32).prop_map(Answer::Point),
        1 => Just(Answer::Missing(0)),
        1 => Just(Answer::Unanswered),
    ]
}

/// Respondents with a group (or none) and an answer to every statement.
fn respondents(max: usize) -> impl Strategy<Value = Vec<Respondent>> {
    let statements = instrument().statements().count();
    let groups = instrument().group_options().len();
    prop::collection::vec(
        (
            prop::option::weighted(0.9, 0..groups),
            prop::collection::vec(answer(), statements),
        ),
        0..max,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (group, answers))| Respondent {
                row: i + 2,
                group,
                answers,
                completed: None,
            })
            .collect()
    })
}

/// The figures of `respondents`, an export with a column for every statement
/// and none for the group question, tallied as `report` tallies rows.
fn scores(respondents: Vec<Respondent>, k: usize) -> Scores {
    let instrument = instrument();
    let mut tally = Tally::new(&instrument, vec![true; instrument.statements().count()]);
    for respondent in &respondents {
        tally.add(respondent);
    }
    // No group column: the same counts as an export without one.
    score::finish(&tally, &instrument, k, None, score::ReadCounts::default())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn row_order_does_not_change_results(mut rows in respondents(60), seed in any::<u64>()) {
        let before = serde_json::to_string(&scores(rows.clone(), 5)).unwrap();
        // A deterministic shuffle from the seed.
        let n = rows.len();
        for i in (1..n).rev() {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % (i as u64 + 1)) as usize;
            rows.swap(i, j);
        }
        let after = serde_json::to_string(&scores(rows, 5)).unwrap();
        prop_assert_eq!(before, after);
    }

    #[test]
    fn scores_stay_between_0_and_100(rows in respondents(40)) {
        let instrument = instrument();
        for r in &rows {
            for s in respondent_scores(&r.answers, &instrument).into_iter().flatten() {
                prop_assert!((0.0..=100.0).contains(&s));
            }
        }
        let result = scores(rows, 5);
        for i in &result.ingredients {
            for s in i.overall.iter().chain(i.groups.iter().filter_map(|g| g.summary.as_ref())) {
                prop_assert!((0.0..=100.0).contains(&s.mean));
                prop_assert!(s.ci_low.unwrap_or(0.0) >= 0.0 && s.ci_high.unwrap_or(100.0) <= 100.0);
            }
        }
    }

    #[test]
    fn a_reverse_worded_statement_mirrors_its_plain_twin(value in 1..=5i32) {
        // Make a plain twin of each reverse-worded statement: answering v to the
        // reverse one must score as answering 6 - v to the plain one.
        let mut plain = instrument();
        for ingredient in &mut plain.ingredients {
            for statement in &mut ingredient.statements {
                statement.reverse = false;
            }
        }
        let reverse = instrument();
        let answers: Vec<Answer> = reverse.statements().map(|(_, s)| {
            if s.reverse { Answer::Point(value) } else { Answer::Point(3) }
        }).collect();
        let mirrored: Vec<Answer> = reverse.statements().map(|(_, s)| {
            if s.reverse { Answer::Point(6 - value) } else { Answer::Point(3) }
        }).collect();
        prop_assert_eq!(
            respondent_scores(&answers, &reverse),
            respondent_scores(&mirrored, &plain)
        );
    }

    #[test]
    fn a_small_group_is_never_shown_or_derivable(size in 0usize..5, others in 5usize..30, k in 5usize..6) {
        // `size` young people and `others` managers, all answering everything.
        let statements = instrument().statements().count();
        let rows: Vec<Respondent> = (0..size + others).map(|i| Respondent {
            row: i + 2,
            group: Some(if i < size { 0 } else { 2 }),
            answers: (0..statements).map(|s| Answer::Point(1 + ((i + s) % 5) as i32)).collect(),
            completed: None,
        }).collect();
        let result = scores(rows, k);
        let json = serde_json::to_value(&result).unwrap();
        for ingredient in &result.ingredients {
            // A group nobody is in is not listed; a small one is listed, hidden.
            let young = ingredient.groups.iter().find(|g| g.id == "young-people");
            prop_assert_eq!(young.is_some(), size > 0);
            if let Some(young) = young {
                prop_assert!(!young.shown && young.summary.is_none());
            }
            prop_assert!(ingredient.gap.is_none());
            // The overall is exactly the union of the shown cells.
            let overall = ingredient.overall.as_ref().unwrap();
            let shown: usize = ingredient.groups.iter().filter_map(|g| g.summary.as_ref()).map(|s| s.n).sum();
            prop_assert_eq!(overall.n, shown);
            prop_assert_eq!(overall.n, others);
            for statement in &ingredient.statements {
                let answered: usize = statement.counts.iter().sum::<usize>() + statement.missing_counts.iter().sum::<usize>();
                prop_assert_eq!(answered, others);
            }
        }
        prop_assert_eq!(result.responses.used, others);
        if size > 0 {
            prop_assert!(json["responses"]["groups"][0]["n"].is_null());
        } else {
            prop_assert_eq!(json["responses"]["groups"][0]["id"].as_str(), Some("managers"));
        }
    }
}

/// Answers for the whole built-in instrument, with `first` for the first ingredient.
fn first_ingredient(first: &[Answer]) -> Vec<Answer> {
    let total = instrument().statements().count();
    let mut all = first.to_vec();
    all.resize(total, Answer::Unanswered);
    all
}

#[test]
fn the_reference_scores_rescale_and_reverse_by_hand() {
    use Answer::Point;
    // Receptive context: statements 4 and 7 are reverse-worded.
    // Answers 5,4,3,(2 reversed -> 4),5,4,(1 reversed -> 5): mean 30/7 = 4.2857
    // (4.2857 - 1) / 4 * 100 = 82.142857
    let answers = [5, 4, 3, 2, 5, 4, 1].map(Point);
    let scores = respondent_scores(&first_ingredient(&answers), &instrument());
    assert!((scores[0].unwrap() - 82.142857).abs() < 1e-5);
    assert_eq!(scores[1], None);
    // The extremes are 0 and 100.
    let lowest = respondent_scores(
        &first_ingredient(&[1, 1, 1, 5, 1, 1, 5].map(Point)),
        &instrument(),
    );
    let highest = respondent_scores(
        &first_ingredient(&[5, 5, 5, 1, 5, 5, 1].map(Point)),
        &instrument(),
    );
    assert_eq!((lowest[0], highest[0]), (Some(0.0), Some(100.0)));
}

#[test]
fn the_reference_scores_need_half_the_statements_answered() {
    use Answer::{Missing, Point, Unanswered};
    // 3 of 7 answered is fewer than half; 4 of 7 is enough. Don't know does not count.
    let three = first_ingredient(&[Point(4), Point(4), Point(4), Missing(0), Unanswered]);
    assert_eq!(respondent_scores(&three, &instrument())[0], None);
    let four = first_ingredient(&[Point(4), Point(4), Point(4), Point(4)]);
    // Statement 4 is reverse-worded: 4 -> 2. Mean (4+4+4+2)/4 = 3.5 -> 62.5
    assert_eq!(respondent_scores(&four, &instrument())[0], Some(62.5));
}
