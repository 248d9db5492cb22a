//! The funnel plot of one ingredient across a programme's sites: each site's
//! score (0-100, up) against its number of responses (log scale, across), the
//! programme mean as a line and the 95% and 99.8% limits as curves that narrow
//! as sites grow ([`crate::programme::funnel`] works them out).
//!
//! A site outside the limits is drawn as a triangle pointing the way it lies
//! (up above, down below; larger beyond 99.8%) and labelled with its name, so
//! shape and words carry the meaning, not colour alone. Sites inside are small
//! circles without names: the plot is about sites that differ by more than
//! chance, never a ranking. The 95% limits are dashed, the 99.8% limits solid.

use plotters::style::text_anchor::HPos;

use super::{
    BLUE, Canvas, Chart, GRID, INK, LINE_HEIGHT, MARGIN, MUTED, Marker, PALETTE, SMALL, STRONG,
    Shape, WIDTH, render, text_width, whole,
};
use crate::programme::funnel::{Funnel, Position};
use crate::programme::summary::IngredientSpread;

/// Chart height.
const HEIGHT: i32 = 900;
/// Room for the y axis ticks left of the plot.
const Y_AXIS: i32 = 70;
/// Points on each limit curve.
const CURVE_POINTS: usize = 60;
/// Gap between a marker's centre and its name: clear of the largest marker.
const LABEL_GAP: i32 = 28;
/// Candidate x ticks (responses); those inside the range are drawn.
const X_TICKS: [f64; 13] = [
    2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0, 20000.0,
];
/// Colour of the limit curves and of sites above them; sites below get vermillion.
const LIMIT: plotters::style::RGBColor = MUTED;

/// The sites outside one ingredient's limits, by name in alphabetical order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Outside {
    /// Above the upper 99.8% limit.
    pub above_998: Vec<String>,
    /// Above the upper 95% limit but within 99.8%.
    pub above_95: Vec<String>,
    /// Below the lower 95% limit but within 99.8%.
    pub below_95: Vec<String>,
    /// Below the lower 99.8% limit.
    pub below_998: Vec<String>,
}

impl Outside {
    /// The sites of `spread` outside its limits (its sites are already alphabetical).
    pub fn of(spread: &IngredientSpread) -> Outside {
        let mut outside = Outside::default();
        for site in &spread.sites {
            let list = match site.position {
                Some(Position::Above998) => &mut outside.above_998,
                Some(Position::Above95) => &mut outside.above_95,
                Some(Position::Below95) => &mut outside.below_95,
                Some(Position::Below998) => &mut outside.below_998,
                Some(Position::Inside) | None => continue,
            };
            list.push(site.name.clone());
        }
        outside
    }

    /// True when every site is inside the 95% limits.
    pub fn is_empty(&self) -> bool {
        self.above_998.is_empty()
            && self.above_95.is_empty()
            && self.below_95.is_empty()
            && self.below_998.is_empty()
    }
}

/// Where one site is drawn.
#[derive(Debug, Clone, PartialEq)]
struct Point {
    at: (i32, i32),
    position: Position,
    /// The site's name, where its line box starts, and whether it reads
    /// leftwards from there (the name ends at the point, at the right edge).
    label: Option<(String, (i32, i32), bool)>,
}

/// Everything the painter needs, in pixels.
#[derive(Debug, Clone, PartialEq)]
struct Layout {
    /// Left, top, right, bottom of the plot area.
    plot: (i32, i32, i32, i32),
    x_ticks: Vec<(i32, String)>,
    y_ticks: Vec<(i32, String)>,
    /// The programme mean's height.
    target: i32,
    /// Lower 99.8%, lower 95%, upper 95%, upper 99.8%, each clamped to 0-100.
    curves: [Vec<(i32, i32)>; 4],
    points: Vec<Point>,
}

