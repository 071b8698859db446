// kpi-report serve: the page. Every number and message shown comes from the
// server (the engine's documents); this script only lays them out.
"use strict";

const T = {
  en: {
    language: "Language",
    step1: "1. The month's workbooks",
    drop_here: "Drop the workbooks here (roster, targets, results), or",
    choose_files: "choose files",
    choose_folder: "choose a folder",
    clear: "Clear the list",
    no_uploads: "No workbooks yet.",
    uploading: "Uploading",
    step2: "2. What check finds",
    checking: "Checking…",
    check_none: "Drop the workbooks to see what is in them.",
    files: "Files",
    periods: "Periods",
    people: "People",
    issues_counts: "Issues",
    no_table: "no table",
    not_read: "not read (see errors)",
    rows: "rows",
    severity: "Severity",
    file: "File",
    all: "all",
    error: "error",
    warning: "warning",
    info: "note",
    where: "File › sheet › cell",
    value: "Value found",
    message: "Message (and how to fix it)",
    code: "Code",
    shown: "shown",
    no_issues: "No data issues.",
    step3: "3. Run and download",
    writes_to: "Reports are written to",
    pdf: "Also PDFs (LibreOffice)",
    pdf_missing: "LibreOffice is not installed on this computer: no PDFs.",
    run: "Run",
    running: "Running…",
    "files read": "files read",
    "people scored": "people scored",
    "files written": "files written",
    exit_0: "Exit 0: all good — every report written, no data issues.",
    exit_3: "Exit 3: reports written, with data issues (see the list above).",
    exit_1: "Exit 1: nothing written — the output folder is unchanged.",
    reports_in: "reports in English",
    download_all: "Download all (zip)",
    step4: "4. A person's calculation",
    search: "Staff ID or name",
    latest: "latest month",
    show: "Show",
    kind_staff: "roster",
    kind_targets: "targets",
    kind_results: "results",
    busy: "busy: a run is in progress",
  },
  zh: {
    language: "语言",
    step1: "1. 本月工作簿",
    drop_here: "把工作簿（花名册、目标、业绩）拖到这里，或",
    choose_files: "选择文件",
    choose_folder: "选择文件夹",
    clear: "清空列表",
    no_uploads: "还没有工作簿。",
    uploading: "正在上传",
    step2: "2. 检查结果",
    checking: "正在检查…",
    check_none: "拖入工作簿后即可看到其中内容。",
    files: "文件",
    periods: "期间",
    people: "人数",
    issues_counts: "问题",
    no_table: "没有表格",
    not_read: "未读取（见错误）",
    rows: "行",
    severity: "级别",
    file: "文件",
    all: "全部",
    error: "错误",
    warning: "警告",
    info: "提示",
    where: "文件 › 工作表 › 单元格",
    value: "单元格内容",
    message: "说明（及修改方法）",
    code: "代码",
    shown: "条已显示",
    no_issues: "没有数据问题。",
    step3: "3. 运行并下载",
    writes_to: "报告写入",
    pdf: "同时生成 PDF（LibreOffice）",
    pdf_missing: "本机未安装 LibreOffice：无法生成 PDF。",
    run: "运行",
    running: "正在运行…",
    "files read": "已读取文件",
    "people scored": "已评分人数",
    "files written": "已写出文件",
    exit_0: "退出码 0：一切正常——所有报告已写出，没有数据问题。",
    exit_3: "退出码 3：报告已写出，但有数据问题（见上方列表）。",
    exit_1: "退出码 1：未写出任何文件——输出文件夹保持不变。",
    reports_in: "报告为中文",
    download_all: "全部下载（zip）",
    step4: "4. 个人计算过程",
    search: "工号或姓名",
    latest: "最近月份",
    show: "显示",
    kind_staff: "花名册",
    kind_targets: "目标",
    kind_results: "业绩",
    busy: "忙：正在运行",
  },
};

let lang = "en";
let lastCheck = null;
let lastRun = null;

const $ = (id) => document.getElementById(id);
const t = (key) => (T[lang] && T[lang][key]) || T.en[key] || key;
const msg = (doc) => (lang === "zh" && doc.error_zh ? doc.error_zh : doc.error);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

