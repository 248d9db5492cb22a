//! Counts of pairs of ingredient scores, the tally's busiest counts: every
//! respondent adds to one entry per pair of ingredients (ten with five).
//!
//! A group's counts start in hash maps, which hold only the pairs met. Once
//! the group has enough respondents for it to pay (see [`PairLayout`]), they
//! move to one dense table per pair of ingredients, indexed by the two
//! scores' numbers among the scores an ingredient can take: adding a
//! respondent is then an index and an increment, with no hashing and no
//! probing. Any key the tables cannot hold stays in the maps, so the counts
//! are exact whatever the questionnaire; their order never reaches an output
//! ([`PairCounts::histogram`] sorts).

use std::collections::HashMap;
use std::sync::Arc;

use super::{PairHistogram, ScoreKey};

/// The largest number of entries of a group's dense tables (4 bytes each: 16 MiB).
const MAX_DENSE_ENTRIES: usize = 1 << 22;
/// A group moves to dense tables once it has at least one respondent per this
/// many entries: the tables then take no more memory (4 bytes an entry) than the
/// maps could (16 bytes and more per key, up to ten new keys per respondent).
const ENTRIES_PER_RESPONDENT: usize = 16;
/// The largest (statements + 1) x (highest sum + 1) an ingredient's score
/// numbering covers; a wider ingredient's pairs stay in the maps.
const MAX_LOOKUP: usize = 1 << 20;

/// The scores one ingredient can take, numbered densely in key order.
#[derive(Debug)]
struct KeyIndex {
    /// Highest sum + 1: the stride of `lookup`.
    width: usize,
    /// Per (count, sum), at `count * width + sum`: the score's number, or `u32::MAX`.
    lookup: Vec<u32>,
    /// Each number's score.
    keys: Vec<ScoreKey>,
}

impl KeyIndex {
    /// The scores an ingredient can take: per statement the steps its answers
    /// score (after flipping), and `scored` saying which numbers of answers
    /// give a score. `None` when a step is negative or the numbering would be
    /// wider than [`MAX_LOOKUP`].
    fn new(steps: &[Vec<i64>], scored: impl Fn(usize) -> bool) -> Option<KeyIndex> {
        let mut highest = 0usize;
        for statement in steps {
            let top = statement.iter().copied().max().unwrap_or(0);
            if statement.iter().any(|s| *s < 0) {
                return None;
            }
            highest = highest.checked_add(usize::try_from(top).ok()?)?;
        }
        let width = highest.checked_add(1)?;
        let rows = steps.len() + 1;
        if rows.checked_mul(width)? > MAX_LOOKUP {
            return None;
        }
        // reach[count * width + sum]: some answers to `count` statements sum to `sum`.
        let mut reach = vec![false; rows * width];
        reach[0] = true;
        for (done, statement) in steps.iter().enumerate() {
            for count in (0..=done).rev() {
                for sum in 0..width {
                    if !reach[count * width + sum] {
                        continue;
                    }
                    for step in statement {
                        reach[(count + 1) * width + sum + *step as usize] = true;
                    }
                }
            }
        }
        let mut lookup = vec![u32::MAX; rows * width];
        let mut keys = Vec::new();
        for count in (1..rows).filter(|c| scored(*c)) {
            for sum in (0..width).filter(|s| reach[count * width + s]) {
                lookup[count * width + sum] = u32::try_from(keys.len()).ok()?;
                keys.push(ScoreKey {
                    sum: sum as i64,
                    count: count as u32,
                });
            }
        }
        Some(KeyIndex {
            width,
            lookup,
            keys,
        })
    }

    /// The number of `key`, when it is one of the scores counted.
    fn get(&self, key: ScoreKey) -> Option<usize> {
        let (count, sum) = (key.count as usize, usize::try_from(key.sum).ok()?);
        if sum >= self.width {
            return None;
        }
        let number = *self.lookup.get(count * self.width + sum)?;
        (number != u32::MAX).then_some(number as usize)
    }
}

