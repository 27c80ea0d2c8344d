//! The command line: every command's arguments, and the options commands share.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::build::{BuildOptions, Checks};
use crate::diag::Diagnostics;
use crate::rules::check::load_calendar;
use crate::typeset::compile::PdfProfile;
use crate::typeset::folder::SeriesFonts;
use crate::typeset::fonts::FontSet;

#[derive(Parser)]
#[command(
    name = "packet",
    version,
    about = "政府資料開放諮詢小組：由 meeting.toml 產生議程、會議紀錄與開放資料包\n(advisory-group meeting packets from TOML)",
    after_help = "結束代碼 (exit status)：0 成功；1 檢核發現問題；2 輸入錯誤或失敗"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// 產生議程 PDF；指定系列目錄則產生每次會議的議程 (build the agenda packet, or a whole series)
    Build(BuildCommand),
    /// 產生會議紀錄 PDF；缺決定（議）或散會時間時產生草稿 (build the minutes)
    Minutes(MinutesCommand),
    /// 產生開會通知單 notice.pdf 與行事曆邀請 meeting.ics (build the meeting notice)
    Notice(NoticeCommand),
    /// 產生簽到表 signin.pdf：出席委員（主席在前）、列席、工作人員 (build the sign-in sheet)
    Signin(SigninCommand),
    /// 產生紀錄草稿修正意見處理表（內部存查，不公開）(the correction round of the draft minutes, for the file)
    Corrections(CorrectionsCommand),
    /// 計算會議期限（工作日依官方辦公日曆表）(meeting deadlines in working days)
    #[command(after_help = DEADLINES_HELP)]
    Deadlines(DeadlinesCommand),
    /// 顯示、安裝或列出辦公日曆表：官方日曆表未公布之年份依規定推算（暫定）(show, install or list office calendars)
    #[command(after_help = CALENDAR_HELP, args_conflicts_with_subcommands = true)]
    Calendar(CalendarCommand),
    /// 檢核期限、開會人數、小組組成與完整性 (check dates, quorum, composition, completeness)
    #[command(after_help = CHECK_HELP)]
    Check(CheckCommand),
    /// 產生政府資料開放平臺上架資料包：一次會議，或整個系列之累積資料集 (export the data.gov.tw bundle of a meeting or a series)
    #[command(after_help = EXPORT_HELP)]
    Export(ExportCommand),
    /// 寫出 group.toml 與 meeting.toml 的 JSON Schema，供編輯器檢查與補全 (JSON Schemas for editors)
    #[command(after_help = SCHEMA_HELP)]
    Schema(SchemaCommand),
    /// 監看檔案，存檔即重新產生議程 (rebuild the agenda on every save)
    Watch(WatchCommand),
    /// 在瀏覽器中編輯系列的會議資料，即時預覽與檢核 (edit the meetings in the browser, with live preview and checks)
    Serve(ServeCommand),
    /// 建立系列的下一次會議，預填列管事項 (create the next meeting of a series)
    New(NewCommand),
    /// 列出系列所有決定（議）及列管狀態 (every decision of a series and its status)
    Tracking(TrackingCommand),
    /// 建立新的會議系列：group.toml（委員名單待填）與第一次會議 (create a starter series)
    Init(InitCommand),
    /// 輸出命令列自動補全腳本：powershell、bash、zsh… (shell completions)
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsCommand),
}

#[derive(clap::Args)]
pub struct CompletionsCommand {
    /// 殼層：powershell、bash、zsh、fish、elvish (the shell)
    pub shell: clap_complete::Shell,
}

#[derive(clap::Args)]
pub struct InitCommand {
    /// 要建立的系列目錄（不得已存在）(the series directory to create)
    pub dir: PathBuf,
    /// 機關名稱，如 行政院主計總處 (the agency)
    #[arg(long)]
    pub agency: String,
    /// 小組已開過會：第一份會議為第 N 次（其前仍列管之決定以 [[report.tracking]] 逐列手寫）(the first meeting in packet is the Nth)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=9999))]
    pub number: u32,
    /// 會次連續編號（第 5、6、7 次，不依年度重新起算）(meetings numbered straight through)
    #[arg(long, conflicts_with = "term")]
    pub continuous: bool,
    /// 依屆次編號（第 N 屆第 M 次，M 為 --number）：第一份會議屬第 N 屆 (numbered by term: the first meeting is in term N)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=999))]
    pub term: Option<u32>,
}

