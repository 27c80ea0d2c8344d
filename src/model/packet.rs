//! A meeting as loaded from disk: its meeting.toml, its series' group.toml, and where
//! they are; and the meeting directories of a series.

use std::path::{Path, PathBuf};

use super::{Group, Meeting, Numbering, SourceFile, load, validate};
use crate::diag::{Diagnostic, Diagnostics, Result, Severity, io_reason};
use crate::text::zh;

/// A meeting with its group, as loaded from disk.
pub struct Packet {
    /// `packets/<series>`: holds group.toml; the only directory Typst may read.
    pub series_dir: PathBuf,
    /// `packets/<series>/<meeting>`: holds meeting.toml.
    pub meeting_dir: PathBuf,
    pub group: Group,
    pub group_src: SourceFile,
    pub meeting: Meeting,
    pub meeting_src: SourceFile,
}

impl Packet {
    /// Load from a meeting directory or its meeting.toml; group.toml is in the parent.
    pub fn load(path: &Path) -> Result<Packet> {
        Self::load_from(path, None, None)
    }

    /// Load as [`Packet::load`] does, but with `group_text` as group.toml's text when given:
    /// what the meeting would be after an edit of the roster, before it is written.
    pub fn load_with_group(path: &Path, group_text: Option<&str>) -> Result<Packet> {
        Self::load_from(path, None, group_text)
    }

    /// Load as [`Packet::load`], with `meeting_text` read as the meeting.toml instead of
    /// the file (the editor's preview of what is typed and not yet saved; never written).
    pub fn load_with(path: &Path, meeting_text: Option<String>) -> Result<Packet> {
        Self::load_from(path, meeting_text, None)
    }

    /// Load with either file's text given in place of the file.
    fn load_from(path: &Path, meeting_text: Option<String>, group_text: Option<&str>) -> Result<Packet> {
        let meeting_file = if path.is_dir() { path.join("meeting.toml") } else { path.to_path_buf() };
        if !meeting_file.is_file() {
            return Err(Diagnostic::error("找不到 meeting.toml（請指定會議目錄或其 meeting.toml）")
                .at_file(&meeting_file)
                .into());
        }
        let meeting_dir = meeting_file.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        let meeting_dir = if meeting_dir.as_os_str().is_empty() { PathBuf::from(".") } else { meeting_dir };
        let group_file = meeting_dir.join("..").join("group.toml");
        let group_file = clean(&group_file);
        if !group_file.is_file() {
            return Err(Diagnostic::error("找不到小組設定檔 group.toml（應放在會議目錄的上一層）")
                .at_file(&group_file)
                .into());
        }
        // The series is the folder that holds group.toml, whatever links lie between: it
        // is the only folder documents may read from. A meeting folder that is a link
        // to somewhere else would make its files (and `..` from them) another folder's.
        let series_dir =
            group_file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).canonicalize();
        let real_meeting = meeting_dir.canonicalize();
        let (series_dir, real_meeting) = match (series_dir, real_meeting) {
            (Ok(s), Ok(m)) => (s, m),
            _ => return Err(Diagnostic::error("無法判斷會議所屬的系列目錄").at_file(&meeting_file).into()),
        };
        if real_meeting.parent() != Some(series_dir.as_path()) {
            return Err(Diagnostic::error(format!(
                "會議目錄連結到系列目錄之外（實際位置 {}）：請把會議目錄本身放在系列目錄（{}）內，不要用捷徑或連結",
                real_meeting.display(),
                series_dir.display()
            ))
            .at_file(&meeting_file)
            .into());
        }
        let group_src = match group_text {
            Some(text) => SourceFile { path: group_file.clone(), text: text.to_string() },
            None => SourceFile::read(&group_file)?,
        };
        let meeting_src = match meeting_text {
            Some(text) => SourceFile { path: meeting_file.clone(), text },
            None => SourceFile::read(&meeting_file)?,
        };
        // Report both files' problems at once.
        let group = load::<Group>(&group_src);
        let meeting = load::<Meeting>(&meeting_src);
        let (group, mut meeting) = match (group, meeting) {
            (Ok(g), Ok(m)) => (g, m),
            (g, m) => {
                let mut all = Vec::new();
                if let Err(e) = g {
                    all.extend(e.0);
                }
                if let Err(e) = m {
                    all.extend(e.0);
                }
                return Err(Diagnostics(all));
            }
        };
        // `attachments\01.png` as typed on Windows: `\` separates folders there.
        for item in meeting.reports.iter_mut().chain(meeting.discussions.iter_mut()) {
            for a in &mut item.attachments {
                a.file = a.file.replace('\\', "/");
            }
        }
        // The roster as it stood on the meeting's date.
        let group = group.as_of(meeting.date);
        let packet = Packet { series_dir, meeting_dir, group, group_src, meeting, meeting_src };
        let mut problems = validate::validate(&packet);
        problems.extend(title_errors(&packet));
        if problems.iter().any(|d| d.severity == Severity::Error) {
            return Err(Diagnostics(problems));
        }
        Ok(packet)
    }

    /// Whether this meeting's tracking table needs its series: generated from it (`track =
    /// true`), or typed by hand (`[[…tracking]]` rows are decisions of the series too).
    pub(crate) fn tracks(&self) -> bool {
        self.meeting.reports.iter().chain(&self.meeting.discussions).any(|it| it.track || !it.tracking.is_empty())
    }

    /// Name used for output folders: `<series>-<meeting>`, e.g. `dgbas-113-1`.
    pub(crate) fn slug(&self) -> String {
        let name = |p: &Path| p.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let meeting = name(&self.meeting_dir.canonicalize().unwrap_or_else(|_| self.meeting_dir.clone()));
        format!("{}-{}", name(&self.series_dir), meeting)
    }

    /// 「政府資料開放諮詢小組」113 年第 1 次會議 (group.toml `title`, `numbering`).
    pub(crate) fn meeting_title(&self) -> String {
        self.title_parts().into_iter().map(|(s, _)| s).collect()
    }

    /// Whether the title names the agency itself (`{機關}` in group.toml `title`).
    pub(crate) fn title_has_agency(&self) -> bool {
        self.group.title.as_deref().is_some_and(|t| t.contains("{機關}"))
    }

    /// The title in pieces: `(text, true)` for a filled-in name, which a line break
    /// must not split, `(text, false)` for the text around it.
    pub(crate) fn title_parts(&self) -> Vec<(String, bool)> {
        let default = match self.group.numbering {
            Numbering::Yearly => "「{小組}」{年} 年第 {次} 次會議",
            Numbering::Continuous => "「{小組}」第 {次} 次會議",
            Numbering::Term => "「{小組}」第 {屆} 屆第 {次} 次會議",
        };
        let template = self.group.title.as_deref().unwrap_or(default);
        let mut out = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let Some(len) = rest[open..].find('}') else { break };
            let key = &rest[open + 1..open + len];
            let value = match key {
                "機關" => self.group.agency.clone(),
                "小組" => self.group.name.clone(),
                "年" => zh::roc_year(self.meeting.date.0).to_string(),
                "次" => self.meeting.number.to_string(),
                "屆" => self.meeting.term.unwrap_or(0).to_string(),
                _ => {
                    out.push((rest[..open + len + 1].to_string(), false));
                    rest = &rest[open + len + 1..];
                    continue;
                }
            };
            if open > 0 {
                out.push((rest[..open].to_string(), false));
            }
            out.push((value, true));
            rest = &rest[open + len + 1..];
        }
        if !rest.is_empty() {
            out.push((rest.to_string(), false));
        }
        out
    }

    /// 會議代號, the prefix of every decision id: `113-1` (yearly), `5` (continuous) or
    /// `3-2` (第 3 屆第 2 次).
    pub(crate) fn meeting_code(&self) -> String {
        match self.group.numbering {
            Numbering::Yearly => format!("{}-{}", zh::roc_year(self.meeting.date.0), self.meeting.number),
            Numbering::Continuous => self.meeting.number.to_string(),
            Numbering::Term => format!("{}-{}", self.meeting.term.unwrap_or(0), self.meeting.number),
        }
    }

    /// An attachment's path relative to the series directory (`113-1/attachments/x.csv`).
    pub(crate) fn attachment_rel_path(&self, file: &str) -> PathBuf {
        let meeting = self.meeting_dir.canonicalize().unwrap_or_else(|_| self.meeting_dir.clone());
        let rel = meeting.strip_prefix(&self.series_dir).map(Path::to_path_buf).unwrap_or_default();
        normalize(&rel.join(file)).unwrap_or_else(|| rel.join(file))
    }
}

