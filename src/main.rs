//! `packet`: 政府資料開放諮詢小組 會議議程、紀錄與開放資料 產生工具.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::{Parser, Subcommand};

use packet::diag::{Diagnostics, Severity};
use packet::fonts::FontSet;
use packet::minutes::Edition;
use packet::compile::PdfProfile;
use packet::pipeline::{self, BuildOptions, Built, Checks, Packet};

#[derive(Parser)]
#[command(
    name = "packet",
    version,
    about = "政府資料開放諮詢小組：由 meeting.toml 產生議程、會議紀錄與開放資料包\n(advisory-group meeting packets from TOML)",
    after_help = "結束代碼 (exit status)：0 成功；1 檢核發現問題；2 輸入錯誤或失敗"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 產生議程 PDF；指定系列目錄則產生每次會議的議程 (build the agenda packet, or a whole series)
    Build {
        /// 會議目錄或其 meeting.toml，或系列目錄 (meeting directory, its meeting.toml, or a series directory)
        meeting: PathBuf,
        /// 輸出目錄，預設 out/<系列>-<會議>；系列則為 out/ (output directory)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 同時輸出 agenda.typ 與其引用的檔案 (also write the Typst source)
        #[arg(long)]
        typst: bool,
        #[command(flatten)]
        checks: CheckArgs,
        #[command(flatten)]
        doc: DocArgs,
    },
    /// 產生會議紀錄 PDF；缺決定（議）或散會時間時產生草稿 (build the minutes)
    Minutes {
        /// 會議目錄或其 meeting.toml (meeting directory or its meeting.toml)
        meeting: PathBuf,
        /// 輸出目錄，預設 out/<系列>-<會議> (output directory)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 產生紀錄草稿 minutes-draft.pdf (force the draft edition)
        #[arg(long)]
        draft: bool,
        /// 內部版：保留不公開意見，每頁標示「內部」(internal edition)
        #[arg(long)]
        internal: bool,
        /// 同時輸出 .typ 原始檔 (also write the Typst source)
        #[arg(long)]
        typst: bool,
        #[command(flatten)]
        checks: CheckArgs,
        #[command(flatten)]
        doc: DocArgs,
    },
    /// 計算會議期限（工作日依官方辦公日曆表）(meeting deadlines in working days)
    #[command(after_help = DEADLINES_HELP)]
    Deadlines {
        /// 會議日期：2024-04-29、113-04-29、113/4/29、113年4月29日 (meeting date, ISO or ROC)
        date: String,
        /// 以 JSON 輸出 (print JSON)
        #[arg(long)]
        json: bool,
        /// 會議紀錄草稿期限的工作日數，預設 10 (working days for the draft minutes)
        #[arg(long = "draft-days", value_name = "N")]
        draft_days: Option<u32>,
        #[command(flatten)]
        calendar: CalendarArgs,
    },
    /// 檢核期限、開會人數、小組組成與完整性 (check dates, quorum, composition, completeness)
    #[command(after_help = CHECK_HELP)]
    Check {
        /// 會議目錄或其 meeting.toml (meeting directory or its meeting.toml)
        meeting: PathBuf,
        /// 以 JSON 輸出檢核結果 (print the findings as JSON)
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        calendar: CalendarArgs,
    },
    /// 產生政府資料開放平臺上架資料包：PDF、CSV、JSON、詮釋資料 (export the data.gov.tw bundle)
    #[command(after_help = EXPORT_HELP)]
    Export {
        /// 會議目錄或其 meeting.toml (meeting directory or its meeting.toml)
        meeting: PathBuf,
        /// 輸出 X.zip 或資料夾 DIR/，預設 out/<系列>-<會議>.zip (zip file or folder)
        #[arg(short, long, value_name = "X.zip|DIR/")]
        output: Option<PathBuf>,
        /// 紀錄未定稿時仍以紀錄草稿匯出 (export even if the minutes are a draft)
        #[arg(long = "allow-draft")]
        allow_draft: bool,
        #[command(flatten)]
        doc: DocArgs,
    },
    /// 輸出 group.toml 與 meeting.toml 的 JSON Schema (print the JSON Schema)
    Schema {
        /// 改為輸出開放資料包 meeting.json 的 JSON Schema (the schema of the exported meeting.json)
        #[arg(long)]
        export: bool,
    },
    /// 監看檔案，存檔即重新產生議程 (rebuild the agenda on every save)
    Watch {
        /// 會議目錄或其 meeting.toml (meeting directory or its meeting.toml)
        meeting: PathBuf,
        /// 輸出目錄，預設 out/<系列>-<會議> (output directory)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 重新產生 N 次後結束（測試用）(exit after N rebuilds; for tests)
        #[arg(long, hide = true)]
        max_rebuilds: Option<usize>,
        #[command(flatten)]
        checks: CheckArgs,
        #[command(flatten)]
        doc: DocArgs,
    },
    /// 建立系列的下一次會議，預填列管事項 (create the next meeting of a series)
    New {
        /// 系列目錄（含 group.toml）(series directory)
        series: PathBuf,
        /// 會議日期，如 2024-10-15 或 113-10-15 (meeting date)
        #[arg(long)]
        date: String,
    },
    /// 列出系列所有決定（議）及列管狀態 (every decision of a series and its status)
    Tracking {
        /// 系列目錄（含 group.toml）(series directory)
        series: PathBuf,
        /// 輸出 CSV（UTF-8 含 BOM）(CSV output)
        #[arg(long, conflicts_with = "json")]
        csv: bool,
        /// 輸出 JSON (JSON output)
        #[arg(long)]
        json: bool,
    },
}

