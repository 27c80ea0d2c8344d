//! `packet init DIR --agency 機關`: a complete starter series that builds at once. Every
//! value still to be filled in is a placeholder 「（請填寫…）」, which `packet check` lists.

use chrono::{Datelike, Months};

use super::args::InitCommand;
use crate::diag::{Diagnostic, Diagnostics, io_reason};
use crate::model::schemas;
use crate::output::write_new;
use crate::text::zh;

pub fn run(cmd: InitCommand) -> Result<(), Diagnostics> {
    let dir = &cmd.dir;
    if dir.exists() {
        return Err(Diagnostic::error("已存在，不覆寫（請指定新的目錄）").at_file(dir).into());
    }
    if cmd.agency.trim().is_empty() || cmd.agency.contains(['\n', '"', '\\']) {
        return Err(Diagnostic::error("機關名稱須為一行文字").field("--agency").into());
    }
    let today = first_working_day_from(crate::model::today());
    let roc = zh::roc_year(today);
    let n = cmd.number;
    let folder = match cmd.term {
        Some(t) => format!("{t}-{n}"),
        None if cmd.continuous => n.to_string(),
        None => format!("{roc}-{n}"),
    };
    let meeting = dir.join(&folder);
    std::fs::create_dir_all(&meeting)
        .map_err(|e| Diagnostic::error(format!("無法建立目錄：{}", io_reason(&e))).at_file(&meeting))?;
    let (group_schema, meeting_schema) = schemas();
    let json = |v: serde_json::Value| serde_json::to_vec_pretty(&v).unwrap_or_default();
    write_new(&dir.join("group.schema.json"), &json(group_schema))?;
    write_new(&dir.join("meeting.schema.json"), &json(meeting_schema))?;
    let mut group = group_toml(&cmd.agency, today);
    if cmd.continuous {
        group = group.replacen("# numbering = \"continuous\"", "numbering = \"continuous\"  ", 1);
    }
    if cmd.term.is_some() {
        let line = group.lines().find(|l| l.starts_with("# numbering = ")).unwrap_or_default().to_string();
        group = group.replacen(
            &line,
            "numbering = \"term\"                 # 依屆次編號：第 N 屆第 M 次（meeting.toml 之 term）",
            1,
        );
    }
    write_new(&dir.join("group.toml"), group.as_bytes())?;
    let mut text = meeting_toml(&cmd.agency, today).replacen(
        "number = 1                           # 第 1 次會議",
        &format!("number = {n:<28}# 第 {n} 次會議"),
        1,
    );
    if let Some(t) = cmd.term {
        text = text.replacen("\nnumber = ", &format!("\nterm = {t:<30}# 第 {t} 屆\nnumber = "), 1);
        text = text.replace("第一次會議（packet init 產生）", &format!("第 {t} 屆第 {n} 次會議（packet init 產生）"));
    }
    // Decisions from before: the meeting before is number − 1 (by term: the previous term's
    // last when this is a term's first; its number unknown, 1 as an example).
    let previous = match cmd.term {
        Some(t) if n > 1 => Some((format!("{t}-{}", n - 1), format!("第 {t} 屆第 {} 次會議", n - 1))),
        Some(t) if t > 1 => Some((format!("{}-1", t - 1), format!("第 {} 屆之會議", t - 1))),
        Some(_) => None,
        None if n == 1 => None,
        None if cmd.continuous => Some(((n - 1).to_string(), format!("{} 次會議", n - 1))),
        None => Some((format!("{roc}-{}", n - 1), format!("{roc}-{} 次會議", n - 1))),
    };
    if let Some((previous, meeting)) = previous {
        if cmd.term.is_none() {
            text = text.replace("第一次會議（packet init 產生）", &format!("第 {n} 次會議（packet init 產生）"));
        }
        text.push_str(&earlier_decisions(&previous, &meeting));
    }
    write_new(&meeting.join("meeting.toml"), text.as_bytes())?;
    eprintln!(
        "已建立 {}：group.toml、{folder}/meeting.toml；請填寫所有「（請填寫…）」，packet check 會逐一列出",
        dir.display()
    );
    Ok(())
}

/// The starter meeting's date: the first working day on or after `day` by the office
/// calendar `check` uses (an installed official year first, else the computed one), so
/// that a fresh series never opens with a finding on a day off; in a year the calendar
/// lacks, the first weekday.
fn first_working_day_from(day: chrono::NaiveDate) -> chrono::NaiveDate {
    // An unreadable installed calendar is `check`'s to report; the starter date only needs a guess.
    let calendar = crate::rules::check::load_calendar(&[])
        .unwrap_or_else(|_| crate::model::calendar::Calendar::embedded().with_computed_years());
    let mut d = day;
    for _ in 0..31 {
        let working = match calendar.is_working_day(d) {
            Ok(w) => w,
            Err(_) => d.weekday().number_from_monday() <= 5,
        };
        if working {
            return d;
        }
        d = d.succ_opt().unwrap_or(d);
    }
    day
}