/// One pair of ingredients' dense table: where it starts among a group's
/// entries (`None`: the pair is counted in the maps only).
#[derive(Debug)]
struct PairTable {
    a: usize,
    b: usize,
    start: Option<usize>,
}

/// How a questionnaire's pairs of scores are laid out in dense tables, made
/// once per tally and shared by its groups.
#[derive(Debug)]
pub struct PairLayout {
    /// Per ingredient: its scores' numbering (`None`: too wide, maps only).
    ingredients: Vec<Option<KeyIndex>>,
    /// Every pair `a < b` in order.
    pairs: Vec<PairTable>,
    /// Entries of all the dense tables.
    entries: usize,
}

impl PairLayout {
    /// The layout for ingredients whose statements score the given steps
    /// (per ingredient, per statement, after flipping); `scored(count,
    /// statements)` says whether answering `count` of an ingredient's
    /// `statements` gives a score.
    pub fn new(steps: &[Vec<Vec<i64>>], scored: impl Fn(usize, usize) -> bool) -> PairLayout {
        let ingredients: Vec<Option<KeyIndex>> = steps
            .iter()
            .map(|statements| KeyIndex::new(statements, |c| scored(c, statements.len())))
            .collect();
        let mut pairs = Vec::new();
        let mut entries = 0usize;
        for a in 0..ingredients.len() {
            for b in a + 1..ingredients.len() {
                let size = match (&ingredients[a], &ingredients[b]) {
                    (Some(ka), Some(kb)) => ka.keys.len().checked_mul(kb.keys.len()),
                    _ => None,
                };
                let start = size
                    .and_then(|size| entries.checked_add(size))
                    .filter(|end| *end <= MAX_DENSE_ENTRIES)
                    .map(|end| std::mem::replace(&mut entries, end));
                pairs.push(PairTable { a, b, start });
            }
        }
        PairLayout {
            ingredients,
            pairs,
            entries,
        }
    }

    /// Whether a group with `respondents` should count in dense tables.
    fn pays(&self, respondents: u64) -> bool {
        self.entries > 0 && (self.entries / ENTRIES_PER_RESPONDENT) as u64 <= respondents
    }

    /// Where `(ka, kb)` of `pair` is counted in the dense tables.
    fn entry(&self, pair: &PairTable, ka: ScoreKey, kb: ScoreKey) -> Option<usize> {
        let start = pair.start?;
        let index_a = self.ingredients[pair.a].as_ref()?;
        let index_b = self.ingredients[pair.b].as_ref()?;
        let (ia, ib) = (index_a.get(ka)?, index_b.get(kb)?);
        Some(start + ia * index_b.keys.len() + ib)
    }
}

/// Counts of pairs of scores for every pair of ingredients `(a, b, score a, score b)`.
///
/// In the maps, a key of small integers (ingredients under 16, counts under
/// 256, sums from 0 to under 2^20: every questionnaire makeitstick ships, and
/// any with fewer than 256 statements per ingredient on scales of up to 4,096
/// steps) is packed into one 64-bit word, which hashes and compares in one
/// step; any other key is counted whole in a second map. Both are hashed with
/// rustc's Fx hash: the keys are bounded by the scale, so no input can make
/// the maps slow.
#[derive(Debug, Clone, Default)]
pub struct PairCounts {
    packed: HashMap<u64, u64, rustc_hash::FxBuildHasher>,
    whole: HashMap<(usize, usize, ScoreKey, ScoreKey), u64, rustc_hash::FxBuildHasher>,
    dense: Option<Dense>,
}

/// A group's dense tables and the layout they follow.
#[derive(Debug, Clone)]
struct Dense {
    layout: Arc<PairLayout>,
    counts: Vec<u32>,
}

/// Bits of a packed pair key for an ingredient's index, a count and a sum.
const INGREDIENT_BITS: u32 = 4;
const COUNT_BITS: u32 = 8;
const SUM_BITS: u32 = 20;