/// How a document is typeset: shared by build, minutes, watch and export.
#[derive(clap::Args)]
struct DocArgs {
    /// 額外字型目錄，可重複 (extra font directory, repeatable)
    #[arg(long = "font-path", value_name = "DIR")]
    font_path: Vec<PathBuf>,
    /// 內文字型（預設 TW-Kai 全字庫正楷體）(body font family)
    #[arg(long)]
    font: Option<String>,
    /// PDF 標準：a-2a+ua-1（預設，長期保存且無障礙）、a-2a、a-2u、a-2b、none（可內嵌 PDF 附件）
    /// (PDF standard; `none` allows PDF attachments)
    #[arg(long = "pdf-standard", value_name = "STD", default_value = "a-2a+ua-1", value_parser = parse_pdf_standard)]
    pdf_standard: PdfProfile,
    /// 不輸出進度訊息 (quiet)
    #[arg(short, long)]
    quiet: bool,
}

impl DocArgs {
    fn fonts(&self) -> Result<Arc<FontSet>, Diagnostics> {
        Ok(Arc::new(FontSet::load(&self.font_path)?))
    }

    fn options(&self, out_dir: PathBuf, write_typst: bool) -> BuildOptions {
        BuildOptions { out_dir, write_typst, font: self.font.clone(), pdf_profile: self.pdf_standard }
    }
}

fn parse_pdf_standard(name: &str) -> Result<PdfProfile, String> {
    PdfProfile::parse(name).ok_or_else(|| {
        let names: Vec<&str> = PdfProfile::NAMES.iter().map(|(n, _)| *n).collect();
        format!("不支援的 PDF 標準「{name}」；可用：{}", names.join("、"))
    })
}

/// The rule checks a build runs first.
#[derive(clap::Args)]
struct CheckArgs {
    /// 檢核有錯誤（如出席紀錄的委員代號不明）時仍產生 (build despite check errors)
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    calendar: CalendarArgs,
}

impl CheckArgs {
    fn checks(&self) -> Result<Checks, Diagnostics> {
        Ok(Checks { calendar: packet::check::load_calendar(&self.calendar.files)?, force: self.force })
    }
}

#[derive(clap::Args)]
struct CalendarArgs {
    /// 辦公日曆表 CSV（UTF-8 或 Big5），新增或取代整年，可重複 (office-calendar CSV, adds or replaces whole years; repeatable)
    #[arg(long = "calendar", value_name = "FILE")]
    files: Vec<PathBuf>,
}

const DEADLINES_HELP: &str = "\
期限定義（工作日 = 行政院人事行政總處「政府行政機關辦公日曆表」中「是否放假」為 0 的日子，內建 2017–2026 年）：
  materials_due      會議資料送達期限：會議日前第 5 個工作日（自會議前一日起往前數，會議日不計）
                     例：會議 2024-04-29 → 04-26、04-25、04-24、04-23、04-22 → 2024-04-22
  draft_minutes_due  會議紀錄草稿期限：會議日後第 N 個工作日（會議日不計），N 預設 10（--draft-days）
  publication_due    開放於政府資料開放平臺期限：會議日後第 14 個工作日
日曆表缺少的年份一律報錯，請以 --calendar FILE 提供（不以星期推算）。
(materials_due = 5th working day before the meeting day; draft_minutes_due = N-th working
day after, N = 10 unless --draft-days; publication_due = 14th working day after; the meeting
day itself never counts.)";