/// A group.toml `title` with an unknown `{…}` placeholder.
fn title_errors(packet: &Packet) -> Vec<Diagnostic> {
    let Some(t) = packet.group.title.as_deref() else { return Vec::new() };
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else { break };
        let key = &rest[open + 1..open + len];
        let term = packet.group.numbering == Numbering::Term;
        let known = matches!(key, "機關" | "小組" | "年" | "次") || (term && key == "屆");
        if !known {
            let keys = if term {
                "{機關}、{小組}、{年}、{屆}、{次}"
            } else {
                "{機關}、{小組}、{年}、{次}"
            };
            out.push(packet.group_src.error_at("title", format!("標題中的「{{{key}}}」無法代入：可用 {keys}")));
        }
        rest = &rest[open + len + 1..];
    }
    if packet.group.numbering == Numbering::Term && !t.contains("{屆}") {
        out.push(packet.group_src.error_at("title", "小組依屆次編號時，標題須含屆次 {屆}"));
    }
    if !t.contains("{次}") {
        out.push(packet.group_src.error_at("title", "標題須含會議次數 {次}（例如「{小組}」第 {次} 次會議）"));
    }
    out
}

/// The meeting directories of a series, sorted by name.
pub fn meeting_dirs(series: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(series)
        .map_err(|e| Diagnostic::error(format!("無法讀取系列目錄：{}", io_reason(&e))).at_file(series))?;
    let mut dirs: Vec<PathBuf> =
        entries.flatten().map(|e| e.path()).filter(|p| p.join("meeting.toml").is_file()).collect();
    dirs.sort();
    Ok(dirs)
}

fn clean(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir
                if matches!(out.components().next_back(), Some(std::path::Component::Normal(_))) =>
            {
                out.pop();
            }
            c => out.push(c),
        }
    }
    if out.as_os_str().is_empty() { PathBuf::from(".") } else { out }
}

/// `a/./b/../c` → `a/c`; `None` when it climbs above the start or is absolute.
pub(crate) fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::Normal(s) => out.push(s),
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(out)
}
