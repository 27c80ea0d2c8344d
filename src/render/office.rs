//! Word, ODF and RTF attachments converted to PDF by LibreOffice, when it is installed,
//! then bound as any PDF attachment. LibreOffice runs sandboxed: on a copy of the file
//! in a temporary folder of its own (it never opens, locks or writes beside the user's
//! file), with a fresh profile of its own in which macros are off and links to files
//! on other sites are not fetched, within a time limit after which its whole process
//! tree is killed, and with size limits on what goes in and comes out. A conversion is
//! cached under the user's packet data folder by the document's content hash.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The extensions converted.
pub const OFFICE_EXTENSIONS: &[&str] = &["docx", "doc", "odt", "rtf", "pptx", "odp"];

/// Largest document converted: 64 MiB (a long report with photos is a few MB).
pub const MAX_OFFICE_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// Largest PDF a conversion may produce: 256 MiB, the whole meeting's input limit.
pub const MAX_OFFICE_OUTPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Longest a conversion may run (a 50-page .docx took 6.5 s, BENCHMARKS.md); `PACKET_SOFFICE_TIMEOUT`
/// (seconds) sets another for a slow PC.
pub const OFFICE_TIME_LIMIT: Duration = Duration::from_secs(120);

/// `bytes`, a document with extension `ext` (lower case), as PDF.
pub(super) fn to_pdf(bytes: &[u8], ext: &str, file: &str) -> Result<Vec<u8>, String> {
    if bytes.len() > MAX_OFFICE_INPUT_BYTES {
        return Err(format!(
            "文書檔「{file}」有 {:.1} MiB，上限 {} MiB；請在 Word 或 LibreOffice 中「另存新檔」為 PDF（或縮小其中的圖片）後附加",
            bytes.len() as f64 / 1048576.0,
            MAX_OFFICE_INPUT_BYTES / 1024 / 1024
        ));
    }
    if let Some(problem) = format_problem(bytes, ext) {
        return Err(format!("文書檔「{file}」{problem}"));
    }
    let key = cache_key(bytes, ext);
    if let Some(pdf) = cached(&key) {
        return Ok(pdf);
    }
    let soffice = find_soffice().ok_or_else(|| missing(file))?;
    let pdf = convert(&soffice, bytes, ext, file)?;
    store(&key, &pdf);
    Ok(pdf)
}

/// What a reader calls a file of extension `ext` (lower case): 「Word 檔」, 「PDF 檔」.
pub fn kind_name(ext: &str) -> &'static str {
    match ext {
        "docx" | "doc" => "Word 檔",
        "pptx" => "PowerPoint 檔",
        "odt" => "ODF 文字檔",
        "odp" => "ODF 簡報檔",
        "rtf" => "RTF 檔",
        _ => "PDF 檔",
    }
}

/// Most bytes the parts of a `.docx` / `.pptx` / `.odt` / `.odp` may expand to (summed
/// from the zip's directory before LibreOffice opens it): 512 MiB.
pub const MAX_OFFICE_EXPANDED_BYTES: u64 = 512 * 1024 * 1024;

/// Why `bytes` is not the document its extension says, or expands too far; judged
/// before LibreOffice sees it (which would otherwise print a damaged file as plain text).
fn format_problem(bytes: &[u8], ext: &str) -> Option<String> {
    let (kind, main) = match ext {
        "docx" => ("Word（.docx）", "word/document.xml"),
        "pptx" => ("PowerPoint（.pptx）", "ppt/presentation.xml"),
        "odt" | "odp" => ("ODF", "content.xml"),
        "doc" => {
            let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
            return (!ole)
                .then(|| "不是有效的舊版 Word（.doc）檔；請在 Word 中「另存新檔」為 .docx 或 PDF 後附加".into());
        }
        _ => {
            return (!bytes.starts_with(b"{\\rtf")).then(|| "不是有效的 RTF 檔（檔頭不是 {\\rtf）".into());
        }
    };
    let damaged = || {
        Some(format!(
            "不是有效的 {kind} 檔案（已損毀，或副檔名與內容不符）；請在 Word 或 LibreOffice 中重新存檔或「另存新檔」為 PDF 後附加"
        ))
    };
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return damaged();
    };
    if archive.index_for_name(main).is_none() {
        return damaged();
    }
    let mut expanded = 0u64;
    for i in 0..archive.len() {
        if let Ok(entry) = archive.by_index_raw(i) {
            expanded = expanded.saturating_add(entry.size());
        }
    }
    (expanded > MAX_OFFICE_EXPANDED_BYTES).then(|| {
        format!(
            "解壓縮後有 {} MiB，上限 {} MiB；請縮小其中的圖片或「另存新檔」為 PDF 後附加",
            expanded / 1024 / 1024,
            MAX_OFFICE_EXPANDED_BYTES / 1024 / 1024
        )
    })
}

/// What to do without LibreOffice.
fn missing(file: &str) -> String {
    format!(
        "文書檔「{file}」需要 LibreOffice 才能轉成 PDF 附加，但本機找不到 LibreOffice（soffice）：\
         請安裝 LibreOffice（免費，https://www.libreoffice.org/ ，或向機關資訊單位申請），\
         或在 Word 中以「檔案 → 另存新檔 → 存檔類型：PDF」存成 PDF 後改附加 .pdf 檔"
    )
}