const CHECK_HELP: &str = "\
檢核項目（每項附規定出處）：
  日期    會議日為放假日；[dates] 所記 materials_sent / draft_minutes_sent / published 晚於期限
          （期限定義見 packet deadlines --help；group.toml [rules] 可改工作日數）
  開會人數 出席（親自或政府代表之代理）≥ 委員總數二分之一（設置要點第四點第三款），
          並列出運作指引「過半數」不同之處；民間代表親自出席 ≥ 3 人；民間代表不得代理（第七點）
  組成    召集人一人 + 委員總數（含召集人）≥ 11；民間代表 ≥ 1/3；任一性別 ≥ 1/3（原則：警告）；
          民間代表任期一至二年、續聘至多一次、會議日在聘期內（第三點第二款、第六點）
  完整性  臨時動議之案由與提案單位；記錄散會時間（定稿）後，出席紀錄與每案之決定（議）
結束代碼：0 無發現（或僅警告）；1 有發現；2 輸入無法讀取或紀錄錯誤
(exit 0 clean or warnings only, 1 findings, 2 unreadable input or record errors)";

const EXPORT_HELP: &str = "\
資料包內容（固定順序；zip 與資料夾內容相同）：
  agenda.pdf            議程
  minutes.pdf           會議紀錄公開版（草稿為 minutes-draft.pdf，須加 --allow-draft）
  meeting.csv items.csv decisions.csv opinions.csv attendance.csv members.csv
                        UTF-8（含 BOM，供 Excel 直接開啟）、CRLF、中文欄名
  meeting.json          公開紀錄全文；meeting.schema.json 為其 JSON Schema
  datapackage.json      Frictionless Data Package（欄位型別、主鍵、外鍵）
  metadata.json metadata.csv  政府資料開放平臺詮釋資料
  SHA256SUMS            各檔 SHA-256（sha256sum -c SHA256SUMS）
不公開之發言不出現在任何檔案；不記名者以委員甲等稱之。
時間戳記取自 SOURCE_DATE_EPOCH，未設定時取 [dates] published，再無則取會議日期與散會時間；同樣輸入產生相同位元組。
(Public edition only; deterministic: timestamps from SOURCE_DATE_EPOCH or the meeting.)";

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { meeting, output, typst, checks, doc } => build(meeting, output, typst, &checks, &doc),
        Command::Deadlines { date, json, draft_days, calendar } => deadlines(&date, json, draft_days, &calendar.files),
        Command::Check { meeting, json, calendar } => return check(&meeting, json, &calendar.files),
        Command::Minutes { meeting, output, draft, internal, typst, checks, doc } => {
            let edition = if internal { Edition::Internal } else { Edition::Public };
            minutes(meeting, output, draft, edition, typst, &checks, &doc)
        }
        Command::New { series, date } => new_meeting(&series, &date),
        Command::Tracking { series, csv, json } => tracking(&series, csv, json),
        Command::Export { meeting, output, allow_draft, doc } => export(meeting, output, allow_draft, &doc),
        Command::Watch { meeting, output, max_rebuilds, checks, doc } => watch(&meeting, output, max_rebuilds, &checks, &doc),
        Command::Schema { export } => {
            let schema = if export {
                packet::export::json_schema()
            } else {
                packet::model::json_schema()
            };
            println!("{}", serde_json::to_string_pretty(&schema).unwrap_or_default());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(diags) => {
            eprintln!("{diags}");
            ExitCode::from(diags.exit_code().clamp(0, 255) as u8)
        }
    }
}

/// Print what a finished document reports: the findings and warnings that did not stop
/// it, then (unless quiet) where it went.
fn report_built(built: &Built, start: Instant, quiet: bool) {
    for w in &built.warnings {
        eprintln!("{w}");
    }
    if !quiet {
        eprintln!(
            "已產生 {}（{} 頁，{} KB，{:.2} 秒）",
            built.pdf_path.display(),
            built.pages,
            built.bytes / 1024,
            start.elapsed().as_secs_f64()
        );
    }
}