fn group_toml(agency: &str, today: chrono::NaiveDate) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let end = start.checked_add_months(Months::new(24)).and_then(|d| d.pred_opt()).unwrap_or(start);
    let mut s = format!(
        r#"#:schema ./group.schema.json
# {agency}「政府資料開放諮詢小組」：小組設定與委員名單（packet init 產生）
# 「（請填寫…）」為待填項目，packet check 會逐一列出；填好後刪去括號說明即可。
# 預設依「政府資料開放諮詢小組設置要點」檢核：召集人一人（機關資訊長）、委員至少 11 人
# （含召集人）、民間代表至少三分之一、任一性別以不少於三分之一為原則。

agency = "{agency}"                  # 機關名稱
name = "政府資料開放諮詢小組"          # 小組名稱
unit = "（請填寫幕僚單位）"            # 幕僚單位，如 資訊處
# numbering = "continuous"           # 會次連續編號（第 5、6、7 次）；"term"：依屆次（第 3 屆第 2 次）；預設每年重新起算
# title = "{{機關}}「{{小組}}」第 {{次}} 次會議"   # 標題格式（可用 {{機關}} {{小組}} {{年}} {{次}}；依屆次另有 {{屆}}）

[contact]                            # 政府資料開放平臺詮釋資料之聯絡人
name = "（請填寫聯絡人）"
phone = "（請填寫電話）"

[rules]
# draft_minutes_days = 10            # 會議紀錄草稿：會後 N 個工作日內
# set = "own"                        # 依本小組自己的設置要點檢核（另寫 [rules.own]）或 "none"
"#
    );
    let term = format!("term_start = {start}                # 聘期起日\nterm_end = {end}\n");
    let member = |i: usize, kind: &str, gender: &str, role: Option<&str>, civil: bool| {
        let mut m = format!(
            "\n[[member]]\nid = \"{}{i}\"                          # 代號（英數字，出席紀錄與發言使用）\nname = \"（請填寫姓名）\"\ntitle = \"（請填寫職稱）\"\norganisation = \"{}\"\nkind = \"{kind}\"                    # 機關代表 | 民間代表\ngender = \"{gender}\"                       # 男 | 女 | 無 | 不公開\n",
            if civil { "civil" } else { "gov" },
            if civil { "（請填寫服務機關）" } else { agency },
        );
        if let Some(r) = role {
            m.push_str(&format!("role = \"{r}\"                     # 召集人 | 共同召集人 | 副召集人\n"));
        }
        if civil {
            m.push_str(&term);
        }
        m
    };
    s.push_str("\n# ── 召集人（機關資訊長） ──\n");
    s.push_str(&member(1, "機關代表", "男", Some("召集人"), false));
    s.push_str("\n# ── 機關代表（法制、業務、主計、資訊等單位主管） ──\n");
    for i in 2..=7 {
        s.push_str(&member(i, "機關代表", if i % 2 == 0 { "女" } else { "男" }, None, false));
    }
    s.push_str("\n# ── 民間代表（至少三分之一；任期一年或二年） ──\n");
    for i in 1..=4 {
        s.push_str(&member(i, "民間代表", if i % 2 == 1 { "女" } else { "男" }, None, true));
    }
    s
}

/// For a group already at its Nth meeting: the tracking item for the decisions still open
/// from before packet, as hand rows to fill in (commented out until filled).
fn earlier_decisions(previous: &str, meeting: &str) -> String {
    format!(
        r#"
# 本次會議以前仍列管之決定：逐列手寫（取消註解並填寫）。id 為原決定編號，如 {previous}-D1
# （{meeting}討論事項第一案）；持續列管者 packet tracking 會列出、packet new 會續列。
# [[report]]
# unit = "（請填寫報告單位）"
# title = "上次會議決定（議）事項辦理情形，報請鑒察。"
#
# [[report.tracking]]
# id = "{previous}-D1"
# from = "討論事項"                   # 報告事項 | 討論事項 | 臨時動議
# title = "（原案由）"
# decision = "（原決定（議））"
# progress = "（辦理情形）"
# advice = "持續列管"                 # 或 解除列管
"#
    )
}

fn meeting_toml(agency: &str, today: chrono::NaiveDate) -> String {
    format!(
        r#"#:schema ../meeting.schema.json
# {agency}「政府資料開放諮詢小組」第一次會議（packet init 產生）

number = 1                           # 第 1 次會議
date = {today}                    # 會議日期（請改為實際日期）
time = "14:00"                       # 開會時間（24 小時制）；原始紀錄未載明時寫 "未記錄"
place = "（請填寫地點）"
chair = "gov1"                       # 主席之委員代號

[[report]]                           # 報告事項
unit = "（請填寫報告單位）"
title = "（請填寫案由）"
explanation = """
1. （請填寫說明）
"""
"#
    )
}