#[derive(clap::Args)]
pub struct BuildCommand {
    /// 會議目錄或其 meeting.toml，或系列目錄 (meeting directory, its meeting.toml, or a series directory)
    pub meeting: PathBuf,
    /// 輸出目錄，預設 out/<系列>-<會議>；系列則為 out/ (output directory)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// 同時輸出 agenda.typ 與其引用的檔案 (also write the Typst source)
    #[arg(long)]
    pub typst: bool,
    /// 同時輸出可編輯的 agenda.odt（ODF，CNS 15251）(also write the editable ODF edition)
    #[arg(long)]
    pub odt: bool,
    #[command(flatten)]
    pub checks: CheckArgs,
    #[command(flatten)]
    pub doc: DocArgs,
}

#[derive(clap::Args)]
pub struct MinutesCommand {
    #[command(flatten)]
    pub meeting: MeetingArg,
    /// 輸出目錄，預設 out/<系列>-<會議> (output directory)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// 產生紀錄草稿 minutes-draft.pdf (force the draft edition)
    #[arg(long)]
    pub draft: bool,
    /// 內部版：保留不公開意見，每頁標示「內部」(internal edition)
    #[arg(long)]
    pub internal: bool,
    /// 同時輸出 .typ 原始檔 (also write the Typst source)
    #[arg(long)]
    pub typst: bool,
    /// 同時輸出可編輯的 minutes.odt（ODF，CNS 15251；供委員修正草稿）(also write the editable ODF edition)
    #[arg(long)]
    pub odt: bool,
    #[command(flatten)]
    pub checks: CheckArgs,
    #[command(flatten)]
    pub doc: DocArgs,
}

#[derive(clap::Args)]
pub struct NoticeCommand {
    #[command(flatten)]
    pub meeting: MeetingArg,
    /// 輸出目錄，預設 out/<系列>-<會議> (output directory)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// 同時輸出 .typ 原始檔 (also write the Typst source)
    #[arg(long)]
    pub typst: bool,
    /// 同時輸出可編輯的 notice.odt（ODF，CNS 15251）(also write the editable ODF edition)
    #[arg(long)]
    pub odt: bool,
    #[command(flatten)]
    pub checks: CheckArgs,
    #[command(flatten)]
    pub doc: DocArgs,
}

#[derive(clap::Args)]
pub struct SigninCommand {
    #[command(flatten)]
    pub meeting: MeetingArg,
    /// 輸出目錄，預設 out/<系列>-<會議> (output directory)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// 同時輸出 .typ 原始檔 (also write the Typst source)
    #[arg(long)]
    pub typst: bool,
    /// 同時輸出可編輯的 signin.odt（ODF，CNS 15251）(also write the editable ODF edition)
    #[arg(long)]
    pub odt: bool,
    #[command(flatten)]
    pub doc: DocArgs,
}

#[derive(clap::Args)]
pub struct CorrectionsCommand {
    #[command(flatten)]
    pub meeting: MeetingArg,
    /// 輸出目錄，預設 out/<系列>-<會議>-internal（不公開）(output directory)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// 同時輸出可編輯的 corrections.odt (also write the editable ODF edition)
    #[arg(long)]
    pub odt: bool,
    #[command(flatten)]
    pub calendar: CalendarArgs,
    #[command(flatten)]
    pub doc: DocArgs,
}