/// `packet build`: one meeting's agenda, or every meeting of a series.
fn build(meeting: PathBuf, output: Option<PathBuf>, typst: bool, checks: &CheckArgs, doc: &DocArgs) -> Result<(), Diagnostics> {
    let start = Instant::now();
    if packet::batch::is_series_dir(&meeting) {
        return build_series(&meeting, output, typst, checks, doc);
    }
    let checks = checks.checks()?;
    let fonts = doc.fonts()?;
    let built = packet::batch::checked_agenda(
        &meeting,
        &checks,
        |p| doc.options(output.unwrap_or_else(|| default_out(p)), typst),
        fonts,
    )?;
    report_built(&built, start, doc.quiet);
    Ok(())
}

/// `out/<series>-<meeting>`
fn default_out(packet: &Packet) -> PathBuf {
    PathBuf::from("out").join(packet.slug())
}

fn minutes(
    meeting: PathBuf,
    output: Option<PathBuf>,
    force_draft: bool,
    edition: Edition,
    typst: bool,
    checks: &CheckArgs,
    doc: &DocArgs,
) -> Result<(), Diagnostics> {
    let start = Instant::now();
    let packet = Packet::load(&meeting)?;
    // The same checks as `packet build` (quorum, composition, dates, …).
    let findings = checks.checks()?.gate(&packet)?;
    let opts = doc.options(output.unwrap_or_else(|| default_out(&packet)), typst);
    let result = pipeline::build_minutes(&packet, &opts, doc.fonts()?, edition, force_draft)?;
    // A missing decision is listed once, under the draft notice below.
    for f in findings.iter().filter(|f| !result.missing.iter().any(|m| m.field == f.field)) {
        eprintln!("{f}");
    }
    if result.draft && !result.missing.is_empty() {
        eprintln!("紀錄尚未完整，已產生草稿；缺少：");
        for m in &result.missing {
            eprintln!("{m}");
        }
    }
    report_built(&result.built, start, doc.quiet);
    Ok(())
}

fn deadlines(
    date: &str,
    json: bool,
    draft_days: Option<u32>,
    calendars: &[PathBuf],
) -> Result<(), Diagnostics> {
    let date = packet::check::parse_date_arg(date)?;
    let calendar = packet::check::load_calendar(calendars)?;
    let d = packet::check::deadlines_for(&calendar, date, draft_days)?;
    if json {
        println!("{}", serde_json::to_string(&d).unwrap_or_default());
    } else {
        print!("{}", packet::check::format_deadlines(&d, &calendar));
    }
    Ok(())
}

/// `packet check`: the diagnostics go to stdout (they are the command's output).
fn check(meeting: &std::path::Path, json: bool, calendars: &[PathBuf]) -> ExitCode {
    let found = match packet::check::load_calendar(calendars) {
        Ok(calendar) => packet::check::check_path(meeting, &calendar),
        Err(e) => e.0,
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&found).unwrap_or_default()
        );
    } else {
        for d in &found {
            println!("{d}");
        }
        let count = |s: Severity| found.iter().filter(|d| d.severity == s).count();
        eprintln!(
            "檢核結果：錯誤 {} 項，發現 {} 項，警告 {} 項",
            count(Severity::Error),
            count(Severity::Finding),
            count(Severity::Warning)
        );
    }
    let code = if found.is_empty() {
        0
    } else {
        Diagnostics(found).exit_code()
    };
    ExitCode::from(code.clamp(0, 255) as u8)
}

fn new_meeting(series: &std::path::Path, date: &str) -> Result<(), Diagnostics> {
    let date = packet::calendar::parse_date(date).ok_or_else(|| {
        Diagnostics::from(
            packet::diag::Diagnostic::error(format!("無效的日期「{date}」，請寫成 2024-10-15 或 113-10-15")).field("--date"),
        )
    })?;
    let (file, warnings) = packet::tracking::new_meeting(series, date)?;
    for w in &warnings {
        eprintln!("{w}");
    }
    eprintln!("已建立 {}", file.display());
    Ok(())
}

fn tracking(series: &std::path::Path, csv: bool, json: bool) -> Result<(), Diagnostics> {
    use std::io::Write;
    let series = packet::tracking::Series::load(series)?;
    let timeline = packet::tracking::timeline(&series)?;
    let mut stdout = std::io::stdout().lock();
    let written = if csv {
        stdout.write_all(&packet::tracking::to_csv(&timeline))
    } else if json {
        writeln!(stdout, "{}", serde_json::to_string_pretty(&timeline.decisions).unwrap_or_default())
    } else {
        stdout.write_all(packet::tracking::to_text(&timeline).as_bytes())
    };
    written.map_err(|e| Diagnostics::from(packet::diag::Diagnostic::error(format!("無法輸出：{e}"))))?;
    Ok(())
}