impl PairCounts {
    /// Counts one respondent's scores `ka` and `kb` of ingredients `a` and `b` in the maps.
    pub fn add(&mut self, a: usize, b: usize, ka: ScoreKey, kb: ScoreKey) {
        match pack(a, b, ka, kb) {
            Some(key) => *self.packed.entry(key).or_default() += 1,
            None => *self.whole.entry((a, b, ka, kb)).or_default() += 1,
        }
    }

    /// Counts one respondent of a group that now has `respondents`: `keys`
    /// holds their score per ingredient (`None`: no score), laid out as
    /// `layout` says once the group is large enough.
    pub fn add_respondent(
        &mut self,
        keys: &[Option<ScoreKey>],
        layout: &Arc<PairLayout>,
        respondents: u64,
    ) {
        if self.dense.is_none() && layout.pays(respondents) {
            self.make_dense(layout);
        }
        let Some(dense) = &mut self.dense else {
            for a in 0..keys.len() {
                for b in a + 1..keys.len() {
                    if let (Some(ka), Some(kb)) = (keys[a], keys[b]) {
                        self.add(a, b, ka, kb);
                    }
                }
            }
            return;
        };
        for pair in &dense.layout.pairs {
            let (Some(ka), Some(kb)) = (keys[pair.a], keys[pair.b]) else {
                continue;
            };
            let counted = dense.layout.entry(pair, ka, kb).and_then(|at| {
                let count = &mut dense.counts[at];
                *count = count.checked_add(1)?;
                Some(())
            });
            if counted.is_none() {
                match pack(pair.a, pair.b, ka, kb) {
                    Some(key) => *self.packed.entry(key).or_default() += 1,
                    None => *self.whole.entry((pair.a, pair.b, ka, kb)).or_default() += 1,
                }
            }
        }
    }

    /// Moves the counts the dense tables can hold out of the maps into them.
    fn make_dense(&mut self, layout: &Arc<PairLayout>) {
        let mut counts = vec![0u32; layout.entries];
        let pair_of = |a: usize, b: usize| layout.pairs.iter().find(|p| (p.a, p.b) == (a, b));
        let mut move_in = |(a, b, ka, kb): (usize, usize, ScoreKey, ScoreKey), count: u64| {
            let at = pair_of(a, b).and_then(|pair| layout.entry(pair, ka, kb));
            match (at, u32::try_from(count)) {
                (Some(at), Ok(count)) => {
                    counts[at] = count;
                    false
                }
                _ => true,
            }
        };
        self.packed
            .retain(|key, count| move_in(unpack(*key), *count));
        self.whole.retain(|key, count| move_in(*key, *count));
        self.dense = Some(Dense {
            layout: Arc::clone(layout),
            counts,
        });
    }

    /// Every key counted and its count, in no particular order; a key may
    /// come twice (a dense entry that was full, and the rest in a map).
    pub fn iter(&self) -> impl Iterator<Item = ((usize, usize, ScoreKey, ScoreKey), u64)> + '_ {
        let dense = self.dense.iter().flat_map(|dense| {
            let layout = &dense.layout;
            layout.pairs.iter().flat_map(move |pair| {
                let tables = pair.start.and_then(|start| {
                    let ka = layout.ingredients[pair.a].as_ref()?;
                    let kb = layout.ingredients[pair.b].as_ref()?;
                    Some((start, ka, kb))
                });
                tables.into_iter().flat_map(move |(start, ka, kb)| {
                    let table = &dense.counts[start..start + ka.keys.len() * kb.keys.len()];
                    table
                        .iter()
                        .enumerate()
                        .filter(|(_, count)| **count > 0)
                        .map(move |(at, count)| {
                            let keys = (ka.keys[at / kb.keys.len()], kb.keys[at % kb.keys.len()]);
                            ((pair.a, pair.b, keys.0, keys.1), u64::from(*count))
                        })
                })
            })
        });
        self.packed
            .iter()
            .map(|(key, count)| (unpack(*key), *count))
            .chain(self.whole.iter().map(|(key, count)| (*key, *count)))
            .chain(dense)
    }

    /// The pairs of scores of ingredients `a` and `b` (a < b), in key order.
    pub fn histogram(&self, a: usize, b: usize) -> PairHistogram {
        let mut histogram = PairHistogram::new();
        for ((x, y, ka, kb), count) in self.iter() {
            if (x, y) == (a, b) {
                *histogram.entry((ka, kb)).or_default() += count;
            }
        }
        histogram
    }
}

