//! Names: departments, people's names in English and Chinese, staff ids.

use super::*;

pub(super) const DEPARTMENTS_EN: [&str; 8] = [
    "East", "North", "South", "West", "Central", "Coastal", "Inland", "Metro",
];

pub(super) const DEPARTMENTS_ZH: [&str; 8] = [
    "华东", "华北", "华南", "西部", "华中", "沿海", "内陆", "都市",
];

pub(super) const FIRST_NAMES_EN: [&str; 40] = [
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Daniel",
    "Karen",
    "Matthew",
    "Nancy",
    "Anthony",
    "Lisa",
    "Mark",
    "Emily",
    "Steven",
    "Olivia",
    "Andrew",
    "Sophia",
    "Paul",
    "Grace",
    "Kevin",
    "Laura",
    "Brian",
    "Rachel",
    "George",
    "Hannah",
    "Peter",
    "Chloe",
];

pub(super) const LAST_NAMES_EN: [&str; 40] = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark",
    "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker",
    "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips", "Evans",
    "Turner", "Parker", "Collins",
];

pub(super) const SURNAMES_ZH: [&str; 30] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
];

pub(super) const GIVEN_NAMES_ZH: [&str; 40] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "霞", "平", "刚", "秀英", "桂英", "建华", "志强", "晓东", "海燕", "婷婷", "浩然", "子涵",
    "欣怡", "宇轩", "思远", "雨萱", "俊杰", "佳怡", "文博", "梓萱", "嘉豪", "一鸣", "诗涵",
];

/// Number of departments: about 8 people each, between 1 and 8 departments.
pub(super) fn department_count(staff: usize) -> usize {
    staff.div_ceil(8).clamp(1, DEPARTMENTS_EN.len())
}

pub(super) fn staff_id(index: usize) -> String {
    format!("S{:03}", index + 1)
}

/// Draws a name, avoiding repeats while the lists allow it.
pub(super) fn random_name(
    lang: Lang,
    rng: &mut fastrand::Rng,
    used: &mut HashSet<(usize, usize)>,
) -> String {
    let (first_len, second_len) = match lang {
        Lang::En => (FIRST_NAMES_EN.len(), LAST_NAMES_EN.len()),
        Lang::Zh => (SURNAMES_ZH.len(), GIVEN_NAMES_ZH.len()),
    };
    let mut pick = (rng.usize(0..first_len), rng.usize(0..second_len));
    for _ in 0..8 {
        if !used.contains(&pick) {
            break;
        }
        pick = (rng.usize(0..first_len), rng.usize(0..second_len));
    }
    used.insert(pick);
    match lang {
        Lang::En => format!("{} {}", FIRST_NAMES_EN[pick.0], LAST_NAMES_EN[pick.1]),
        Lang::Zh => format!("{}{}", SURNAMES_ZH[pick.0], GIVEN_NAMES_ZH[pick.1]),
    }
}
