//! Each scoring method's formula with the person's numbers, as the
//! scorecard's line recorded them (raw result, step, band reached). Nothing
//! here computes a score.

use rust_decimal::Decimal;

use super::{blank, num};
use crate::lang::{Lang, tr};
use crate::plan::file::BandFile;
use crate::plan::{BandMode, Direction, Kpi, Method, ZeroActual};
use crate::score::{KpiLine, Step};

/// The method's lines for one KPI.
pub(super) fn method_steps(
    kpi: &Kpi,
    actual: Option<Decimal>,
    target: Option<Decimal>,
    line: &KpiLine,
    lang: Lang,
) -> Vec<String> {
    let mut s = Steps {
        lang,
        line,
        actual,
        target,
        x: actual.map_or_else(|| blank(lang).to_owned(), num),
        out: Vec::new(),
    };
    match &kpi.method {
        Method::Ratio { gate, cap, floor } => s.ratio(*gate, *floor, *cap),
        Method::InverseRatio {
            cap,
            floor,
            zero_actual,
        } => s.inverse_ratio(*floor, *cap, *zero_actual),
        Method::Linear {
            zero,
            full,
            floor,
            cap,
        } => s.linear(*zero, *full, *floor, *cap),
        Method::Bands {
            bands,
            mode,
            direction,
            below,
        } => s.bands(bands, *mode, *direction, *below),
        Method::Deduct {
            start,
            per_unit,
            floor,
            cap,
        } => s.per_unit("−", *start, *per_unit, *floor, *cap),
        Method::Add {
            start,
            per_unit,
            floor,
            cap,
        } => s.per_unit("+", *start, *per_unit, *floor, *cap),
        Method::Rating { max, min } => s.rating(*max, *min),
        Method::PassFail {
            pass_min, pass_max, ..
        } => s.pass_fail(*pass_min, *pass_max),
    }
    s.out
}

struct Steps<'l> {
    lang: Lang,
    line: &'l KpiLine,
    actual: Option<Decimal>,
    target: Option<Decimal>,
    /// The actual as shown (`blank` when missing).
    x: String,
    out: Vec<String>,
}