async function api(method, path, body) {
  const sep = path.includes("?") ? "&" : "?";
  const res = await fetch(path + sep + "lang=" + lang, {
    method,
    body,
    credentials: "same-origin",
  });
  let doc = {};
  try {
    doc = await res.json();
  } catch (e) {
    doc = { error: res.status + " " + res.statusText };
  }
  return { status: res.status, doc };
}

function applyLanguage() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  for (const e of document.querySelectorAll("[data-t]")) e.textContent = t(e.dataset.t);
  $("search").placeholder = t("search");
  $("lang").value = lang;
  renderCheck();
  renderRun();
  loadPeople();
}

// ---- 1. uploads
async function refreshStatus() {
  const { doc } = await api("GET", "/api/status");
  $("version").textContent = doc.version || "";
  $("out").textContent = doc.out || "";
  $("pdf").disabled = !doc.pdf_available;
  $("pdf-note").textContent = doc.pdf_available ? "" : t("pdf_missing");
  const list = $("uploads");
  list.replaceChildren();
  for (const f of doc.files || []) {
    list.append(el("li", f.name + " (" + Math.ceil(f.bytes / 1024) + " KB)"));
  }
  if (!doc.files || doc.files.length === 0) list.append(el("li", t("no_uploads"), "muted"));
  return doc;
}

async function upload(files) {
  const errors = [];
  let n = 0;
  for (const f of files) {
    n += 1;
    $("check-state").textContent = t("uploading") + " " + n + "/" + files.length + ": " + f.name;
    const { status, doc } = await api("PUT", "/api/files/" + encodeURIComponent(f.name), f);
    if (status !== 200) errors.push(msg(doc));
  }
  $("upload-errors").textContent = errors.join("\n");
  await refreshStatus();
  await runCheck();
}

// Only the files at the top of a folder are read, as `run` reads a folder.
function topLevel(files) {
  return Array.from(files).filter((f) => (f.webkitRelativePath || f.name).split("/").length <= 2);
}

async function droppedFiles(dt) {
  const out = [];
  const entries = Array.from(dt.items || [])
    .map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null))
    .filter(Boolean);
  if (entries.length === 0) return Array.from(dt.files || []);
  const fileOf = (entry) => new Promise((ok, fail) => entry.file(ok, fail));
  for (const entry of entries) {
    if (entry.isFile) {
      out.push(await fileOf(entry));
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
        if (batch.length === 0) break;
        for (const e of batch) if (e.isFile) out.push(await fileOf(e));
      }
    }
  }
  return out;
}

// ---- 2. check
async function runCheck() {
  $("check-state").textContent = t("checking");
  const { status, doc } = await api("GET", "/api/check");
  lastCheck = status === 200 ? doc : { error: msg(doc), files: [], issues: [] };
  $("check-state").textContent = "";
  renderCheck();
  loadPeople();
}

function kindName(kind) {
  return kind
    .split("+")
    .map((k) => t("kind_" + k))
    .join("+");
}

