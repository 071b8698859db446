//! The reports' words in English and Chinese.

use crate::plan::Label;

/// The language of headings, sheet names and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// Picks the label in this language.
    pub fn label(self, label: &Label) -> &str {
        match self {
            Lang::En => &label.en,
            Lang::Zh => &label.zh,
        }
    }

    /// A fixed text: `(english, chinese)`.
    pub fn t(self, (en, zh): (&'static str, &'static str)) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

pub const RANKING: (&str, &str) = ("Ranking", "排名");
pub const DATA_ISSUES: (&str, &str) = ("Data Issues", "数据问题");
pub const RANK: (&str, &str) = ("Rank", "排名");
pub const STAFF_ID: (&str, &str) = ("Staff ID", "工号");
pub const NAME: (&str, &str) = ("Name", "姓名");
pub const DEPARTMENT: (&str, &str) = ("Department", "部门");
pub const ROLE: (&str, &str) = ("Role", "岗位");
pub const MANAGER_ID: (&str, &str) = ("Manager ID", "直属上级工号");
pub const STATUS: (&str, &str) = ("Status", "状态");
pub const TOTAL: (&str, &str) = ("Total", "总分");
pub const GRADE: (&str, &str) = ("Grade", "等级");
pub const RANK_DEPARTMENT: (&str, &str) = ("Dept. rank", "部门排名");
pub const RANK_ROLE: (&str, &str) = ("Role rank", "岗位排名");
pub const BONUS: (&str, &str) = ("Bonus", "奖金");
pub const OK: (&str, &str) = ("ok", "正常");
pub const INCOMPLETE: (&str, &str) = ("incomplete", "数据不全");
pub const NOT_APPLICABLE: (&str, &str) = ("n/a", "不适用");
pub const SEVERITY: (&str, &str) = ("Severity", "级别");
pub const CODE: (&str, &str) = ("Code", "代码");
pub const FILE: (&str, &str) = ("File", "文件");
pub const SHEET: (&str, &str) = ("Sheet", "工作表");
pub const CELL: (&str, &str) = ("Cell", "单元格");
pub const VALUE: (&str, &str) = ("Value", "值");
pub const MESSAGE: (&str, &str) = ("Message", "说明");
pub const PERIOD: (&str, &str) = ("Period", "期间");
pub const NO_ISSUES: (&str, &str) = ("No data issues.", "没有数据问题。");