/// `(a, b, ka, kb)` in one word, when every part fits its bits.
fn pack(a: usize, b: usize, ka: ScoreKey, kb: ScoreKey) -> Option<u64> {
    let fits = |value: u64, bits: u32| value < 1 << bits;
    let sum = |key: ScoreKey| u64::try_from(key.sum).ok().filter(|s| fits(*s, SUM_BITS));
    let (sa, sb) = (sum(ka)?, sum(kb)?);
    let (a, b) = (a as u64, b as u64);
    let (ca, cb) = (u64::from(ka.count), u64::from(kb.count));
    if !(fits(a, INGREDIENT_BITS)
        && fits(b, INGREDIENT_BITS)
        && fits(ca, COUNT_BITS)
        && fits(cb, COUNT_BITS))
    {
        return None;
    }
    let mut key = a;
    for (part, bits) in [
        (b, INGREDIENT_BITS),
        (ca, COUNT_BITS),
        (cb, COUNT_BITS),
        (sa, SUM_BITS),
        (sb, SUM_BITS),
    ] {
        key = (key << bits) | part;
    }
    Some(key)
}

/// The parts of a word made by [`pack`].
fn unpack(mut key: u64) -> (usize, usize, ScoreKey, ScoreKey) {
    let mut take = |bits: u32| {
        let part = key & ((1 << bits) - 1);
        key >>= bits;
        part
    };
    let sb = take(SUM_BITS) as i64;
    let sa = take(SUM_BITS) as i64;
    let cb = take(COUNT_BITS) as u32;
    let ca = take(COUNT_BITS) as u32;
    let b = take(INGREDIENT_BITS) as usize;
    let a = take(INGREDIENT_BITS) as usize;
    (
        a,
        b,
        ScoreKey { sum: sa, count: ca },
        ScoreKey { sum: sb, count: cb },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(sum: i64, count: u32) -> ScoreKey {
        ScoreKey { sum, count }
    }

    #[test]
    fn pair_keys_pack_and_unpack_exactly_and_others_are_counted_whole() {
        let small = (3, 4, key(17, 6), key((1 << SUM_BITS) - 1, 255));
        let packed = pack(small.0, small.1, small.2, small.3).unwrap();
        assert_eq!(unpack(packed), small);
        assert_eq!(pack(16, 4, key(1, 1), key(1, 1)), None);
        assert_eq!(pack(1, 4, key(-1, 1), key(1, 1)), None);
        assert_eq!(pack(1, 4, key(1, 256), key(1, 1)), None);
        assert_eq!(pack(1, 4, key(1, 1), key(1 << SUM_BITS, 1)), None);

        let mut counts = PairCounts::default();
        let big = (20, 21, key(1 << 30, 300), key(2, 1));
        for (a, b, ka, kb) in [small, small, big] {
            counts.add(a, b, ka, kb);
        }
        let mut all: Vec<_> = counts.iter().collect();
        all.sort();
        assert_eq!(all, [(small, 2), (big, 1)]);
        assert_eq!(
            counts.histogram(3, 4),
            PairHistogram::from([((small.2, small.3), 2)])
        );
        assert_eq!(
            counts.histogram(20, 21),
            PairHistogram::from([((big.2, big.3), 1)])
        );
    }

    #[test]
    fn an_ingredients_scores_are_exactly_the_reachable_sums() {
        // Two statements on 0, 1, 2 steps and one on 0 or 3; a score needs two answers.
        let steps = [vec![0, 1, 2], vec![0, 1, 2], vec![0, 3]];
        let index = KeyIndex::new(&steps, |c| c >= 2).unwrap();
        let sums = |count: u32| -> Vec<i64> {
            let keys = index.keys.iter().filter(|k| k.count == count);
            keys.map(|k| k.sum).collect()
        };
        assert_eq!(sums(1), Vec::<i64>::new());
        assert_eq!(sums(2), [0, 1, 2, 3, 4, 5]);
        assert_eq!(sums(3), [0, 1, 2, 3, 4, 5, 6, 7]);
        for (number, key) in index.keys.iter().enumerate() {
            assert_eq!(index.get(*key), Some(number));
        }
        assert_eq!(index.get(key(1, 1)), None);
        assert_eq!(index.get(key(8, 3)), None);
        assert_eq!(index.get(key(-1, 3)), None);
        assert_eq!(index.get(key(0, 4)), None);
        // Steps of 15 only reach multiples of 15: 0, 15, 30 answering one; 0 to 60 answering both.
        let coarse = KeyIndex::new(&[vec![0, 15, 30], vec![0, 30]], |c| c >= 1).unwrap();
        assert_eq!(coarse.keys.len(), 3 + 5);
        assert!(KeyIndex::new(&[vec![-1, 0]], |_| true).is_none());
        assert!(KeyIndex::new(&[vec![0, 1 << 21]], |_| true).is_none());
    }

    /// Every respondent's keys for three ingredients, some without a score,
    /// some keys outside what the layout numbers.
    fn respondents() -> Vec<[Option<ScoreKey>; 3]> {
        (0..400u32)
            .map(|i| {
                let k = |sum: u32, count: u32| Some(key(i64::from(sum), count));
                [
                    k(i % 9, 2),
                    (i % 7 != 0).then(|| key(i64::from(i % 5), 1)).or(k(3, 2)),
                    if i % 50 == 0 {
                        k(1000, 2)
                    } else {
                        k(i % 13, 3)
                    },
                ]
            })
            .collect()
    }

    #[test]
    fn dense_tables_count_exactly_what_the_maps_count() {
        let steps = vec![
            vec![vec![0, 2, 4], vec![0, 2, 4]],
            vec![vec![0, 4], vec![0, 1, 2, 3, 4]],
            vec![vec![0, 4], vec![0, 4], vec![0, 1, 2, 3, 4]],
        ];
        let layout = Arc::new(PairLayout::new(&steps, |count, _| count >= 1));
        assert!(layout.entries > 0 && !layout.pays(1));
        let (mut maps, mut dense) = (PairCounts::default(), PairCounts::default());
        for (n, keys) in respondents().iter().enumerate() {
            for a in 0..3 {
                for b in a + 1..3 {
                    if let (Some(ka), Some(kb)) = (keys[a], keys[b]) {
                        maps.add(a, b, ka, kb);
                    }
                }
            }
            dense.add_respondent(keys, &layout, n as u64 + 1);
        }
        assert!(maps.dense.is_none() && dense.dense.is_some());
        // The key no table numbers (a sum of 1000) is still counted, in a map.
        assert!(!dense.packed.is_empty());
        for (a, b) in [(0, 1), (0, 2), (1, 2)] {
            let histogram = dense.histogram(a, b);
            assert!(!histogram.is_empty());
            assert_eq!(histogram, maps.histogram(a, b), "pair {a} {b}");
        }
    }

    #[test]
    fn a_full_dense_entry_overflows_into_the_maps() {
        let layout = Arc::new(PairLayout::new(
            &[vec![vec![0, 1]], vec![vec![0, 1]]],
            |c, _| c == 1,
        ));
        let mut counts = PairCounts::default();
        let keys = [Some(key(1, 1)), Some(key(0, 1))];
        counts.add_respondent(&keys, &layout, 1 << 20);
        let dense = counts.dense.as_mut().unwrap();
        let at = dense
            .layout
            .entry(&dense.layout.pairs[0], key(1, 1), key(0, 1))
            .unwrap();
        dense.counts[at] = u32::MAX;
        counts.add_respondent(&keys, &layout, 1 << 20);
        let expected = u64::from(u32::MAX) + 1;
        assert_eq!(
            counts.histogram(0, 1),
            PairHistogram::from([((key(1, 1), key(0, 1)), expected)])
        );
    }
}
