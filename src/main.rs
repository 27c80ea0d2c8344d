//! `packet`: 政府資料開放諮詢小組 會議議程、紀錄與開放資料 產生工具.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::{Parser, Subcommand};

use packet::diag::{Diagnostics, Severity};
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
    for w in &built.warnings {
        if w.severity == Severity::Warning {
            eprintln!("{w}");
        }
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
