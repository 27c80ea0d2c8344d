//! The command line in Chinese: clap's own words (用法、選項、命令、顯示說明、錯誤、提示)
//! replaced on the whole command tree at start-up, so an option or command added in
//! [`super::args`] needs nothing here; clap's errors rendered in Chinese from their
//! context; `packet` alone prints a start guide; a mistyped command suggests the one
//! meant, judged by edit distance (clap's own Jaro score passes 'minutes' for 'init').

use std::ffi::OsString;
use std::fmt::Write as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, ColorChoice, Command, CommandFactory};

use super::args::Cli;

/// Help pages: the default layout with its heading in Chinese.
const HELP_TEMPLATE: &str = "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// What a parsed command line asks for.
pub enum Parsed {
    Run(Cli),
    /// Help, the version, the start guide or an error: print it, exit with this status.
    Print {
        text: String,
        to_stderr: bool,
        status: u8,
    },
}

/// The whole command tree, in Chinese (also what the shell completions describe).
pub fn command() -> Command {
    localize(Cli::command(), true)
}

fn localize(cmd: Command, root: bool) -> Command {
    let mut cmd = cmd
        .color(ColorChoice::Never)
        .help_template(HELP_TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).help("顯示說明 (print help)"));
    if root {
        // `packet`, not `packet.exe` as Windows gives argv[0].
        cmd = cmd.bin_name("packet").disable_version_flag(true).arg(
            Arg::new("version").short('V').long("version").action(ArgAction::Version).help("顯示版本 (print version)"),
        );
    }
    cmd.mut_args(|arg| {
        if arg.get_help_heading().is_some() {
            arg
        } else if arg.is_positional() {
            arg.help_heading("參數")
        } else {
            arg.help_heading("選項")
        }
    })
    .mut_subcommands(|sub| localize(sub, false))
}

/// Parse a command line (`args[0]` is the program).
pub fn parse(args: Vec<OsString>) -> Parsed {
    // Only the program name: the start guide.
    if args.len() <= 1 {
        return Parsed::Print { text: start_guide(), to_stderr: false, status: 0 };
    }
    // `packet help [命令]` as `packet [命令] --help` (clap's help command is English).
    let mut args = args;
    if args[1] == "help" {
        args.remove(1);
        args.push("--help".into());
    }
    let mut cmd = command();
    let words: Vec<String> = args.iter().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    let matches = match cmd.try_get_matches_from_mut(args) {
        Ok(m) => m,
        Err(e) => return from_error(&e, &mut cmd, &words),
    };
    match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => Parsed::Run(cli),
        Err(e) => from_error(&e, &mut cmd, &words),
    }
}

fn from_error(err: &clap::Error, cmd: &mut Command, words: &[String]) -> Parsed {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let mut text = clap_words(&err.render().to_string());
            if !text.ends_with('\n') {
                text.push('\n');
            }
            Parsed::Print { text, to_stderr: false, status: 0 }
        }
        _ => Parsed::Print { text: error_text(err, cmd, words), to_stderr: true, status: 2 },
    }
}

/// clap's fixed words in what it renders (usage lines, the brackets after an option), and
/// the full-width colon after each heading (a line at the left margin ending in `:`).
fn clap_words(text: &str) -> String {
    let headings: Vec<String> = text
        .split('\n')
        .map(|line| match line.strip_suffix(':') {
            Some(heading) if !heading.starts_with(' ') && !heading.is_empty() => format!("{heading}："),
            _ => line.to_string(),
        })
        .collect();
    headings
        .join("\n")
        .replace("Usage: ", "用法：")
        .replace("[OPTIONS]", "[選項]")
        .replace("[default: ", "[預設：")
        .replace("[possible values: ", "[可用值：")
        .replace("[aliases: ", "[別名：")
        .replace("[env: ", "[環境變數：")
}

