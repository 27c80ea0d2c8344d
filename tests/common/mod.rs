//! Helpers shared by the integration tests: run the real binary, read the real PDF.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real `packet` binary with its arguments, environment and working directory:
/// `Run::new(&["build", "dgbas/113-1"]).cwd(dir).env("SOURCE_DATE_EPOCH", "0").output()`.
pub struct Run {
    cmd: Command,
}

impl Run {
    pub fn new(args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_packet"));
        cmd.args(args);
        pin_today(&mut cmd);
        Run { cmd }
    }

    pub fn cwd(mut self, dir: &Path) -> Run {
        self.cmd.current_dir(dir);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Run {
        self.cmd.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Run {
        self.cmd.env_remove(key);
        self
    }

    /// The command itself, e.g. to spawn it with pipes.
    pub fn command(self) -> Command {
        self.cmd
    }

    pub fn output(mut self) -> Output {
        self.cmd.output().expect("run packet")
    }
}

/// The day every test's `packet` takes for today (`PACKET_TODAY`): a working day whose
/// deadlines fall inside the embedded calendar, so that no result depends on the day the
/// tests run.
pub const PINNED_TODAY: &str = "2026-06-02";

/// Pin the binary's "today" to [`PINNED_TODAY`], and its data folder to an empty one.
pub fn pin_today(cmd: &mut Command) {
    cmd.env("PACKET_TODAY", PINNED_TODAY);
    // No calendar installed (a test that installs one sets its own folder): the user's own
    // installed calendars must not change what a test sees.
    cmd.env("PACKET_DATA_DIR", PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("no-packet-data"));
}

/// Run `packet` with `args` in `cwd`.
pub fn packet(cwd: &Path, args: &[&str]) -> Output {
    Run::new(args).cwd(cwd).output()
}

/// A folder for results that several tests read and none changes, made anew once per
/// test run under the target directory.
pub fn shared_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("shared").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Copy a directory tree (the example series) so a test can change it freely.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A temporary copy of `packets/dgbas`.
pub fn example_series() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets/dgbas"), &dir.path().join("dgbas"));
    dir
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed for this test (apt-get install poppler-utils): {e}"));
    assert!(out.status.success(), "{name} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The PDF's text layer in reading order (pdftotext, no layout).
pub fn pdf_text(pdf: &Path) -> String {
    tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
}

/// The text layer in content-stream order (`pdftotext -raw`): each table cell's text
/// stays together instead of being interleaved line by line with its neighbours.
pub fn pdf_text_raw(pdf: &Path) -> String {
    tool("pdftotext", &["-raw", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
}

/// Text of one page (1-based).
pub fn pdf_page_text(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    tool("pdftotext", &["-enc", "UTF-8", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"])
}

/// pdfinfo's `Key: value` lines, dates in ISO 8601.
pub fn pdf_info(pdf: &Path) -> String {
    tool("pdfinfo", &["-isodates", pdf.to_str().unwrap()])
}

/// The document's XMP metadata (pdfinfo -meta).
pub fn pdf_xmp(pdf: &Path) -> String {
    tool("pdfinfo", &["-meta", pdf.to_str().unwrap()])
}

/// Whether the XMP sets `prefix:name` to `value`, as an element or an attribute.
pub fn xmp_has(xmp: &str, prop: &str, value: &str) -> bool {
    xmp.contains(&format!("<{prop}>{value}</{prop}>")) || xmp.contains(&format!("{prop}=\"{value}\""))
}

pub fn pdf_pages(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .expect("pdfinfo prints Pages:")
}

/// (name, type, embedded) of every font in the PDF (pdffonts).
pub fn pdf_fonts(pdf: &Path) -> Vec<(String, String, bool)> {
    let out = tool("pdffonts", &[pdf.to_str().unwrap()]);
    out.lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            // name type... encoding emb sub uni object ID
            let n = cols.len();
            (cols[0].to_string(), cols[1..n - 6].join(" "), cols[n - 5] == "yes")
        })
        .collect()
}

/// Letters, digits and CJK characters only: what the fidelity figure compares.
pub fn word_chars(s: &str) -> Vec<char> {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Every XML part of an ODT (content, styles, metadata) in one string.
pub fn odt_xml(odt: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(odt).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        if part.name().unwrap().ends_with(".xml") {
            std::io::Read::read_to_string(&mut part, &mut all).unwrap();
        }
    }
    all
}

/// Text with all whitespace removed (pdftotext wraps lines where the PDF does).
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Length of the longest common subsequence (bit-parallel, Hyyrö 2004).
pub fn lcs_len(a: &[char], b: &[char]) -> usize {
    use std::collections::HashMap;
    let words = a.len().div_ceil(64).max(1);
    let mut masks: HashMap<char, Vec<u64>> = HashMap::new();
    for (i, &c) in a.iter().enumerate() {
        masks.entry(c).or_insert_with(|| vec![0; words])[i / 64] |= 1 << (i % 64);
    }
    let zero = vec![0u64; words];
    let mut v = vec![u64::MAX; words];
    for c in b {
        let m = masks.get(c).unwrap_or(&zero);
        let mut carry = 0u64;
        for k in 0..words {
            let u = v[k] & m[k];
            let (s1, c1) = v[k].overflowing_add(u);
            let (s2, c2) = s1.overflowing_add(carry);
            carry = (c1 || c2) as u64;
            v[k] = s2 | (v[k] - u);
        }
    }
    // Each zero bit among the first a.len() positions is one matched character.
    (0..a.len()).filter(|&i| v[i / 64] & (1 << (i % 64)) == 0).count()
}

#[test]
fn lcs_is_right_on_small_cases() {
    let c = |s: &str| s.chars().collect::<Vec<_>>();
    assert_eq!(lcs_len(&c("ABCBDAB"), &c("BDCABA")), 4);
    assert_eq!(lcs_len(&c("政府資料開放"), &c("政府開放資料")), 4);
    assert_eq!(lcs_len(&c(""), &c("abc")), 0);
    let long: Vec<char> = (0..200).map(|i| char::from(b'a' + (i % 7) as u8)).collect();
    assert_eq!(lcs_len(&long, &long), 200);
}

// ─── Series written by the tests ─────────────────────────────────────────────────────

/// Write `contents` to `rel` below `root`, creating the folders on the way.
/// Replace the single occurrence of `from` in `root/rel` by `to`. `from` must occur
/// exactly once, so a setup edit that silently does nothing (or
/// something else) fails the test.
pub fn edit_file(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "setup: «{from}» must occur once in {rel}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

pub fn write_file(root: &Path, rel: &str, contents: impl AsRef<[u8]>) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// One `[[member]]` of a group.toml.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub title: String,
    pub organisation: String,
    /// 民間代表 (otherwise 機關代表).
    pub civil: bool,
    pub female: bool,
    /// `role = "召集人"`.
    pub convener: bool,
    /// `term_start`, `term_end` as TOML dates.
    pub term: Option<(String, String)>,
    pub renewals: Option<u32>,
}

impl Member {
    /// A government member (機關代表); `gender` is 男 or 女.
    pub fn gov(id: &str, name: &str, title: &str, organisation: &str, gender: &str) -> Self {
        Member {
            id: id.into(),
            name: name.into(),
            title: title.into(),
            organisation: organisation.into(),
            civil: false,
            female: match gender {
                "男" => false,
                "女" => true,
                _ => panic!("gender is 男 or 女, not {gender}"),
            },
            convener: false,
            term: None,
            renewals: None,
        }
    }

    /// A civil member (民間代表) serving from `start` to `end` (TOML dates).
    pub fn civil(
        id: &str,
        name: &str,
        title: &str,
        organisation: &str,
        gender: &str,
        (start, end): (&str, &str),
    ) -> Self {
        Member {
            civil: true,
            term: Some((start.into(), end.into())),
            ..Member::gov(id, name, title, organisation, gender)
        }
    }

    /// The convener (召集人).
    pub fn convener(self) -> Self {
        Member { convener: true, ..self }
    }

    /// Reappointed `n` times (`renewals = n`).
    pub fn renewals(self, n: u32) -> Self {
        Member { renewals: Some(n), ..self }
    }

    /// The `[[member]]` table: id, name, title, organisation, kind, gender, then role,
    /// term and renewals where set (strings quoted as TOML).
    pub fn toml(&self) -> String {
        let q = |s: &str| toml::Value::String(s.into()).to_string();
        let kind = if self.civil { "民間代表" } else { "機關代表" };
        let gender = if self.female { "女" } else { "男" };
        let mut s = format!(
            "[[member]]\nid = {}\nname = {}\ntitle = {}\norganisation = {}\nkind = \"{kind}\"\ngender = \"{gender}\"\n",
            q(&self.id),
            q(&self.name),
            q(&self.title),
            q(&self.organisation),
        );
        if self.convener {
            s.push_str("role = \"召集人\"\n");
        }
        if let Some((start, end)) = &self.term {
            s.push_str(&format!("term_start = {start}\nterm_end = {end}\n"));
        }
        if let Some(n) = self.renewals {
            s.push_str(&format!("renewals = {n}\n"));
        }
        s
    }
}

/// A group.toml: `head` (agency, name, … and any tables) and then the members, each after
/// a blank line.
pub fn group_file(head: &str, members: &[Member]) -> String {
    let mut s = head.to_string();
    for m in members {
        s.push('\n');
        s.push_str(&m.toml());
    }
    s
}

/// A PDF of these objects (numbered from 1) with a correct cross-reference table.
pub(crate) fn pdf_of(objects: &[String]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        pdf.extend(format!("{o:010} 00000 n \n").bytes());
    }
    pdf.extend(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).bytes());
    pdf
}
