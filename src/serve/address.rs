//! The editor's address kept per series between runs, so that a bookmark or a tab left
//! open works again after a restart: the port and the token are kept in the user's data
//! folder (`serve/<hash of the series' path>.toml`: the user's own, like the token in the
//! browser's history), never in the series, which may be shared. The port is taken again
//! when it is free; the Host, token and Origin checks are the same as for a new address.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

/// The largest address file read (one is under 1 KB).
const MAX_FILE: u64 = 16 * 1024;

/// An editor's port and token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Address {
    pub port: u16,
    pub token: String,
}

/// Where the address of `series` (a canonical path) is kept, if the user has a data folder.
fn file_of(series: &Path) -> Option<PathBuf> {
    let dir = crate::model::calendar::installed::data_dir()?.join("serve");
    let hash = Sha256::digest(series.as_os_str().as_encoded_bytes());
    Some(dir.join(format!("{}.toml", super::state::hex(&hash[..16]))))
}

/// The address kept for `series`, when there is one and it is well formed.
pub(super) fn kept(series: &Path) -> Option<Address> {
    let mut text = String::new();
    std::fs::File::open(file_of(series)?).ok()?.take(MAX_FILE).read_to_string(&mut text).ok()?;
    let table: toml::Table = text.parse().ok()?;
    // Another series whose path hashes the same (never in practice): not its address.
    if table.get("series")?.as_str()? != series.to_string_lossy() {
        return None;
    }
    let port = u16::try_from(table.get("port")?.as_integer()?).ok().filter(|p| *p != 0)?;
    let token = table.get("token")?.as_str()?;
    let well_formed = token.len() == 32 && token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    well_formed.then(|| Address { port, token: token.to_string() })
}

/// Keep `address` for `series` (written whole or not at all, readable by the user only).
/// Without a data folder, or when it cannot be written, the next run has a new address:
/// the reason is returned for the terminal.
pub(super) fn keep(series: &Path, address: &Address) -> Result<(), String> {
    let file = file_of(series).ok_or("找不到使用者資料夾")?;
    let dir = file.parent().ok_or("找不到使用者資料夾")?;
    let mut table = toml::Table::new();
    table.insert("series".into(), series.to_string_lossy().into_owned().into());
    table.insert("port".into(), i64::from(address.port).into());
    table.insert("token".into(), address.token.clone().into());
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        // A temporary file is created for the user alone (mode 0600 where there are modes).
        let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
        temporary.write_all(table.to_string().as_bytes())?;
        temporary.persist(&file).map_err(|e| e.error)?;
        Ok(())
    };
    write().map_err(|e| format!("{}：{}", file.display(), crate::diag::io_reason(&e)))
}

/// Whether the editor of this address already answers there (the series was opened
/// twice): its own page with its own token.
pub(super) fn answering(address: &Address) -> bool {
    let ask = || -> std::io::Result<bool> {
        let mut stream = TcpStream::connect_timeout(&([127, 0, 0, 1], address.port).into(), Duration::from_secs(2))?;
        stream.set_read_timeout(Some(Duration::from_secs(2)))?;
        let port = address.port;
        write!(stream, "GET /{}/app.css HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n", address.token)?;
        let mut head = [0u8; 12];
        stream.read_exact(&mut head)?;
        Ok(head.starts_with(b"HTTP/1.") && head.ends_with(b" 200"))
    };
    ask().unwrap_or(false)
}

/// Listen on `port` when given (`--port`), else on the kept port when it is free, else on
/// any free port.
pub(super) fn listen(port: u16, kept: Option<&Address>) -> std::io::Result<TcpListener> {
    match (port, kept) {
        (0, Some(kept)) => TcpListener::bind(("127.0.0.1", kept.port)).or_else(|_| TcpListener::bind(("127.0.0.1", 0))),
        (port, _) => TcpListener::bind(("127.0.0.1", port)),
    }
}