/// LibreOffice's `soffice`: `PACKET_SOFFICE`, else on PATH, else in its usual install
/// folders (Windows: Program Files; macOS: Applications).
pub fn find_soffice() -> Option<PathBuf> {
    // Set: that program, or none when it is not there (no search elsewhere).
    if let Some(p) = std::env::var_os("PACKET_SOFFICE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let names: &[&str] = if cfg!(windows) { &["soffice.exe", "soffice.com"] } else { &["soffice", "libreoffice"] };
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)));
    let mut usual: Vec<PathBuf> = Vec::new();
    for var in ["ProgramFiles", "ProgramFiles(x86)", "ProgramW6432", "LOCALAPPDATA"] {
        if let Some(base) = std::env::var_os(var) {
            let base = PathBuf::from(base);
            usual.push(base.join("LibreOffice").join("program").join("soffice.exe"));
            usual.push(base.join("Programs").join("LibreOffice").join("program").join("soffice.exe"));
        }
    }
    usual.push(PathBuf::from("/Applications/LibreOffice.app/Contents/MacOS/soffice"));
    usual.push(PathBuf::from("/usr/lib/libreoffice/program/soffice"));
    usual.push(PathBuf::from("/opt/libreoffice/program/soffice"));
    on_path.chain(usual).find(|p| p.is_file())
}

/// The profile settings of the sandbox: no macros, no fetching of linked files from
/// other sites, no update checks.
const PROFILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="PerformFileLinkUpdates" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments"><prop oor:name="AutoCheckEnabled" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"#;

/// Run LibreOffice on a copy of the document in a temporary folder, with its own profile.
fn convert(soffice: &Path, bytes: &[u8], ext: &str, file: &str) -> Result<Vec<u8>, String> {
    let failed = |why: String| {
        format!(
            "文書檔「{file}」無法以 LibreOffice 轉成 PDF（{why}）；請在 Word 或 LibreOffice 中「另存新檔」為 PDF 後附加"
        )
    };
    let work = tempfile::Builder::new().prefix("packet-office-").tempdir().map_err(|e| failed(e.to_string()))?;
    let (input, out, profile) =
        (work.path().join(format!("document.{ext}")), work.path().join("out"), work.path().join("profile"));
    let setup = || -> std::io::Result<()> {
        std::fs::create_dir_all(profile.join("user"))?;
        std::fs::create_dir_all(&out)?;
        std::fs::write(profile.join("user").join("registrymodifications.xcu"), PROFILE)?;
        std::fs::write(&input, bytes)
    };
    setup().map_err(|e| failed(e.to_string()))?;
    let profile_url = url::Url::from_directory_path(&profile).map_err(|_| failed("暫存資料夾路徑無效".into()))?;
    let log = std::fs::File::create(work.path().join("log.txt")).map_err(|e| failed(e.to_string()))?;
    let mut cmd = Command::new(soffice);
    cmd.arg(format!("-env:UserInstallation={profile_url}"))
        .args(["--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault", "--nologo"])
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .arg(&input)
        .current_dir(work.path())
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| failed(e.to_string()))?)
        .stderr(log);
    new_process_group(&mut cmd);
    let mut child = cmd.spawn().map_err(|e| failed(format!("無法啟動 {}：{e}", soffice.display())))?;
    let limit = time_limit();
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > limit => {
                kill_tree(&mut child);
                return Err(format!(
                    "文書檔「{file}」的轉檔超過 {} 秒仍未完成，已中止 LibreOffice；檔案可能過大或有異常：請在 Word 或 LibreOffice 中「另存新檔」為 PDF 後附加",
                    limit.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(failed(e.to_string())),
        }
    };
    let pdf = out.join("document.pdf");
    let size = std::fs::metadata(&pdf).map(|m| m.len());
    match size {
        Ok(n) if n > MAX_OFFICE_OUTPUT_BYTES => {
            Err(failed(format!("轉出的 PDF 超過 {} MiB", MAX_OFFICE_OUTPUT_BYTES / 1024 / 1024)))
        }
        Ok(_) => std::fs::read(&pdf).map_err(|e| failed(e.to_string())),
        Err(_) if !status.success() => Err(failed(format!("LibreOffice 結束代碼 {status}"))),
        Err(_) => Err(failed("LibreOffice 沒有產生 PDF；檔案可能已損毀或不是所稱的格式".into())),
    }
}

fn time_limit() -> Duration {
    std::env::var("PACKET_SOFFICE_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|&s| s > 0)
        .map(Duration::from_secs)
        .unwrap_or(OFFICE_TIME_LIMIT)
}

/// LibreOffice starts helper processes (oosplash → soffice.bin): in a process group of
/// their own, they can be killed together.
#[cfg(unix)]
fn new_process_group(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0);
}

#[cfg(not(unix))]
fn new_process_group(_: &mut Command) {}

/// Kill the process and everything it started.
fn kill_tree(child: &mut std::process::Child) {
    let pid = child.id().to_string();
    if cfg!(windows) {
        let _ = Command::new("taskkill").args(["/T", "/F", "/PID", &pid]).stdout(Stdio::null()).status();
    } else {
        // The group the child leads (see `new_process_group`).
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{pid}")]).stderr(Stdio::null()).status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn cache_key(bytes: &[u8], ext: &str) -> String {
    use sha2::Digest;
    let hash: String = sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
    format!("{hash}-{ext}.pdf")
}

/// The cache folder: under the user's packet data folder, never beside their files.
fn cache_dir() -> Option<PathBuf> {
    crate::model::calendar::installed::data_dir().map(|d| d.join("office-cache"))
}

fn cached(key: &str) -> Option<Vec<u8>> {
    let path = cache_dir()?.join(key);
    crate::model::input::read_regular(&path, MAX_OFFICE_OUTPUT_BYTES).ok()
}

/// Keep a conversion; a cache that cannot be written only costs the next build time.
fn store(key: &str, pdf: &[u8]) {
    if let Some(dir) = cache_dir()
        && std::fs::create_dir_all(&dir).is_ok()
    {
        let _ = crate::output::write_atomic(&dir.join(key), pdf);
    }
}
