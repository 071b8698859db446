//! Joiners and leavers: the days a person was employed in a month, and the
//! fraction of the bonus (and, if the plan says so, of the targets) that
//! follows from them. The fraction is kept as a ratio of whole days, so
//! amounts are multiplied by the days first and divided by the month's
//! days last: 1000 × 12 ÷ 31, never 1000 × 0.387….

use rust_decimal::Decimal;

use crate::input::Person;
use crate::period::Period;
use crate::plan::{Plan, ProrateBy};

/// A (year, month, day) date.
pub type Date = (u16, u8, u8);

/// How a person's month was prorated, recorded on the scorecard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prorated {
    /// What was counted: calendar or working days.
    pub by: ProrateBy,
    /// Days employed in the month (hire date and leave date included).
    pub days: u32,
    /// Days of the month, counted the same way.
    pub of: u32,
    pub hire: Option<Date>,
    pub leave: Option<Date>,
    /// Whether the targets were scaled by days ÷ of too.
    pub targets: bool,
    /// The new hire's ramp: which month since hiring (1 = the hire month)
    /// and the fraction of the target for it.
    pub ramp: Option<(u32, Decimal)>,
}

impl Prorated {
    /// Whether the bonus is scaled (fewer days than the month's).
    pub fn scales_bonus(&self) -> bool {
        self.by != ProrateBy::None && self.days < self.of
    }

    /// `amount × days ÷ of`, unrounded; None beyond the decimal range.
    pub fn apply(&self, amount: Decimal) -> Option<Decimal> {
        if !self.scales_bonus() {
            return Some(amount);
        }
        amount
            .checked_mul(Decimal::from(self.days))?
            .checked_div(Decimal::from(self.of))
    }

    /// A target after the days (when the plan prorates targets) and the
    /// ramp; None beyond the decimal range.
    pub fn target(&self, target: Decimal) -> Option<Decimal> {
        let mut t = target;
        if self.targets {
            t = self.apply(t)?;
        }
        if let Some((_, r)) = self.ramp {
            t = t.checked_mul(r)?;
        }
        Some(t)
    }
}

/// The person's proration in `period` under the plan, or None when
/// nothing changes: employed the whole month and past any ramp, or no
/// dates at all.
pub fn prorate(plan: &Plan, person: &Person, period: Period) -> Option<Prorated> {
    let Period::Month { year, month } = period else {
        return None;
    };
    let policy = &plan.proration;
    let last = period.end_date().2;
    let first_day = (year, month, 1u8);
    let last_day = (year, month, last);
    let from = person.hire.map_or(first_day, |h| h.max(first_day));
    let to = person.leave.map_or(last_day, |l| l.min(last_day));
    let counted = |by: ProrateBy| {
        let count = |a: Date, b: Date| -> u32 {
            if a > b {
                return 0;
            }
            (a.2..=b.2)
                .filter(|d| by != ProrateBy::WorkingDays || is_weekday(year, month, *d))
                .count() as u32
        };
        (count(from, to), count(first_day, last_day))
    };
    let by = policy.bonus;
    let (days, of) = counted(if by == ProrateBy::None {
        ProrateBy::CalendarDays
    } else {
        by
    });
    let ramp = person.hire.and_then(|(hy, hm, _)| {
        let n = (i64::from(year) - i64::from(hy)) * 12 + i64::from(month) - i64::from(hm) + 1;
        let n = u32::try_from(n).ok().filter(|n| *n >= 1)?;
        let r = *policy.ramp.get(n as usize - 1)?;
        (r != Decimal::ONE).then_some((n, r))
    });
    let partial = days < of;
    if !partial && ramp.is_none() {
        return None;
    }
    Some(Prorated {
        by,
        days,
        of,
        hire: person.hire,
        leave: person.leave,
        targets: policy.targets && partial && by != ProrateBy::None,
        ramp,
    })
}

/// Whether a day is Monday to Friday (Sakamoto's method).
fn is_weekday(year: u16, month: u8, day: u8) -> bool {
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let m = usize::from(month);
    let y = i32::from(year) - i32::from(month < 3);
    let w = (y + y / 4 - y / 100 + y / 400 + T[m - 1] + i32::from(day)) % 7;
    // 0 = Sunday, 6 = Saturday.
    (1..=5).contains(&w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn person(hire: Option<Date>, leave: Option<Date>) -> Person {
        Person {
            staff_id: "S1".into(),
            name: "A".into(),
            department: "D".into(),
            role_name: "R".into(),
            role: Some(0),
            manager_id: String::new(),
            record: 0,
            hire,
            leave,
        }
    }

    fn oct() -> Period {
        Period::Month {
            year: 2026,
            month: 10,
        }
    }

    #[test]
    fn joiner_on_the_20th_of_a_31_day_month_is_12_of_31() {
        let plan = Plan::standard().unwrap();
        let p = prorate(&plan, &person(Some((2026, 10, 20)), None), oct()).unwrap();
        assert_eq!((p.days, p.of), (12, 31));
        // 1000 × 12 ÷ 31, exactly as the decimal type carries it.
        assert_eq!(p.apply(d("1000")).unwrap(), d("12000") / d("31"));
        assert_eq!(p.apply(d("3100")).unwrap(), d("1200"));
    }

    #[test]
    fn leaver_counts_up_to_and_including_the_last_day() {
        let plan = Plan::standard().unwrap();
        let p = prorate(&plan, &person(None, Some((2026, 10, 10))), oct()).unwrap();
        assert_eq!((p.days, p.of), (10, 31));
        // Employed the whole month: nothing to prorate.
        assert!(prorate(&plan, &person(Some((2025, 1, 1)), None), oct()).is_none());
        assert!(prorate(&plan, &person(None, Some((2026, 10, 31))), oct()).is_none());
    }

    #[test]
    fn working_days_count_monday_to_friday() {
        let mut plan = Plan::standard().unwrap();
        plan.proration.bonus = ProrateBy::WorkingDays;
        // October 2026: the 1st is a Thursday; 22 working days; from
        // Tuesday the 20th: 20–23 and 26–30 = 9.
        let p = prorate(&plan, &person(Some((2026, 10, 20)), None), oct()).unwrap();
        assert_eq!((p.days, p.of), (9, 22));
    }

    #[test]
    fn ramp_scales_the_targets_of_the_first_months() {
        let mut plan = Plan::standard().unwrap();
        plan.proration.ramp = vec![d("0.5"), d("0.75"), d("1")];
        let hired = person(Some((2026, 9, 1)), None);
        // September is month 1, October month 2 (75 %), December month 4.
        let p = prorate(&plan, &hired, oct()).unwrap();
        assert_eq!(p.ramp, Some((2, d("0.75"))));
        assert_eq!(p.target(d("100000")).unwrap(), d("75000"));
        assert!(!p.scales_bonus());
        let nov = Period::Month {
            year: 2026,
            month: 11,
        };
        assert!(prorate(&plan, &hired, nov).is_none());
    }
}
