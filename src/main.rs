//! `packet`: 政府資料開放諮詢小組 會議議程、紀錄與開放資料 產生工具.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::{Parser, Subcommand};

use packet::diag::Diagnostics;
use packet::fonts::FontSet;
use packet::minutes::Edition;
use packet::pipeline::{self, BuildOptions, Packet};

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
    /// 產生議程 PDF (build the agenda packet)
    Build {
        /// 會議目錄或其 meeting.toml (meeting directory or its meeting.toml)
        meeting: PathBuf,
        /// 輸出目錄，預設 out/<系列>-<會議> (output directory)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 同時輸出 agenda.typ 與其引用的檔案 (also write the Typst source)
        #[arg(long)]
        typst: bool,
        /// 額外字型目錄，可重複 (extra font directory, repeatable)
        #[arg(long = "font-path", value_name = "DIR")]
        font_path: Vec<PathBuf>,
        /// 內文字型（預設 TW-Kai 全字庫正楷體）(body font family)
        #[arg(long)]
        font: Option<String>,
        /// 不輸出進度訊息 (quiet)
        #[arg(short, long)]
        quiet: bool,
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
        /// 額外字型目錄，可重複 (extra font directory, repeatable)
        #[arg(long = "font-path", value_name = "DIR")]
        font_path: Vec<PathBuf>,
        /// 內文字型 (body font family)
        #[arg(long)]
        font: Option<String>,
        /// 不輸出進度訊息 (quiet)
        #[arg(short, long)]
        quiet: bool,
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
        /// 額外字型目錄，可重複 (extra font directory, repeatable)
        #[arg(long = "font-path", value_name = "DIR")]
        font_path: Vec<PathBuf>,
        /// 內文字型 (body font family)
        #[arg(long)]
        font: Option<String>,
        /// 不輸出進度訊息 (quiet)
        #[arg(short, long)]
        quiet: bool,
    },
    /// 輸出 group.toml 與 meeting.toml 的 JSON Schema (print the JSON Schema)
    Schema {
        /// 改為輸出開放資料包 meeting.json 的 JSON Schema (the schema of the exported meeting.json)
        #[arg(long)]
        export: bool,
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
        Command::Build {
            meeting,
            output,
            typst,
            font_path,
            font,
            quiet,
        } => build(meeting, output, typst, font_path, font, quiet),
        Command::Minutes { meeting, output, draft, internal, typst, font_path, font, quiet } => {
            let edition = if internal { Edition::Internal } else { Edition::Public };
            minutes(meeting, output, draft, edition, typst, font_path, font, quiet)
        }
        Command::New { series, date } => new_meeting(&series, &date),
        Command::Tracking { series, csv, json } => tracking(&series, csv, json),
        Command::Export { meeting, output, allow_draft, font_path, font, quiet } => {
            export(meeting, output, allow_draft, font_path, font, quiet)
        }
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

fn build(
    meeting: PathBuf,
    output: Option<PathBuf>,
    typst: bool,
    font_paths: Vec<PathBuf>,
    font: Option<String>,
    quiet: bool,
) -> Result<(), Diagnostics> {
    let start = Instant::now();
    let packet = Packet::load(&meeting)?;
    let fonts = Arc::new(FontSet::load(&font_paths)?);
    let out_dir = output.unwrap_or_else(|| PathBuf::from("out").join(packet.slug()));
    let opts = BuildOptions {
        out_dir,
        write_typst: typst,
        font_paths,
        font,
    };
    let built = pipeline::build_agenda(&packet, &opts, fonts)?;
    // Findings that do not stop the build (typst warnings, 辦理情形 not yet written).
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
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn minutes(
    meeting: PathBuf,
    output: Option<PathBuf>,
    force_draft: bool,
    edition: Edition,
    typst: bool,
    font_paths: Vec<PathBuf>,
    font: Option<String>,
    quiet: bool,
) -> Result<(), Diagnostics> {
    let start = Instant::now();
    let packet = Packet::load(&meeting)?;
    let fonts = Arc::new(FontSet::load(&font_paths)?);
    let out_dir = output.unwrap_or_else(|| PathBuf::from("out").join(packet.slug()));
    let opts = BuildOptions { out_dir, write_typst: typst, font_paths, font };
    let result = pipeline::build_minutes(&packet, &opts, fonts, edition, force_draft)?;
    for w in &result.built.warnings {
        eprintln!("{w}");
    }
    if result.draft && !result.missing.is_empty() {
        eprintln!("紀錄尚未完整，已產生草稿；缺少：");
        for m in &result.missing {
            eprintln!("{m}");
        }
    }
    if !quiet {
        eprintln!(
            "已產生 {}（{} 頁，{} KB，{:.2} 秒）",
            result.built.pdf_path.display(),
            result.built.pages,
            result.built.bytes / 1024,
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
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
fn export(
    meeting: PathBuf,
    output: Option<PathBuf>,
    allow_draft: bool,
    font_paths: Vec<PathBuf>,
    font: Option<String>,
    quiet: bool,
) -> Result<(), Diagnostics> {
    let start = Instant::now();
    let packet = Packet::load(&meeting)?;
    let fonts = Arc::new(FontSet::load(&font_paths)?);
    let target = output.unwrap_or_else(|| PathBuf::from("out").join(format!("{}.zip", packet.slug())));
    let opts = BuildOptions { out_dir: PathBuf::new(), write_typst: false, font_paths, font };
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let bundle = packet::export::bundle(&packet, &opts, fonts, allow_draft, epoch.as_deref())?;
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
    if !quiet {
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