impl Steps<'_> {
    /// `raw`, and where a floor, cap or rounding moved it, `raw → score`
    /// with the limits that apply.
    fn clamped(&self, raw: Decimal, floor: Option<Decimal>, cap: Option<Decimal>) -> String {
        let lang = self.lang;
        let mut notes = Vec::new();
        if let Some(c) = cap {
            notes.push(tr!(lang, "cap {}", "上限{}", num(c)));
        }
        if let Some(f) = floor {
            notes.push(tr!(lang, "floor {}", "下限{}", num(f)));
        }
        let notes = notes.join(lang.t((", ", "、")));
        let final_score = self.line.score.unwrap_or(raw);
        if final_score != raw {
            tr!(
                lang,
                "{} → {} ({notes})",
                "{} → {}（{notes}）",
                num(raw),
                num(final_score)
            )
        } else if notes.is_empty() {
            num(raw)
        } else {
            tr!(
                lang,
                "{}  (within {notes})",
                "{}（未触及{notes}）",
                num(raw)
            )
        }
    }

    fn target_shown(&self) -> String {
        self.target.map(num).unwrap_or_default()
    }

    fn ratio(&mut self, gate: Option<Decimal>, floor: Option<Decimal>, cap: Option<Decimal>) {
        let lang = self.lang;
        let Some(a) = self.line.attainment else {
            return;
        };
        let text = tr!(
            lang,
            "attainment = actual ÷ target = {} ÷ {} = {}",
            "达成率 = 实际 ÷ 目标 = {} ÷ {} = {}",
            self.x,
            self.target_shown(),
            num(a)
        );
        self.out.push(text);
        let text = match (self.line.step, self.line.raw) {
            (Step::BelowGate, _) => tr!(
                lang,
                "below the gate {}: score = 0",
                "低于门槛{}：得分 = 0",
                gate.map(num).unwrap_or_default()
            ),
            (_, Some(raw)) => tr!(
                lang,
                "score = attainment × 100 = {}",
                "得分 = 达成率 × 100 = {}",
                self.clamped(raw, floor, cap)
            ),
            (_, None) => return,
        };
        self.out.push(text);
    }

    fn inverse_ratio(&mut self, floor: Option<Decimal>, cap: Option<Decimal>, zero: ZeroActual) {
        let lang = self.lang;
        match (self.line.attainment, self.line.score) {
            (Some(a), _) => {
                let Some(raw) = self.line.raw else {
                    return;
                };
                let text = tr!(
                    lang,
                    "lower is better: attainment = target ÷ actual = {} ÷ {} = {}",
                    "越低越好：达成率 = 目标 ÷ 实际 = {} ÷ {} = {}",
                    self.target_shown(),
                    self.x,
                    num(a)
                );
                self.out.push(text);
                let text = tr!(
                    lang,
                    "score = attainment × 100 = {}",
                    "得分 = 达成率 × 100 = {}",
                    self.clamped(raw, floor, cap)
                );
                self.out.push(text);
            }
            (None, Some(s)) => {
                let rule = lang.t(match zero {
                    ZeroActual::Cap => ("the cap", "按上限计分"),
                    ZeroActual::Full => ("100", "计100分"),
                    ZeroActual::NotApplicable => ("does not apply", "不适用"),
                });
                self.out.push(tr!(
                    lang,
                    "actual of 0: scores {rule} (zero_actual): {}",
                    "实际为0（zero_actual）：{rule}，得分 = {}",
                    num(s)
                ));
            }
            (None, None) => {}
        }
    }

    fn linear(
        &mut self,
        zero: Decimal,
        full: Decimal,
        floor: Option<Decimal>,
        cap: Option<Decimal>,
    ) {
        let (Some(_), Some(raw)) = (self.actual, self.line.raw) else {
            return;
        };
        let text = tr!(
            self.lang,
            "score = (actual − {}) ÷ ({} − {}) × 100 = ({} − {}) ÷ {} × 100 = {}",
            "得分 = (实际 − {}) ÷ ({} − {}) × 100 = ({} − {}) ÷ {} × 100 = {}",
            num(zero),
            num(full),
            num(zero),
            self.x,
            num(zero),
            // The plan's span, shown as one figure.
            num(full - zero),
            self.clamped(raw, floor, cap)
        );
        self.out.push(text);
    }

    fn bands(
        &mut self,
        bands: &[BandFile],
        mode: BandMode,
        direction: Direction,
        below: Option<Decimal>,
    ) {
        let lang = self.lang;
        let rule: Vec<String> = bands
            .iter()
            .map(|b| format!("{} → {}", num(b.at), num(b.points)))
            .collect();
        let how = lang.t(match (mode, direction) {
            (BandMode::Steps, Direction::Ascending) => {
                ("steps, at or above", "阶梯计分，达到档位即得")
            }
            (BandMode::Steps, Direction::Descending) => {
                ("steps, at or below", "阶梯计分，不高于档位即得")
            }
            (BandMode::Interpolate, Direction::Ascending) => {
                ("interpolated, higher is better", "档间插值，越高越好")
            }
            (BandMode::Interpolate, Direction::Descending) => {
                ("interpolated, lower is better", "档间插值，越低越好")
            }
        });
        self.out.push(tr!(
            lang,
            "bands ({how}): {}; not reached: {}",
            "分档（{how}）：{}；未达最低档：{}",
            rule.join(lang.t((", ", "，"))),
            num(below.unwrap_or_default())
        ));
        let value = self.line.attainment.or(self.actual);
        if self.line.attainment.is_some() {
            self.out.push(tr!(
                lang,
                "value = actual ÷ target = {}",
                "取值 = 实际 ÷ 目标 = {}",
                value.map(num).unwrap_or_default()
            ));
        }
        if let (
            Some(v),
            Some(s),
            Step::Band {
                reached,
                interpolated,
            },
        ) = (value, self.line.score, self.line.step)
        {
            self.band_reached(bands, v, s, reached, interpolated);
        }
    }

    /// The band the scoring reached, and the interpolation toward the next.
    fn band_reached(
        &mut self,
        bands: &[BandFile],
        v: Decimal,
        s: Decimal,
        reached: Option<u16>,
        interpolated: bool,
    ) {
        let lang = self.lang;
        let band = |i: u16| bands.get(usize::from(i)).copied();
        let text = match reached.and_then(|i| Some((i, band(i)?))) {
            Some((i, lo)) if interpolated && band(i + 1).is_some() => {
                let hi = band(i + 1).unwrap_or(lo);
                tr!(
                    lang,
                    "score = {} + ({} − {}) ÷ ({} − {}) × ({} − {}) = {}",
                    "得分 = {} + ({} − {}) ÷ ({} − {}) × ({} − {}) = {}",
                    num(lo.points),
                    num(v),
                    num(lo.at),
                    num(hi.at),
                    num(lo.at),
                    num(hi.points),
                    num(lo.points),
                    num(s)
                )
            }
            Some((_, here)) => tr!(
                lang,
                "reaches {}: score = {}",
                "达到{}档：得分 = {}",
                num(here.at),
                num(s)
            ),
            None => tr!(
                lang,
                "no band reached: score = {}",
                "未达任何档位：得分 = {}",
                num(s)
            ),
        };
        self.out.push(text);
    }

    /// `deduct` (`sign` −) and `add` (`sign` +).
    fn per_unit(
        &mut self,
        sign: &str,
        start: Decimal,
        per_unit: Decimal,
        floor: Option<Decimal>,
        cap: Option<Decimal>,
    ) {
        let (Some(_), Some(raw)) = (self.actual, self.line.raw) else {
            return;
        };
        let text = tr!(
            self.lang,
            "score = {} {sign} {} × {} = {}",
            "得分 = {} {sign} {} × {} = {}",
            num(start),
            num(per_unit),
            self.x,
            self.clamped(raw, floor, cap)
        );
        self.out.push(text);
    }

    fn rating(&mut self, max: Decimal, min: Option<Decimal>) {
        let lang = self.lang;
        let scale = min.map_or_else(
            || tr!(lang, "up to {}", "满分{}", num(max)),
            |m| tr!(lang, "{} to {}", "{}–{}分", num(m), num(max)),
        );
        self.out.push(tr!(
            lang,
            "rating on a scale {scale}: score = {} ÷ {} × 100 = {}",
            "评分（{scale}）：得分 = {} ÷ {} × 100 = {}",
            self.x,
            num(max),
            self.line.score.map(num).unwrap_or_default()
        ));
    }

    fn pass_fail(&mut self, pass_min: Option<Decimal>, pass_max: Option<Decimal>) {
        let lang = self.lang;
        let rule = match (pass_min, pass_max) {
            (Some(lo), Some(hi)) => {
                tr!(lang, "{} ≤ actual ≤ {}", "{} ≤ 实际 ≤ {}", num(lo), num(hi))
            }
            (Some(lo), None) => tr!(lang, "actual ≥ {}", "实际 ≥ {}", num(lo)),
            (None, Some(hi)) => tr!(lang, "actual ≤ {}", "实际 ≤ {}", num(hi)),
            (None, None) => String::new(),
        };
        self.out
            .push(tr!(lang, "passes when {rule}", "达标条件：{rule}"));
    }
}