function renderCheck() {
  const summary = $("summary");
  summary.replaceChildren();
  const body = $("issues").querySelector("tbody");
  body.replaceChildren();
  $("check-error").textContent = "";
  if (!lastCheck || (lastCheck.files || []).length === 0) {
    $("check-state").textContent = t("check_none");
    $("issue-count").textContent = "";
    if (lastCheck && lastCheck.error && (lastCheck.files || []).length > 0) {
      $("check-error").textContent = lastCheck.error;
    }
    return;
  }
  $("check-state").textContent = "";
  $("check-error").textContent = lastCheck.error || "";
  const add = (term, value) => {
    summary.append(el("dt", term));
    const dd = el("dd");
    if (Array.isArray(value)) value.forEach((line) => dd.append(el("div", line)));
    else dd.textContent = value;
    summary.append(dd);
  };
  add(
    t("files"),
    lastCheck.files.map((f) => {
      const tables = f.tables.map((tb) => tb.sheet + " → " + kindName(tb.kind) + ", " + tb.rows + " " + t("rows"));
      const what = f.status === "unreadable" ? t("not_read") : tables.length ? tables.join("; ") : t("no_table");
      return f.file + ": " + what;
    })
  );
  add(t("periods"), (lastCheck.periods || []).join(", ") || "-");
  add(t("people"), lastCheck.people);
  const c = lastCheck.counts || {};
  add(t("issues_counts"), t("error") + " " + (c.error || 0) + " · " + t("warning") + " " + (c.warning || 0) + " · " + t("info") + " " + (c.info || 0));

  // Filters keep their choice across checks when it still exists.
  const fileSel = $("filter-file");
  const keep = fileSel.value;
  fileSel.replaceChildren(el("option", t("all")));
  fileSel.firstChild.value = "";
  const names = [...new Set(lastCheck.issues.map((i) => i.file))].sort();
  for (const name of names) {
    const o = el("option", name);
    o.value = name;
    fileSel.append(o);
  }
  fileSel.value = names.includes(keep) ? keep : "";
  const sev = $("filter-severity").value;
  let shown = 0;
  for (const i of lastCheck.issues) {
    if (sev && i.severity !== sev) continue;
    if (fileSel.value && i.file !== fileSel.value) continue;
    shown += 1;
    const tr = el("tr", null, i.severity);
    tr.dataset.severity = i.severity;
    tr.dataset.file = i.file;
    const where = [i.file, i.sheet, i.cell].filter((x) => x).join(" › ");
    const message = lang === "zh" && i.message_zh ? i.message_zh : i.message;
    tr.append(
      el("td", t(i.severity)),
      el("td", where + (i.period ? " (" + i.period + ")" : "")),
      el("td", i.value == null ? "" : i.value),
      el("td", message),
      el("td", i.code)
    );
    body.append(tr);
  }
  $("issue-count").textContent = lastCheck.issues.length ? shown + " / " + lastCheck.issues.length + " " + t("shown") : t("no_issues");
}

// ---- 3. run
async function startRun() {
  $("run").disabled = true;
  $("run-error").textContent = "";
  const pdf = $("pdf").checked ? "1" : "0";
  const { status, doc } = await api("POST", "/api/run?pdf=" + pdf);
  if (status !== 202) {
    $("run").disabled = false;
    $("result").hidden = false;
    $("run-error").textContent = msg(doc);
    return;
  }
  $("result").hidden = true;
  $("progress").hidden = false;
  pollProgress();
}

async function pollProgress() {
  const { doc } = await api("GET", "/api/progress");
  if (doc.state === "running") {
    const p = $("progress");
    if (doc.total > 0) {
      p.max = doc.total;
      p.value = doc.done;
    } else {
      p.removeAttribute("value");
    }
    $("progress-text").textContent = t("running") + (doc.phase ? " " + t(doc.phase) + " " + doc.done + "/" + doc.total : "");
    setTimeout(pollProgress, 300);
    return;
  }
  $("progress").hidden = true;
  $("progress-text").textContent = "";
  $("run").disabled = false;
  if (doc.state === "done") {
    lastRun = doc.result;
    renderRun();
  }
}

function renderRun() {
  if (!lastRun) return;
  $("result").hidden = false;
  const code = lastRun.exit_code;
  const exit = $("exit");
  exit.textContent = t("exit_" + code);
  exit.className = "exit " + (code === 0 ? "ok" : code === 3 ? "issues" : "failed");
  $("run-error").textContent = lastRun.error || "";
  const counts = lastRun.counts || {};
  $("run-line").textContent = lastRun.error
    ? ""
    : (lastRun.periods || []).join(", ") + " · " + t("people") + " " + (counts.people || 0) + " · " + t("files") + " " + (lastRun.files || []).length + " → " + (lastRun.out || "");
  const list = $("written");
  list.replaceChildren();
  for (const f of lastRun.files || []) {
    const li = el("li");
    const a = el("a", f.path);
    a.href = "/api/download/" + f.path.split("/").map(encodeURIComponent).join("/");
    a.download = f.path.split("/").pop();
    li.append(a, el("span", " (" + Math.ceil(f.bytes / 1024) + " KB)", "muted"));
    list.append(li);
  }
  $("zip").hidden = (lastRun.files || []).length === 0;
}