/// Lays the chart out; `None` when the ingredient has no funnel (no spread) or no site.
fn layout(spread: &IngredientSpread, funnel: &Funnel) -> Option<Layout> {
    let lowest = spread.sites.iter().map(|s| s.n).min()?;
    let highest = spread.sites.iter().map(|s| s.n).max()?;
    let (from, to) = ((lowest as f64 / 1.5).max(1.0), highest as f64 * 1.2);
    let (left, right) = (MARGIN + Y_AXIS, WIDTH - MARGIN);
    let (top, bottom) = (MARGIN + 10, HEIGHT - MARGIN - 2 * LINE_HEIGHT - 110);
    let x = |n: f64| {
        let share = (n.ln() - from.ln()) / (to.ln() - from.ln());
        left + (share * f64::from(right - left)).round() as i32
    };
    let y = |score: f64| {
        let share = score.clamp(0.0, 100.0) / 100.0;
        bottom - (share * f64::from(bottom - top)).round() as i32
    };
    let curve = funnel.curve(from, to, CURVE_POINTS);
    let line = |pick: fn(&crate::programme::funnel::Limits) -> f64| {
        curve.iter().map(|l| (x(l.n), y(pick(l)))).collect()
    };
    let points = spread
        .sites
        .iter()
        .map(|site| {
            let at = (x(site.n as f64), y(site.mean));
            let position = site.position.unwrap_or(Position::Inside);
            let label = position.outside().then(|| {
                let width = text_width(&site.name, STRONG);
                let fits_right = at.0 + LABEL_GAP + width <= right;
                let lx = if fits_right {
                    at.0 + LABEL_GAP
                } else {
                    at.0 - LABEL_GAP
                };
                (site.name.clone(), (lx, at.1 - LINE_HEIGHT / 2), !fits_right)
            });
            Point {
                at,
                position,
                label,
            }
        })
        .collect();
    Some(Layout {
        plot: (left, top, right, bottom),
        x_ticks: X_TICKS
            .iter()
            .filter(|&&n| n >= from && n <= to)
            .map(|&n| (x(n), whole(n)))
            .collect(),
        y_ticks: [0.0, 25.0, 50.0, 75.0, 100.0]
            .iter()
            .map(|&s| (y(s), whole(s)))
            .collect(),
        target: y(funnel.target),
        curves: [
            line(|l| l.low_998),
            line(|l| l.low_95),
            line(|l| l.high_95),
            line(|l| l.high_998),
        ],
        points,
    })
}

/// How a site is marked: its shape says where it lies, colour only repeats it.
fn marker(position: Position) -> (Marker, i32) {
    let (shape, colour, r) = match position {
        Position::Inside => (Shape::Circle, GRID, 9),
        Position::Above95 => (Shape::TriangleUp, BLUE, 13),
        Position::Above998 => (Shape::TriangleUp, BLUE, 17),
        Position::Below95 => (Shape::TriangleDown, PALETTE[1], 13),
        Position::Below998 => (Shape::TriangleDown, PALETTE[1], 17),
    };
    (Marker { shape, colour }, r)
}

/// Draws the funnel plot of `spread` (`funnel-<id>.svg`); `None` without a funnel.
pub(super) fn draw(spread: &IngredientSpread) -> Option<Chart> {
    let funnel = spread.funnel?;
    let layout = layout(spread, &funnel)?;
    let alt = alt_text(spread, &funnel);
    let svg = render(HEIGHT, &alt, |canvas| paint(canvas, &layout));
    Some(Chart {
        file_name: format!("funnel-{}.svg", spread.id),
        svg,
        alt,
    })
}

/// A polyline, solid or dashed (every other segment of the finely spaced curve).
fn polyline(canvas: &Canvas, points: &[(i32, i32)], width: u32, dashed: bool) {
    for (i, pair) in points.windows(2).enumerate() {
        if !dashed || i % 2 == 0 {
            canvas.line(pair[0], pair[1], LIMIT, width);
        }
    }
}

