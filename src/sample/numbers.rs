//! The number model: seeded random streams, each role's distributions, and
//! the product contract's worked examples placed on the first people.

use super::names::*;
use super::*;

/// Random streams, each derived from the seed, so that drawing from one
/// never shifts another.
pub(super) const STREAM_NUMBERS: u64 = 1;

pub(super) const STREAM_NAMES: u64 = 2;

pub(super) const STREAM_TEXT_CELLS: u64 = 3;

/// The columns only the extended plan reads (collection rate, expense
/// ratio, compliance): a stream of their own, so adding them changed no
/// other value.
pub(super) const STREAM_EXTRA: u64 = 4;

/// Builds all people and month records from the options. Names depend on
/// `opts.lang`; everything else depends only on `staff`, `months` and `seed`.
pub(super) fn generate(opts: &SampleOptions) -> Result<SampleData, SampleError> {
    validate(opts)?;
    let mut numbers = fastrand::Rng::with_seed(derive_seed(opts.seed, STREAM_NUMBERS, 0));
    let mut names = fastrand::Rng::with_seed(derive_seed(opts.seed, STREAM_NAMES, 0));

    let people = generate_people(opts.staff, opts.lang, &mut numbers, &mut names);
    let months = month_list(opts.months)
        .into_iter()
        .enumerate()
        .map(|(index, (year, month))| {
            let mut records: Vec<SampleRecord> = people
                .iter()
                .map(|person| random_record(person.role, &mut numbers))
                .collect();
            let mut extra_rng =
                fastrand::Rng::with_seed(derive_seed(opts.seed, STREAM_EXTRA, index as u64));
            let mut extras: Vec<SampleExtra> = people
                .iter()
                .map(|_| random_extra(&mut extra_rng))
                .collect();
            if (year, month) == EXAMPLE_MONTH {
                apply_worked_examples(&mut records);
                apply_worked_extras(&mut extras);
            }
            SampleMonth {
                year,
                month,
                records,
                extras,
            }
        })
        .collect();
    Ok(SampleData { people, months })
}

/// `months` consecutive (year, month) pairs. Up to 3 months start at 2026-10;
/// longer runs end at 2026-12. Either way 2026-10 is included.
pub(super) fn month_list(months: u32) -> Vec<(i32, u32)> {
    let months = months.clamp(1, MAX_MONTHS);
    // Months counted from year 0: index = year * 12 + (month - 1).
    let start = if months <= 3 {
        2026 * 12 + 9
    } else {
        2026 * 12 + 11 - (months as i32 - 1)
    };
    (0..months as i32)
        .map(|offset| {
            let index = start + offset;
            (index / 12, (index % 12) as u32 + 1)
        })
        .collect()
}

pub(super) fn generate_people(
    staff: usize,
    lang: Lang,
    numbers: &mut fastrand::Rng,
    names: &mut fastrand::Rng,
) -> Vec<SamplePerson> {
    let departments = department_count(staff);
    // Teams of about 8, contiguous blocks of ids as even as possible, and
    // contiguous runs of teams per department. Team 0 starts with S001, so
    // S001-S003 are in it, led by S003, the head of sales. A department's
    // first team leader reports to S003; its other team leaders form a tree
    // of at most 8 per leader, so no manager has more than ~16 direct
    // reports at any company size. With 64 people or fewer there is one
    // team per department.
    let teams = staff.div_ceil(8).max(departments);
    let base = staff / teams;
    let extra = staff % teams;
    let head_index = 2; // S003
    let mut used_names = HashSet::new();
    let mut people = Vec::with_capacity(staff);
    let mut leaders: Vec<usize> = Vec::with_capacity(teams);
    let mut start = 0;
    for team in 0..teams {
        let size = base + usize::from(team < extra);
        let department = team * departments / teams;
        let first_team = (department * teams).div_ceil(departments);
        let manager_index = if team == 0 { head_index } else { start };
        leaders.push(manager_index);
        let manager_id = staff_id(manager_index);
        let leader_boss = if team == first_team {
            head_index
        } else {
            leaders[first_team + (team - first_team - 1) / 8]
        };
        for index in start..start + size {
            let role = if index == manager_index {
                SampleRole::SalesManager
            } else if index == 0 {
                SampleRole::SalesRepresentative
            } else if index == 1 || numbers.u32(0..4) == 0 {
                SampleRole::KeyAccountManager
            } else {
                SampleRole::SalesRepresentative
            };
            let bonus_base = match index {
                0 => 5_000,
                1 => 8_000,
                2 => 12_000,
                _ => match role {
                    SampleRole::SalesRepresentative => 3_000 + 500 * numbers.u32(0..=6),
                    SampleRole::KeyAccountManager => 6_000 + 500 * numbers.u32(0..=8),
                    SampleRole::SalesManager => 10_000 + 500 * numbers.u32(0..=10),
                },
            };
            let reports_to = if index == head_index {
                None
            } else if role == SampleRole::SalesManager {
                Some(staff_id(leader_boss))
            } else {
                Some(manager_id.clone())
            };
            people.push(SamplePerson {
                id: staff_id(index),
                name: random_name(lang, names, &mut used_names),
                department,
                role,
                manager_id: reports_to,
                bonus_base,
            });
        }
        start += size;
    }
    people
}

