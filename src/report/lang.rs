//! The reports' words in English and Chinese.

pub use crate::lang::Lang;

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
pub const OVERVIEW: (&str, &str) = ("Overview", "概览");
pub const DEPARTMENTS: (&str, &str) = ("Departments", "部门");
pub const BONUS_SHEET: (&str, &str) = ("Bonus", "奖金");
pub const TEAM: (&str, &str) = ("Team", "团队");
pub const SUMMARY_TITLE: (&str, &str) = ("Performance summary", "绩效汇总");
pub const REVIEW_TITLE: (&str, &str) = ("Performance review", "绩效面谈表");
pub const TEAM_TITLE: (&str, &str) = ("Team overview", "团队概览");
pub const HEADLINE: (&str, &str) = ("Headline figures", "主要数据");
pub const PEOPLE: (&str, &str) = ("People in the roster", "花名册人数");
pub const SCORED: (&str, &str) = ("Scored", "已评分");
pub const INCOMPLETE_COUNT: (&str, &str) =
    ("Incomplete (see Data Issues)", "数据不全（见数据问题）");
pub const AVERAGE_SCORE: (&str, &str) = ("Average score", "平均分");
pub const MEDIAN_SCORE: (&str, &str) = ("Median score", "中位数");
pub const ACTUAL_TOTAL: (&str, &str) = ("actual", "实际");
pub const TARGET_TOTAL: (&str, &str) = ("target", "目标");
pub const VS_TARGET: (&str, &str) = ("vs target", "目标达成率");
pub const BONUS_TOTAL: (&str, &str) = ("Bonus total", "奖金合计");
pub const GRADE_DISTRIBUTION: (&str, &str) = ("Grade distribution", "等级分布");
pub const GRADE_LABEL: (&str, &str) = ("Meaning", "含义");
pub const FROM_SCORE: (&str, &str) = ("From score", "分数下限");
pub const SHARE: (&str, &str) = ("Share", "占比");
pub const BY_DEPARTMENT: (&str, &str) = ("Average score by department", "各部门平均分");
pub const PER_KPI: (&str, &str) = ("Average score per KPI", "各指标平均分");
pub const KPI: (&str, &str) = ("KPI", "指标");
pub const APPLIES_TO: (&str, &str) = ("Applies to", "适用人数");
pub const AVERAGE_ATTAINMENT: (&str, &str) = ("Average attainment", "平均达成率");
pub const HEADCOUNT: (&str, &str) = ("Headcount", "人数");
pub const TARGET: (&str, &str) = ("Target", "目标");
pub const ACTUAL: (&str, &str) = ("Actual", "实际");
pub const ATTAINMENT: (&str, &str) = ("Attainment", "达成率");
pub const SCORE: (&str, &str) = ("Score", "得分");
pub const WEIGHT: (&str, &str) = ("Weight %", "权重%");
pub const POINTS: (&str, &str) = ("Points", "加权得分");
pub const FULL_POINTS: (&str, &str) = ("Points at 100", "满分可得");
pub const BONUS_BASE: (&str, &str) = ("Bonus base", "奖金基数");
pub const COEFFICIENT: (&str, &str) = ("Coefficient", "系数");
pub const SUBTOTAL: (&str, &str) = ("Subtotal", "小计");
pub const GRAND_TOTAL: (&str, &str) = ("Total", "合计");
pub const COMPANY: (&str, &str) = ("Company", "公司");
pub const NO_DEPARTMENT: (&str, &str) = ("(no department)", "（无部门）");
pub const NO_MANAGER: (&str, &str) = ("No manager", "无直属上级");
pub const RESCALED_NOTE: (&str, &str) = (
    "Weights in blue were rescaled because a KPI does not apply (target 0 or blank); n/a marks that KPI.",
    "蓝色权重因某指标不适用（目标为 0 或空白）而按比例重新分配；不适用的指标标为“不适用”。",
);
pub const LEFT_OUT: (&str, &str) = (
    "Not listed (incomplete data, no bonus until corrected; see Data Issues):",
    "未列出（数据不全，更正前不发奖金；见数据问题）：",
);
pub const STAFF_COLUMN_ID: (&str, &str) = ("Staff ID", "工号");
pub const MANAGER: (&str, &str) = ("Manager", "直属上级");
pub const RANKS: (&str, &str) = ("Ranks", "排名");
pub const TREND: (&str, &str) = ("Trend", "趋势");
pub const IMPROVEMENT: (&str, &str) = ("Improvement focus", "改进重点");
pub const COMMENTS: (&str, &str) = ("Manager's comments", "上级评语");
pub const ACTIONS: (&str, &str) = ("Agreed actions", "改进行动计划");
pub const EMPLOYEE_SIGNATURE: (&str, &str) = ("Employee signature", "员工签字");
pub const MANAGER_SIGNATURE: (&str, &str) = ("Manager signature", "上级签字");
pub const TALK_DATE: (&str, &str) = ("Date of the talk", "面谈日期");
pub const CALCULATION: (&str, &str) = ("How the numbers were calculated", "计算过程");
pub const CALCULATION_NOTE: (&str, &str) = (
    "Every figure of the review, step by step, with the cell each input came from (file › sheet › cell): the total and the bonus can be recomputed from these lines with a calculator.",
    "面谈表上每个数字的计算步骤，以及每个输入值的来源单元格（文件 › 工作表 › 单元格）：可据此用计算器复核总分和奖金。",
);
pub const TEAM_AVERAGE: (&str, &str) = ("Team average", "团队平均");
pub const COMPANY_AVERAGE: (&str, &str) = ("Company average", "公司平均");
pub const MEMBERS: (&str, &str) = ("Team members", "团队成员");
pub const WEIGHTED_TOTAL: (&str, &str) = ("Total score", "总分");
pub const INCOMPLETE_REVIEW: (&str, &str) = (
    "No score this period: the data is incomplete. Correct these issues and run again:",
    "本期无评分：数据不全。请更正以下问题后重新运行：",
);
pub const KPI_SECTION: (&str, &str) = ("Key performance indicators", "关键绩效指标");
