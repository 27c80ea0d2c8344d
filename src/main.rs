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
    /// 輸出 group.toml 與 meeting.toml 的 JSON Schema (print the JSON Schema)
    Schema,
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
        Command::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&packet::model::json_schema()).unwrap_or_default()
            );
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