/// Picks a value from `(weight, value)` pairs.
pub(super) fn weighted(rng: &mut fastrand::Rng, choices: &[(u32, u32)]) -> u32 {
    let total: u32 = choices.iter().map(|&(weight, _)| weight).sum();
    let mut roll = rng.u32(0..total.max(1));
    for &(weight, value) in choices {
        if roll < weight {
            return value;
        }
        roll -= weight;
    }
    choices.last().map_or(0, |&(_, value)| value)
}

pub(super) fn uniform(rng: &mut fastrand::Rng, low: f64, high: f64) -> f64 {
    low + (high - low) * rng.f64()
}

/// Rounds to cents so that the value prints and parses back exactly.
pub(super) fn round_cents(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// One ordinary month for one person, drawn from the numbers stream only.
pub(super) fn random_record(role: SampleRole, rng: &mut fastrand::Rng) -> SampleRecord {
    let target_steps = match role {
        SampleRole::SalesRepresentative => rng.u32(16..=30),
        SampleRole::KeyAccountManager => rng.u32(30..=60),
        SampleRole::SalesManager => rng.u32(80..=120),
    };
    let sales_target = f64::from(target_steps * 5_000);
    let attainment = match rng.u32(0..100) {
        0..=74 => uniform(rng, 0.80, 1.15),
        75..=84 => uniform(rng, 0.60, 0.80),
        85..=92 => uniform(rng, 1.15, 1.30),
        _ => uniform(rng, 0.40, 1.40),
    };
    let sales = round_cents(sales_target * attainment);

    let new_customers_target = rng.u32(3..=12);
    let new_customers = (f64::from(new_customers_target) * uniform(rng, 0.5, 1.4)).round() as u32;

    let on_leave = rng.u32(0..100) < 5;
    let (training_hours_target, training_hours) = if on_leave {
        (0, 0.0)
    } else {
        let target = [4, 6, 8, 10, 12, 16][rng.usize(0..6)];
        let max_half_hours = (target + 4) * 2;
        let half_hours = if rng.u32(0..10) == 0 {
            rng.u32(0..=max_half_hours)
        } else {
            let actual = f64::from(target) * uniform(rng, 0.5, 1.25);
            let whole = rng.u32(0..10) < 7;
            let half_hours = if whole {
                actual.round() * 2.0
            } else {
                (actual * 2.0).round()
            };
            (half_hours as u32).min(max_half_hours)
        };
        (target, f64::from(half_hours) / 2.0)
    };

    let base = match rng.u32(0..100) {
        0..=79 => rng.u32(75..=98),
        _ => rng.u32(60..=100),
    };
    let tenths = if base < 100 && rng.u32(0..5) == 0 {
        rng.u32(1..=9)
    } else {
        0
    };
    let satisfaction = f64::from(base * 10 + tenths) / 10.0;

    let complaints = weighted(rng, &[(50, 0), (30, 1), (12, 2), (5, 3), (3, 4)]);
    let collaboration = weighted(rng, &[(3, 1), (7, 2), (25, 3), (40, 4), (25, 5)]);

    SampleRecord {
        sales_target,
        sales,
        new_customers_target,
        new_customers,
        training_hours_target,
        training_hours,
        satisfaction,
        complaints,
        collaboration,
    }
}

/// The fixed 2026-10 values of S001-S003 that the docs walk through.
pub(super) fn apply_worked_examples(records: &mut [SampleRecord]) {
    let examples = [
        (112_500.0, 100_000.0, 9, 10, 88.0, 1, 4, 6.0, 8),
        (90_000.0, 200_000.0, 3, 4, 97.0, 0, 5, 0.0, 0),
        (650_000.0, 500_000.0, 12, 10, 92.0, 2, 3, 12.0, 10),
    ];
    for (record, example) in records.iter_mut().zip(examples) {
        let (sales, target, new, new_target, satisfaction, complaints, collab, hours, hours_target) =
            example;
        *record = SampleRecord {
            sales_target: target,
            sales,
            new_customers_target: new_target,
            new_customers: new,
            training_hours_target: hours_target,
            training_hours: hours,
            satisfaction,
            complaints,
            collaboration: collab,
        };
    }
}

/// One month's extra values for one person.
pub(super) fn random_extra(rng: &mut fastrand::Rng) -> SampleExtra {
    let collection_rate = if rng.u32(0..10) < 8 {
        f64::from(rng.u32(800..=1000)) / 10.0
    } else {
        f64::from(rng.u32(600..=800)) / 10.0
    };
    let expense_ratio = f64::from(rng.u32(60..=180)) / 10.0;
    let compliance = u32::from(rng.u32(0..100) >= 3);
    SampleExtra {
        collection_rate,
        expense_ratio,
        compliance,
    }
}

/// The fixed 2026-10 extra values of S001-S003 (templates/README.md walks
/// through them with the extended plan).
pub(super) fn apply_worked_extras(extras: &mut [SampleExtra]) {
    let examples = [(89.0, 10.0, 1), (97.5, 16.0, 1), (70.0, 12.0, 0)];
    for (extra, (collection_rate, expense_ratio, compliance)) in extras.iter_mut().zip(examples) {
        *extra = SampleExtra {
            collection_rate,
            expense_ratio,
            compliance,
        };
    }
}

/// SplitMix64 of (seed, stream, index): independent seeds for the streams.
pub(super) fn derive_seed(seed: u64, stream: u64, index: u64) -> u64 {
    let mut z = seed
        ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
