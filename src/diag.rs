//! One diagnostics type for every stage, printed as `file:line:col: field.path: 訊息`.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a finding is; decides the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    /// A rule finding (`packet check`): exit 1.
    Finding,
    /// Bad input or failure: exit 2.
    Error,
}

/// Where a diagnostic points: a file and, when known, a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub col: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Option<Location>,
    /// ASCII field path such as `report[1].title`; empty when not about a field.
    pub field: String,
    /// Message in Traditional Chinese.
    pub message: String,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self { severity: Severity::Error, location: None, field: String::new(), message: message.into() }
    }

    pub(crate) fn at_file(mut self, file: impl AsRef<Path>) -> Self {
        self.location = Some(Location { file: file.as_ref().to_path_buf(), line: None, col: None });
        self
    }

    pub fn at(mut self, file: impl AsRef<Path>, line: usize, col: usize) -> Self {
        self.location = Some(Location { file: file.as_ref().to_path_buf(), line: Some(line), col: Some(col) });
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// `text` with every character that could act on a terminal or hide what follows shown
/// as a visible code instead: control characters (C0 but tab, DEL, C1) as `\x1B`, and
/// the bidirectional controls, line and paragraph separators and byte-order mark as
/// `\u{202E}`. A line break in a message prints as `\n`: one diagnostic is one line, so
/// no key, value or file name can erase a line or print a fake one.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = is_hidden;
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if hidden(c) && (c as u32) < 0x100 => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if hidden(c) => out.push_str(&format!("\\u{{{:04X}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// JSON for the terminal: serde_json escapes C0 controls but writes DEL, C1 controls
/// (0x9B is a CSI to many terminals), bidi overrides and line separators raw; those
/// are written as `\uXXXX` escapes here, so the document means the same to a JSON
/// reader and shows nothing hidden on a screen. They can only occur inside strings.
pub fn json_for_terminal<T: serde::Serialize + ?Sized>(value: &T, pretty: bool) -> String {
    let json = if pretty { serde_json::to_string_pretty(value) } else { serde_json::to_string(value) };
    let json = json.unwrap_or_default();
    // A raw line break is the pretty layout's own (serde_json escapes those in strings).
    let hidden = |c: char| c != '\n' && is_hidden(c);
    if !json.chars().any(hidden) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters a terminal does not show as themselves: controls (but tab), bidi
/// controls, line and paragraph separators, the BOM.
fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069 | 0x2028 | 0x2029 | 0x200E | 0x200F | 0x061C | 0xFEFF)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{}", printable(&loc.file.display().to_string()))?;
            if let (Some(line), Some(col)) = (loc.line, loc.col) {
                write!(f, ":{line}:{col}")?;
            }
            write!(f, ": ")?;
        }
        if !self.field.is_empty() {
            write!(f, "{}: ", printable(&self.field))?;
        }
        if self.severity == Severity::Warning {
            write!(f, "警告：")?;
        }
        write!(f, "{}", printable(&self.message))
    }
}

/// A non-empty list of diagnostics: the error type of every stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Exit status: 2 for errors, 1 for findings only, 0 for warnings only.
    pub fn exit_code(&self) -> i32 {
        match self.0.iter().map(|d| d.severity).max() {
            Some(Severity::Error) => 2,
            Some(Severity::Finding) => 1,
            _ => 0,
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

pub type Result<T> = std::result::Result<T, Diagnostics>;

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..src.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// A short Chinese reason for common I/O errors.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "找不到檔案 (not found)".into(),
        PermissionDenied => "沒有權限 (permission denied)".into(),
        AlreadyExists => "檔案已存在 (already exists)".into(),
        IsADirectory => "這是目錄，不是檔案 (is a directory)".into(),
        _ => format!("{e}"),
    }
}