fn string(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Strings(v) => Some(v.join("、")),
        ContextValue::StyledStrs(v) => Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("、")),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn strings(err: &clap::Error, kind: ContextKind) -> Vec<String> {
    match err.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// `錯誤：…`, a `提示：` line where one helps, the usage, and where to read more.
fn error_text(err: &clap::Error, cmd: &mut Command, words: &[String]) -> String {
    let arg = string(err, ContextKind::InvalidArg).unwrap_or_default();
    let value = string(err, ContextKind::InvalidValue).unwrap_or_default();
    let mut tips: Vec<String> = Vec::new();
    let message = match err.kind() {
        ErrorKind::InvalidSubcommand => {
            let typed = string(err, ContextKind::InvalidSubcommand).unwrap_or_default();
            let names: Vec<String> =
                cmd.get_subcommands().filter(|s| !s.is_hide_set()).map(|s| s.get_name().to_string()).collect();
            match suggest(&typed, &names) {
                Some(best) => tips.push(format!("是否要執行「packet {best}」？")),
                None => tips.push(format!("可用的命令：{}", names.join("、"))),
            }
            format!("沒有「{typed}」這個命令")
        }
        ErrorKind::UnknownArgument => {
            if let Some(s) = string(err, ContextKind::SuggestedArg) {
                tips.push(format!("是否要用「{s}」？"));
            }
            if let Some(t) = string(err, ContextKind::TrailingArg) {
                tips.push(format!("若「{t}」是值而不是選項，請寫成「-- {t}」"));
            }
            if let Some(s) = string(err, ContextKind::SuggestedSubcommand) {
                tips.push(format!("是否要執行「{s}」？"));
            }
            format!("不認得的參數「{arg}」")
        }
        ErrorKind::InvalidValue if value.is_empty() => format!("{arg} 需要一個值"),
        ErrorKind::InvalidValue => {
            let valid = strings(err, ContextKind::ValidValue);
            if !valid.is_empty() {
                tips.push(format!("可用的值：{}", valid.join("、")));
            }
            if let Some(s) = string(err, ContextKind::SuggestedValue) {
                tips.push(format!("是否要寫「{s}」？"));
            }
            format!("{arg} 的值「{value}」無效")
        }
        ErrorKind::ValueValidation => match std::error::Error::source(err) {
            Some(reason) => format!("{arg} 的值「{value}」無效：{reason}"),
            None => format!("{arg} 的值「{value}」無效"),
        },
        ErrorKind::MissingRequiredArgument => {
            let missing = strings(err, ContextKind::InvalidArg);
            format!("缺少必要的參數：{}", missing.join("、"))
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
            tips.push(format!("可用的命令：{}", names.join("、")));
            "缺少命令".to_string()
        }
        ErrorKind::ArgumentConflict => {
            let prior = string(err, ContextKind::PriorArg).unwrap_or_default();
            format!("{arg} 不能與 {prior} 同時使用")
        }
        ErrorKind::NoEquals => format!("{arg} 的值須以等號指定（{arg}=值）"),
        ErrorKind::TooManyValues => format!("{arg} 多了一個值「{value}」"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            let expected = string(err, ContextKind::ExpectedNumValues).or_else(|| string(err, ContextKind::MinValues));
            format!("{arg} 的值個數不對（應為 {}）", expected.unwrap_or_default())
        }
        ErrorKind::InvalidUtf8 => "參數不是有效的 UTF-8 文字".to_string(),
        // Anything else: clap's own sentence after our heading.
        _ => {
            let rendered = err.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            first.trim_start_matches("error: ").to_string()
        }
    };
    let mut text = format!("錯誤：{message}\n");
    for tip in tips {
        let _ = writeln!(text, "  提示：{tip}");
    }
    if let Some(usage) = string(err, ContextKind::Usage) {
        let _ = writeln!(text, "\n{}", clap_words(&usage));
    }
    let _ = writeln!(text, "\n說明：{} --help", command_named(cmd, words));
    text
}

/// `packet build`: the command the words typed name (for "see --help").
fn command_named(cmd: &Command, words: &[String]) -> String {
    let mut shown = vec![cmd.get_name().to_string()];
    let mut level = cmd;
    for word in words {
        match level.find_subcommand(word) {
            Some(sub) => {
                shown.push(sub.get_name().to_string());
                level = sub;
            }
            None => break,
        }
    }
    shown.join(" ")
}

/// The command meant by a mistyped one: the nearest by Damerau–Levenshtein distance
/// (a swapped pair of letters is one edit), at most one edit per three letters, or the
/// only command the input begins; none when two are equally near.
pub fn suggest(typed: &str, names: &[String]) -> Option<String> {
    let typed = typed.to_lowercase();
    let prefixed: Vec<&String> = names.iter().filter(|n| typed.len() >= 2 && n.starts_with(&typed)).collect();
    if prefixed.len() == 1 {
        return Some(prefixed[0].clone());
    }
    let mut scored: Vec<(usize, &String)> = names
        .iter()
        .map(|n| (strsim::damerau_levenshtein(&typed, n), n))
        .filter(|(d, n)| *d <= (n.len() / 3).max(1))
        .collect();
    scored.sort();
    match scored.as_slice() {
        [(best, name), (next, _), ..] if best < next => Some((*name).clone()),
        [(_, name)] => Some((*name).clone()),
        _ => None,
    }
}

/// `packet` alone: what to type first, with this system's path separator.
pub(super) fn start_guide() -> String {
    let sep = std::path::MAIN_SEPARATOR;
    let year = crate::text::zh::roc_year(crate::model::today());
    format!(
        "packet {version}：政府資料開放諮詢小組 會議議程、會議紀錄與開放資料包產生工具

開始使用（在存放會議資料的資料夾開啟終端機，逐行輸入）：
  1. 建立會議系列      packet init 諮詢小組 --agency 機關名稱
  2. 填寫委員名單與議程 諮詢小組{sep}group.toml、諮詢小組{sep}{year}-1{sep}meeting.toml
                       （記事本即可；「（請填寫…）」為待填項目）
  3. 檢核              packet check 諮詢小組{sep}{year}-1
  4. 產生議程 PDF      packet build 諮詢小組{sep}{year}-1
                       → out{sep}諮詢小組-{year}-1{sep}agenda.pdf
  會後：packet minutes（會議紀錄）、packet export（政府資料開放平臺資料包）
  下一次會議：packet new 諮詢小組 --date 日期

用瀏覽器編輯：packet serve 諮詢小組；或把 packet 放在系列資料夾（或其上一層）直接執行（可按兩下）

所有命令：packet --help；單一命令的說明：packet build --help
",
        version = env!("CARGO_PKG_VERSION")
    )
}