/// `packet export`: the data.gov.tw bundle as a zip or a folder.
fn export(meeting: PathBuf, output: Option<PathBuf>, allow_draft: bool, doc: &DocArgs) -> Result<(), Diagnostics> {
    let start = Instant::now();
    let packet = Packet::load(&meeting)?;
    let target = output.unwrap_or_else(|| PathBuf::from("out").join(format!("{}.zip", packet.slug())));
    let opts = doc.options(PathBuf::new(), false);
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let bundle = packet::export::bundle(&packet, &opts, doc.fonts()?, allow_draft, epoch.as_deref())?;
    for w in &bundle.warnings {
        eprintln!("{w}");
    }
    if bundle.draft {
        eprintln!("會議紀錄尚未定稿，資料包內為紀錄草稿 minutes-draft.pdf；缺少：");
        for m in &bundle.missing {
            eprintln!("{m}");
        }
    }
    packet::export::write(&bundle, &target)?;
    if !doc.quiet {
        let bytes: usize = bundle.files.iter().map(|f| f.bytes.len()).sum();
        eprintln!(
            "已產生 {}（{} 個檔案，{} KB，{:.2} 秒）",
            target.display(),
            bundle.files.len(),
            bytes / 1024,
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// `packet build <series>`: every meeting of the series, in parallel, in one process.
fn build_series(
    series: &std::path::Path,
    output: Option<PathBuf>,
    typst: bool,
    checks: &CheckArgs,
    doc: &DocArgs,
) -> Result<(), Diagnostics> {
    let start = Instant::now();
    let checks = checks.checks()?;
    let fonts = doc.fonts()?;
    let out_root = output.unwrap_or_else(|| PathBuf::from("out"));
    let template = doc.options(out_root.clone(), typst);
    let total = pipeline::meeting_dirs(series)?.len();
    let bar = if doc.quiet || total < 2 {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(total as u64)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let tick = |dir: &std::path::Path| {
        bar.set_message(dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        bar.inc(1);
    };
    let results = packet::batch::build_series(series, &out_root, &template, &checks, fonts, &tick)?;
    bar.finish_and_clear();
    let mut errors = Vec::new();
    let mut failed = 0;
    let mut pages = 0;
    for (dir, outcome) in results {
        match outcome {
            Ok(built) => {
                pages += built.pages;
                for w in &built.warnings {
                    eprintln!("{w}");
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("{}：產生失敗", dir.display());
                errors.extend(e.0);
            }
        }
    }
    if !doc.quiet {
        eprintln!(
            "已產生 {} 份議程（共 {pages} 頁，{:.2} 秒）",
            total - failed,
            start.elapsed().as_secs_f64()
        );
    }
    if errors.is_empty() { Ok(()) } else { Err(Diagnostics(errors)) }
}

/// `packet watch`: rebuild on every save; errors are shown and watching goes on.
fn watch(
    meeting: &std::path::Path,
    output: Option<PathBuf>,
    max_rebuilds: Option<usize>,
    checks: &CheckArgs,
    doc: &DocArgs,
) -> Result<(), Diagnostics> {
    let checks = checks.checks()?;
    let fonts = doc.fonts()?;
    // A meeting that does not load yet still gets a folder; its errors show in the build.
    let out_dir = output.unwrap_or_else(|| Packet::load(meeting).map_or_else(|_| PathBuf::from("out/packet"), |p| default_out(&p)));
    let opts = doc.options(out_dir, false);
    let mut builds = 0usize;
    eprintln!("監看中：{}（Ctrl-C 結束）", meeting.display());
    packet::batch::watch(
        meeting,
        &opts,
        &checks,
        fonts,
        |event| match event {
            packet::batch::WatchEvent::Built { built, elapsed, first } => {
                for w in &built.warnings {
                    eprintln!("{w}");
                }
                let verb = if first { "已產生" } else { "已重新產生" };
                eprintln!(
                    "{verb} {}（{} 頁，{:.0} 毫秒）",
                    built.pdf_path.display(),
                    built.pages,
                    elapsed.as_secs_f64() * 1000.0
                );
            }
            packet::batch::WatchEvent::Failed { errors, elapsed } => {
                eprintln!("{errors}");
                eprintln!("產生失敗（{:.0} 毫秒）；保留上一版 PDF，繼續監看", elapsed.as_secs_f64() * 1000.0);
            }
        },
        // The first build is not a rebuild.
        || {
            builds += 1;
            max_rebuilds.is_some_and(|max| builds > max)
        },
    )
}