#[derive(clap::Args)]
pub struct DeadlinesCommand {
    /// 會議日期：2024-04-29、113-04-29、113/4/29、113年4月29日 (meeting date, ISO or ROC)
    pub date: String,
    /// 以 JSON 輸出 (print JSON)
    #[arg(long)]
    pub json: bool,
    /// 會議紀錄草稿期限的工作日數，預設 10 (working days for the draft minutes)
    #[arg(long = "draft-days", value_name = "N")]
    pub draft_days: Option<u32>,
    #[command(flatten)]
    pub calendar: CalendarArgs,
}

#[derive(clap::Args)]
pub struct CheckCommand {
    #[command(flatten)]
    pub meeting: MeetingArg,
    /// 以 JSON 輸出檢核結果 (print the findings as JSON)
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub calendar: CalendarArgs,
}

#[derive(clap::Args)]
pub struct ExportCommand {
    /// 系列目錄（含 group.toml：整個小組之累積資料集），或會議目錄或其 meeting.toml (series directory, or one meeting)
    pub meeting: PathBuf,
    /// 輸出 X.zip 或資料夾 DIR/，預設系列為 out/<系列>-dataset/，會議為 out/<系列>-<會議>.zip (zip file or folder)
    #[arg(short, long, value_name = "X.zip|DIR/")]
    pub output: Option<PathBuf>,
    /// 紀錄未定稿時仍以紀錄草稿匯出；系列可只指定會議 --allow-draft=113-2,113-3 (export draft minutes; for a series, only of the meetings named)
    #[arg(long = "allow-draft", num_args = 0..=1, require_equals = true, default_missing_value = "*", value_delimiter = ',', value_name = "會議")]
    pub allow_draft: Vec<String>,
    #[command(flatten)]
    pub doc: DocArgs,
}

#[derive(clap::Args)]
pub struct SchemaCommand {
    /// 寫入目錄：group.schema.json、meeting.schema.json（已有則更新）(write both files into DIR)
    #[arg(long, value_name = "DIR", conflicts_with = "export")]
    pub out: Option<PathBuf>,
    /// 改為輸出開放資料包 meeting.json 的 JSON Schema (the schema of the exported meeting.json)
    #[arg(long)]
    pub export: bool,
}

#[derive(clap::Args)]
pub struct WatchCommand {
    #[command(flatten)]
    pub meeting: MeetingArg,
    /// 輸出目錄，預設 out/<系列>-<會議> (output directory)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// 重新產生 N 次後結束（測試用）(exit after N rebuilds; for tests)
    #[arg(long, hide = true)]
    pub max_rebuilds: Option<usize>,
    #[command(flatten)]
    pub checks: CheckArgs,
    #[command(flatten)]
    pub doc: DocArgs,
}

#[derive(clap::Args)]
pub struct CalendarCommand {
    #[command(subcommand)]
    pub action: Option<CalendarAction>,
    /// 要顯示的西元年，如 2027 (the year to show)
    pub year: Option<i32>,
    /// 一律依規定推算，不用官方日曆表 (compute the year from the rules even when an official one exists)
    #[arg(long)]
    pub computed: bool,
    /// 以官方 CSV 格式輸出（西元日期,星期,是否放假,備註；UTF-8 含 BOM、CRLF）(official CSV columns)
    #[arg(long)]
    pub csv: bool,
}

#[derive(Subcommand)]
pub enum CalendarAction {
    /// 安裝下載之官方辦公日曆表 CSV（UTF-8 或 Big5），此後每個指令自動使用 (install an official calendar CSV for every later command)
    Add {
        /// 行政院人事行政總處「政府行政機關辦公日曆表」CSV（data.gov.tw 資料集 14718）(the downloaded CSV)
        file: PathBuf,
    },
    /// 列出內建、已安裝與推算（暫定）之年份 (which years are embedded, installed or computed)
    List,
}

#[derive(clap::Args)]
pub struct ServeCommand {
    #[command(flatten)]
    pub series: SeriesArg,
    /// 連接埠，預設任一空閒連接埠 (port; default: any free port)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// 不自動開啟瀏覽器 (do not open the browser)
    #[arg(long, env = "PACKET_NO_OPEN", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_open: bool,
    #[command(flatten)]
    pub calendar: CalendarArgs,
    #[command(flatten)]
    pub doc: DocArgs,
}