fn paint(canvas: &Canvas, layout: &Layout) {
    let (left, top, right, bottom) = layout.plot;
    for (y, label) in &layout.y_ticks {
        canvas.line((left, *y), (right, *y), GRID, 1);
        canvas.text(label, (left - 12, y - 17), SMALL, MUTED, HPos::Right);
    }
    for (x, label) in &layout.x_ticks {
        canvas.line((*x, bottom), (*x, bottom + 10), INK, 2);
        canvas.text(label, (*x, bottom + 14), SMALL, MUTED, HPos::Center);
    }
    canvas.line((left, bottom), (right, bottom), INK, 2);
    canvas.line((left, top), (left, bottom), INK, 2);
    let middle = (left + right) / 2;
    canvas.text(
        "Number of responses from the site (spaced so each step multiplies it)",
        (middle, bottom + 14 + LINE_HEIGHT),
        SMALL,
        INK,
        HPos::Center,
    );
    for (i, curve) in layout.curves.iter().enumerate() {
        let dashed = i == 1 || i == 2;
        polyline(canvas, curve, if dashed { 3 } else { 2 }, dashed);
    }
    canvas.line((left, layout.target), (right, layout.target), INK, 4);
    for point in &layout.points {
        let (m, r) = marker(point.position);
        canvas.marker(m, point.at, r);
    }
    for point in &layout.points {
        if let Some((name, at, leftwards)) = &point.label {
            let width = text_width(name, STRONG);
            let (x0, h) = if *leftwards {
                (at.0 - width, HPos::Right)
            } else {
                (at.0, HPos::Left)
            };
            canvas.rect(
                (x0 - 3, at.1 + 1),
                (x0 + width + 3, at.1 + LINE_HEIGHT - 1),
                super::WHITE_BG,
            );
            canvas.text(name, *at, STRONG, INK, h);
        }
    }
    legend(canvas, bottom + 14 + 2 * LINE_HEIGHT + 16);
}

/// The key below the plot: line styles and marker shapes in words.
fn legend(canvas: &Canvas, y: i32) {
    let mut x = MARGIN;
    let centre = y + LINE_HEIGHT / 2;
    canvas.line((x, centre), (x + 50, centre), INK, 4);
    x += 60;
    canvas.text("programme mean", (x, y), SMALL, INK, HPos::Left);
    x += text_width("programme mean", SMALL) + 30;
    polyline(
        canvas,
        &(0..6).map(|i| (x + i * 10, centre)).collect::<Vec<_>>(),
        3,
        true,
    );
    x += 60;
    canvas.text("95% limits", (x, y), SMALL, INK, HPos::Left);
    x += text_width("95% limits", SMALL) + 30;
    canvas.line((x, centre), (x + 50, centre), LIMIT, 2);
    x += 60;
    canvas.text("99.8% limits", (x, y), SMALL, INK, HPos::Left);
    let y2 = y + LINE_HEIGHT + 10;
    let centre2 = y2 + LINE_HEIGHT / 2;
    let mut x = MARGIN + 15;
    for (position, words) in [
        (Position::Inside, "site inside the limits"),
        (Position::Above998, "above the limits (named)"),
        (Position::Below998, "below the limits (named)"),
    ] {
        let (m, r) = marker(position);
        canvas.marker(m, (x, centre2), r.min(13));
        canvas.text(words, (x + 25, y2), SMALL, INK, HPos::Left);
        x += 25 + text_width(words, SMALL) + 40;
    }
}

