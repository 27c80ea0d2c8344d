//! A meeting as loaded from disk: its meeting.toml, its series' group.toml, and where
//! they are; and the meeting directories of a series.

use std::path::{Path, PathBuf};

use super::{Group, Meeting, SourceFile, load, validate};
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
        let meeting_file = if path.is_dir() {
            path.join("meeting.toml")
        } else {
            path.to_path_buf()
        };
        if !meeting_file.is_file() {
            return Err(Diagnostic::error(
                "找不到 meeting.toml（請指定會議目錄或其 meeting.toml）",
            )
            .at_file(&meeting_file)
            .into());
        }
        let meeting_dir = meeting_file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let meeting_dir = if meeting_dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            meeting_dir
        };
        let group_file = meeting_dir.join("..").join("group.toml");
        let group_file = clean(&group_file);
        if !group_file.is_file() {
            return Err(
                Diagnostic::error("找不到小組設定檔 group.toml（應放在會議目錄的上一層）")
                    .at_file(&group_file)
                    .into(),
            );
        }
        // The series is the folder that holds group.toml, whatever links lie between: it
        // is the only folder documents may read from. A meeting folder that is a link
        // to somewhere else would make its files (and `..` from them) another folder's.
        let series_dir = group_file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).canonicalize();
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
        let group_src = SourceFile::read(&group_file)?;
        let meeting_src = SourceFile::read(&meeting_file)?;
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
        let packet = Packet {
            series_dir,
            meeting_dir,
            group,
            group_src,
            meeting,
            meeting_src,
        };
        let problems = validate::validate(&packet);
        if problems
            .iter()
            .any(|d| d.severity == Severity::Error)
        {
            return Err(Diagnostics(problems));
        }
        Ok(packet)
    }

    /// Whether a tracking item of this meeting is generated from the series (`track = true`).
    pub(crate) fn tracks(&self) -> bool {
        self.meeting.reports.iter().chain(&self.meeting.discussions).any(|it| it.track)
    }

    /// Name used for output folders: `<series>-<meeting>`, e.g. `dgbas-113-1`.
    pub(crate) fn slug(&self) -> String {
        let name = |p: &Path| {
            p.file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let meeting = name(
            &self
                .meeting_dir
                .canonicalize()
                .unwrap_or_else(|_| self.meeting_dir.clone()),
        );
        format!("{}-{}", name(&self.series_dir), meeting)
    }

    /// 「政府資料開放諮詢小組」113 年第 1 次會議
    pub(crate) fn meeting_title(&self) -> String {
        format!(
            "「{}」{} 年第 {} 次會議",
            self.group.name,
            zh::roc_year(self.meeting.date.0),
            self.meeting.number
        )
    }

    /// An attachment's path relative to the series directory (`113-1/attachments/x.csv`).
    pub(crate) fn attachment_rel_path(&self, file: &str) -> PathBuf {
        let meeting = self
            .meeting_dir
            .canonicalize()
            .unwrap_or_else(|_| self.meeting_dir.clone());
        let rel = meeting
            .strip_prefix(&self.series_dir)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        normalize(&rel.join(file)).unwrap_or_else(|| rel.join(file))
    }
}

/// The meeting directories of a series, sorted by name.
pub fn meeting_dirs(series: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(series).map_err(|e| {
        Diagnostic::error(format!("無法讀取系列目錄：{}", io_reason(&e))).at_file(series)
    })?;
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
                if matches!(
                    out.components().next_back(),
                    Some(std::path::Component::Normal(_))
                ) =>
            {
                out.pop();
            }
            c => out.push(c),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
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