#[derive(clap::Args)]
pub struct NewCommand {
    #[command(flatten)]
    pub series: SeriesArg,
    /// 會議日期，如 2024-10-15 或 113-10-15 (meeting date)
    #[arg(long)]
    pub date: String,
    /// 依屆次編號之小組：新會議屬第 N 屆（新的一屆自第 1 次起算；預設續上次會議之屆次）(the term, when numbered by term)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=999))]
    pub term: Option<u32>,
}

#[derive(clap::Args)]
pub struct TrackingCommand {
    #[command(flatten)]
    pub series: SeriesArg,
    /// 輸出 CSV（UTF-8 含 BOM）(CSV output)
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// 輸出 JSON (JSON output)
    #[arg(long)]
    pub json: bool,
}

/// The meeting a command works on.
#[derive(clap::Args)]
pub struct MeetingArg {
    /// 會議目錄或其 meeting.toml (meeting directory or its meeting.toml)
    pub meeting: PathBuf,
}

/// The series a command works on.
#[derive(clap::Args)]
pub struct SeriesArg {
    /// 系列目錄（含 group.toml）(series directory)
    pub series: PathBuf,
}

/// How a document is typeset: shared by build, minutes, watch and export.
#[derive(clap::Args)]
pub struct DocArgs {
    /// 額外字型目錄，可重複 (extra font directory, repeatable)
    #[arg(long = "font-path", value_name = "DIR")]
    pub font_path: Vec<PathBuf>,
    /// 內文字型（預設 TW-Kai 全字庫正楷體）(body font family)
    #[arg(long)]
    pub font: Option<String>,
    /// PDF 標準：a-2a+ua-1（預設，長期保存且無障礙）、a-2a、a-2u、a-2b、none（PDF 附件直接內嵌原頁面，不轉成圖片）
    /// (PDF standard; `none` allows PDF attachments)
    #[arg(long = "pdf-standard", value_name = "STD", default_value = "a-2a+ua-1", value_parser = parse_pdf_standard)]
    pub pdf_standard: PdfProfile,
    /// 不輸出進度訊息 (quiet)
    #[arg(short, long)]
    pub quiet: bool,
    /// Reproducible builds: the documents' creation date, in seconds since 1970, instead
    /// of the meeting's (read from the environment only).
    #[arg(long = "source-date-epoch", env = "SOURCE_DATE_EPOCH", hide = true)]
    pub source_date_epoch: Option<String>,
}

impl DocArgs {
    /// The fonts for a command on `place` (a meeting, its meeting.toml or a series): the
    /// embedded ones, `--font-path` and the series' 「字型」 folder.
    pub fn fonts(&self, place: &Path) -> Result<Arc<FontSet>, Diagnostics> {
        self.series_fonts(series_of(place))?.current()
    }

    /// The fonts of a series, its folder read again when it changes (the editor).
    pub fn series_fonts(&self, series: PathBuf) -> Result<SeriesFonts, Diagnostics> {
        Ok(SeriesFonts::new(Arc::new(FontSet::load(&self.font_path)?), series))
    }

    pub fn options(&self, out_dir: PathBuf, write_typst: bool) -> BuildOptions {
        BuildOptions {
            out_dir,
            write_typst,
            write_odt: false,
            font: self.font.clone(),
            pdf_profile: self.pdf_standard,
            source_date_epoch: self.source_date_epoch.clone(),
            editor: false,
        }
    }
}

/// The series a command's path belongs to: the folder itself when it is one, else the
/// parent of the meeting folder (as [`crate::model::Packet::load`] finds group.toml).
fn series_of(place: &Path) -> PathBuf {
    if crate::batch::is_series_dir(place) {
        return place.to_path_buf();
    }
    let meeting = if place.is_dir() { place } else { place.parent().unwrap_or(Path::new("")) };
    meeting.join("..")
}