// ---- 4. explain
let peopleTimer = null;
async function loadPeople() {
  const q = $("search").value;
  const { status, doc } = await api("GET", "/api/people?q=" + encodeURIComponent(q));
  const list = $("people");
  list.replaceChildren();
  if (status !== 200) return;
  const period = $("period");
  const keep = period.value;
  period.replaceChildren(el("option", t("latest")));
  period.firstChild.value = "";
  for (const p of doc.periods || []) {
    const o = el("option", p);
    o.value = p;
    period.append(o);
  }
  period.value = (doc.periods || []).includes(keep) ? keep : "";
  if (!q.trim()) return;
  for (const p of doc.people.slice(0, 12)) {
    const b = el("button", p.staff_id + " " + p.name);
    b.type = "button";
    b.addEventListener("click", () => {
      $("search").value = p.staff_id;
      explain(p.staff_id);
    });
    const li = el("li");
    li.append(b);
    list.append(li);
  }
}

async function explain(staff) {
  const q = staff || $("search").value.trim();
  if (!q) return;
  $("explain-error").textContent = "";
  const period = $("period").value;
  const { status, doc } = await api("GET", "/api/explain?staff=" + encodeURIComponent(q) + "&period=" + encodeURIComponent(period));
  if (status === 200) {
    $("trail").textContent = doc.text;
    $("trail").dataset.staff = doc.staff_id;
  } else {
    $("trail").textContent = "";
    $("explain-error").textContent = msg(doc);
  }
}

// ---- wiring
function start() {
  // The token stays in the cookie; the address bar keeps no copy of it.
  if (location.search.includes("token=")) history.replaceState(null, "", "/");
  const saved = localStorage.getItem("kpi-report-lang");
  const browser = (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
  lang = saved || browser;
  $("lang").addEventListener("change", (e) => {
    lang = e.target.value;
    localStorage.setItem("kpi-report-lang", lang);
    applyLanguage();
    if ($("trail").dataset.staff && $("trail").textContent) explain($("trail").dataset.staff);
  });
  $("files").addEventListener("change", (e) => upload(Array.from(e.target.files)).then(() => (e.target.value = "")));
  $("folder").addEventListener("change", (e) => upload(topLevel(e.target.files)).then(() => (e.target.value = "")));
  const drop = $("drop");
  for (const ev of ["dragenter", "dragover"]) {
    document.addEventListener(ev, (e) => {
      e.preventDefault();
      drop.classList.add("over");
    });
  }
  document.addEventListener("dragleave", () => drop.classList.remove("over"));
  document.addEventListener("drop", async (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    upload(await droppedFiles(e.dataTransfer));
  });
  $("clear").addEventListener("click", async () => {
    const { status, doc } = await api("DELETE", "/api/files");
    $("upload-errors").textContent = status === 200 ? "" : msg(doc);
    await refreshStatus();
    await runCheck();
  });
  $("filter-severity").addEventListener("change", renderCheck);
  $("filter-file").addEventListener("change", renderCheck);
  $("run").addEventListener("click", startRun);
  $("explain").addEventListener("click", () => explain());
  $("search").addEventListener("keydown", (e) => {
    if (e.key === "Enter") explain();
  });
  $("search").addEventListener("input", () => {
    clearTimeout(peopleTimer);
    peopleTimer = setTimeout(loadPeople, 250);
  });
  applyLanguage();
  refreshStatus().then((doc) => {
    if ((doc.files || []).length) runCheck();
    else renderCheck();
  });
  // A run started before this page was opened (or reloaded) is followed.
  api("GET", "/api/progress").then(({ doc }) => {
    if (doc.state === "running") {
      $("run").disabled = true;
      $("progress").hidden = false;
      pollProgress();
    } else if (doc.state === "done") {
      lastRun = doc.result;
      renderRun();
    }
  });
}

document.addEventListener("DOMContentLoaded", start);