/// A list of names in words: "A", "A and B", "A, B and C".
pub fn names_in_words(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "Funnel plot of Receptive context for 12 sites: ... Above the 99.8% limits: Brightwater."
fn alt_text(spread: &IngredientSpread, funnel: &Funnel) -> String {
    let outside = Outside::of(spread);
    let mut text = format!(
        "Funnel plot of {} for {} sites: each site's score out of 100 against its number of \
         responses, with the programme mean of {} and the 95% and 99.8% limits around it.",
        spread.name,
        spread.sites.len(),
        whole(funnel.target)
    );
    for (names, words) in [
        (&outside.above_998, "above the 99.8% limits"),
        (
            &outside.above_95,
            "above the 95% limits but inside the 99.8% limits",
        ),
        (
            &outside.below_95,
            "below the 95% limits but inside the 99.8% limits",
        ),
        (&outside.below_998, "below the 99.8% limits"),
    ] {
        if !names.is_empty() {
            text.push_str(&format!(
                " {} {}.",
                names_in_words(names),
                if names.len() == 1 {
                    format!("is {words}")
                } else {
                    format!("are {words}")
                }
            ));
        }
    }
    if outside.is_empty() {
        text.push_str(" Every site is inside the 95% limits.");
    } else {
        text.push_str(" Every other site is inside the 95% limits.");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programme::funnel::Moments;
    use crate::programme::summary::SiteScore;

    fn site(name: &str, n: u64, mean: f64, funnel: &Funnel) -> SiteScore {
        SiteScore {
            site: name.to_lowercase(),
            name: name.into(),
            n,
            mean,
            position: Some(funnel.position(mean, n)),
        }
    }

    /// Five sites around 60 (sd 20): one far above, one far below, one just below.
    fn spread() -> IngredientSpread {
        let parts = [
            Moments {
                n: 40,
                mean: 60.0,
                sd: 20.0,
            },
            Moments {
                n: 60,
                mean: 60.0,
                sd: 20.0,
            },
        ];
        let funnel = Funnel::from_sites(&parts).unwrap();
        IngredientSpread {
            id: "context".into(),
            name: "Receptive context".into(),
            programme_mean: Some(60.0),
            site_quartiles: None,
            iqr: None,
            lowest: None,
            highest: None,
            range: None,
            funnel: Some(funnel),
            sites: vec![
                site("Alpha", 20, 61.0, &funnel),
                site("Bright", 100, 75.0, &funnel),
                site("Grey", 80, 45.0, &funnel),
                site("Low", 50, 53.0, &funnel),
                site("Zed", 10, 58.0, &funnel),
            ],
        }
    }

    #[test]
    fn outside_lists_names_by_side_and_limit() {
        let outside = Outside::of(&spread());
        assert_eq!(outside.above_998, ["Bright"]);
        assert!(outside.above_95.is_empty());
        assert_eq!(outside.below_95, ["Low"]);
        assert_eq!(outside.below_998, ["Grey"]);
        assert!(!outside.is_empty());
    }

    #[test]
    fn layout_places_sites_by_responses_and_score_and_names_only_those_outside() {
        let spread = spread();
        let layout = layout(&spread, &spread.funnel.unwrap()).unwrap();
        let (left, top, right, bottom) = layout.plot;
        // More responses further right; higher scores higher up (smaller y).
        let xs: Vec<i32> = layout.points.iter().map(|p| p.at.0).collect();
        assert!(xs[4] < xs[0] && xs[0] < xs[3] && xs[3] < xs[2] && xs[2] < xs[1]);
        assert!(layout.points[1].at.1 < layout.target && layout.target < layout.points[2].at.1);
        for p in &layout.points {
            assert!(p.at.0 >= left && p.at.0 <= right && p.at.1 >= top && p.at.1 <= bottom);
        }
        let named: Vec<&str> = layout
            .points
            .iter()
            .filter_map(|p| p.label.as_ref().map(|l| l.0.as_str()))
            .collect();
        assert_eq!(named, ["Bright", "Grey", "Low"]);
        // The largest site sits at the right edge: its name goes to its left.
        assert!(layout.points[1].label.as_ref().unwrap().2);
        // The curves narrow as n grows: the 99.8% band is widest at the left.
        let width = |i: usize| layout.curves[0][i].1 - layout.curves[3][i].1;
        assert!(width(0) > width(CURVE_POINTS - 1));
        // and the 95% limits lie inside the 99.8% ones.
        assert!(layout.curves[1][0].1 < layout.curves[0][0].1);
        assert_eq!(
            layout
                .x_ticks
                .iter()
                .map(|t| t.1.as_str())
                .collect::<Vec<_>>(),
            ["10", "20", "50", "100"]
        );
    }

    #[test]
    fn alt_text_names_the_sites_outside_in_words() {
        let chart = draw(&spread()).unwrap();
        assert_eq!(chart.file_name, "funnel-context.svg");
        assert_eq!(
            chart.alt,
            "Funnel plot of Receptive context for 5 sites: each site's score out of 100 against \
             its number of responses, with the programme mean of 60 and the 95% and 99.8% limits \
             around it. Bright is above the 99.8% limits. Low is below the 95% limits but inside the 99.8% limits. \
             Grey is below the 99.8% limits. Every other site is inside the 95% limits."
        );
        assert!(
            chart
                .svg
                .contains("<title>Funnel plot of Receptive context")
        );
        for name in ["Bright", "Grey", "Low"] {
            assert!(chart.svg.contains(&format!(">\n{name}\n</text>")), "{name}");
        }
        assert!(!chart.svg.contains(">\nAlpha\n</text>"));
        assert_eq!(draw(&spread()).unwrap().svg, chart.svg);
    }

    #[test]
    fn no_funnel_no_chart() {
        let mut spread = spread();
        spread.funnel = None;
        assert!(draw(&spread).is_none());
        assert_eq!(
            names_in_words(&["A".into(), "B".into(), "C".into()]),
            "A, B and C"
        );
    }
}