/// `--pdf-standard`: the names of [`PdfProfile`], in any case, `,` for `+` as the typst
/// CLI writes it.
fn parse_pdf_standard(name: &str) -> Result<PdfProfile, String> {
    use clap::ValueEnum;
    let normal: String =
        name.trim().to_ascii_lowercase().replace(',', "+").chars().filter(|c| !c.is_whitespace()).collect();
    PdfProfile::from_str(&normal, true).map_err(|_| {
        let names: Vec<String> = PdfProfile::value_variants()
            .iter()
            .filter_map(|p| Some(p.to_possible_value()?.get_name().to_string()))
            .collect();
        format!("不支援的 PDF 標準「{name}」；可用：{}", names.join("、"))
    })
}

/// The rule checks a build runs first.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// 檢核有錯誤（如出席紀錄的委員代號不明）時仍產生 (build despite check errors)
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub calendar: CalendarArgs,
}

impl CheckArgs {
    pub fn checks(&self) -> Result<Checks, Diagnostics> {
        Ok(Checks { calendar: load_calendar(&self.calendar.files)?, force: self.force })
    }
}

#[derive(clap::Args)]
pub struct CalendarArgs {
    /// 辦公日曆表 CSV（UTF-8 或 Big5），新增或取代整年，可重複 (office-calendar CSV, adds or replaces whole years; repeatable)
    #[arg(long = "calendar", value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

const SCHEMA_HELP: &str = "\
不加選項時，於標準輸出印出 {\"group.toml\": …, \"meeting.toml\": …}。
編輯器（如 VS Code 的 Even Better TOML）依檔案第一行的 #:schema 讀取個別的檔案：
  group.toml    第一行  #:schema ./group.schema.json
  meeting.toml  第一行  #:schema ../meeting.schema.json
packet init 與 packet new 會寫入這一行；舊的系列可執行 packet schema --out 系列目錄。
(--out DIR writes group.schema.json and meeting.schema.json for the #:schema lines.)";

const COMPLETIONS_HELP: &str = "\
安裝方式 (install)：
  PowerShell  packet completions powershell | Out-String | Invoke-Expression
              （每次開啟都要生效：把這一行加入 $PROFILE）
  bash        packet completions bash > ~/.local/share/bash-completion/completions/packet
  zsh         packet completions zsh > ~/.zfunc/_packet（並於 ~/.zshrc 加 fpath+=~/.zfunc）";

const DEADLINES_HELP: &str = "\
期限定義（工作日 = 行政院人事行政總處「政府行政機關辦公日曆表」中「是否放假」為 0 的日子，內建 2017–2026 年）：
  materials_due      會議資料送達期限：會議日前第 5 個工作日（自會議前一日起往前數，會議日不計）
                     例：會議 2024-04-29 → 04-26、04-25、04-24、04-23、04-22 → 2024-04-22
  draft_minutes_due  會議紀錄草稿期限：會議日後第 N 個工作日（會議日不計），N 預設 10（--draft-days）
  publication_due    開放於政府資料開放平臺期限：會議日後第 14 個工作日
2025 年起未有官方日曆表之年份依規定推算，所得日期標示「暫定」（見 packet calendar --help）；
官方日曆表公布後以 packet calendar add FILE 安裝，或以 --calendar FILE 單次提供。
(materials_due = 5th working day before the meeting day; draft_minutes_due = N-th working
day after, N = 10 unless --draft-days; publication_due = 14th working day after; the meeting
day itself never counts.)";

const CALENDAR_HELP: &str = "\
用法 (usage)：
  packet calendar 2027 [--computed] [--csv]   顯示一年：有官方日曆表（內建或已安裝）用官方，否則依規定推算（暫定）
  packet calendar add 下載的.csv               安裝官方日曆表（整年；有誤之列會指出行號，且不安裝任何年份）
  packet calendar list                        列出內建、已安裝與推算之年份
安裝位置：PACKET_DATA_DIR，否則 Windows 為 %APPDATA%\\packet，其他系統為 $XDG_DATA_HOME/packet（預設 ~/.local/share/packet）。
推算規則：紀念日及節日實施條例之放假日；逢星期六於前一個上班日補假，逢星期日於次一個上班日補假；
除夕前一日至初三逢例假日者於春節假期後補假（政府機關配合紀念日與節日補假及調整放假處理要點，行政院 114-06-13）。
(Years without an official calendar are computed from the rules and marked 暫定 (provisional).)";

const CHECK_HELP: &str = "\
檢核項目（每項附規定出處）：
  日期    會議日為放假日；[dates] 所記 materials_sent / draft_minutes_sent / published 晚於期限
          （期限定義見 packet deadlines --help；group.toml [rules] 可改工作日數）
  開會人數 出席（親自或政府代表之代理）≥ 委員總數二分之一（設置要點第四點第三款），
          並列出運作指引「過半數」不同之處；民間代表親自出席 ≥ 3 人；民間代表不得代理（第七點）
  組成    召集人一人 + 委員總數（含召集人）≥ 11；民間代表 ≥ 1/3；任一性別 ≥ 1/3（原則：警告）；
          民間代表任期一至二年、續聘至多一次、會議日在聘期內（第三點第二款、第六點）
  完整性  臨時動議之案由與提案單位；記錄散會時間（定稿）後，出席紀錄與每案之決定（議）
  紀錄修正 [corrections]：回復期限（送達後第 N 個工作日，[rules] correction_days）前且尚有委員
          未回復即定稿或公開；並顯示修正程序狀態（未回復者期限屆滿視同無意見）
結束代碼：0 無發現（或僅警告）；1 有發現；2 輸入無法讀取或紀錄錯誤
(exit 0 clean or warnings only, 1 findings, 2 unreadable input or record errors)";

const EXPORT_HELP: &str = "\
系列資料包（packet export <系列目錄> -o DIR/；固定順序，zip 與資料夾內容相同）：
  <會議代號>-agenda.pdf   各次會議議程（含附件），如 113-1-agenda.pdf
  <會議代號>-minutes.pdf  各次會議紀錄公開版（草稿為 <會議代號>-minutes-draft.pdf，須加 --allow-draft）
  <會議代號>-agenda.odt   <會議代號>-minutes.odt  兩者之可編輯版（ODF，CNS 15251）
  <會議代號>-meeting.json 各次會議公開紀錄全文
  index.csv index.json    會議索引：每次會議一列，含各文件之下載網址（[open_data] base_url）
  items.csv decisions.csv opinions.csv attendance.csv members.csv tracking.csv
                          歷次會議之案件、決定（議）、發言、出席、委員、列管辦理情形
  recusals.csv votes.csv  利益迴避、表決（有會議紀錄者才列；紀錄草稿修正意見一律不公開）
  meeting.schema.json     <會議代號>-meeting.json 之 JSON Schema
一次會議之資料包（packet export <會議目錄>）：
  agenda.pdf minutes.pdf meeting.json  議程、會議紀錄公開版、公開紀錄全文
  agenda.odt minutes.odt  兩者之可編輯版（ODF；草稿為 minutes-draft.odt）
  meeting.csv items.csv decisions.csv opinions.csv attendance.csv members.csv tracking.csv
  meeting.schema.json
兩者皆有：
  datapackage.json        Frictionless Data Package（欄位型別、代碼、主鍵、外鍵）
  metadata.json           政府資料開放平臺詮釋資料（平臺欄位名稱及代碼）
  metadata.csv            上架表單之資料集欄位（一列）
  resources.csv           上架表單之資料資源欄位（每資源一列）
  SHA256SUMS              各檔 SHA-256（sha256sum -c SHA256SUMS）
CSV 為 UTF-8（含 BOM，供 Excel 直接開啟）、CRLF、中文欄名。
不公開之發言不出現在任何檔案；不記名者以委員甲等稱之。
時間戳記取自 SOURCE_DATE_EPOCH，未設定時取 [dates] published，再無則取會議日期與散會時間（系列取最新一次會議）；同樣輸入產生相同位元組。
(Public edition only; deterministic: timestamps from SOURCE_DATE_EPOCH or the meeting.)";
