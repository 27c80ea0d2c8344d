//! Reading the user's files: only regular files (a FIFO, a device or a socket would block
//! the build, or `watch`, forever, or never end), never more than a stated number of bytes.

use std::io::Read;
use std::path::Path;

/// Largest meeting.toml or group.toml: the 300-item benchmark meeting is 0.3 MB, so 16 MiB
/// is room for any real meeting and lets a pasted 10 MB text still get its precise message
/// at its field; a larger file is a dump that would take minutes to check and typeset.
pub const MAX_TOML_BYTES: u64 = 16 * 1024 * 1024;

/// Largest whole input of one meeting: meeting.toml, group.toml and every attachment
/// (with the images its Markdown shows). A packet is printed and mailed; 256 MiB is
/// many scanned PDFs, and more would exhaust the memory of an office PC while the PDF is
/// assembled.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// A FIFO, device, socket or directory: only regular files are read.
    NotRegular,
    /// Larger than the limit (bytes): `size` as found.
    TooLarge {
        size: u64,
        limit: u64,
    },
}

impl ReadError {
    /// The reason, in Traditional Chinese, to follow 「無法讀取…：」.
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io(e) => crate::diag::io_reason(e),
            ReadError::NotRegular => "不是一般檔案（可能是具名管道 FIFO、裝置或目錄），只能讀取一般檔案".into(),
            ReadError::TooLarge { size, limit } => {
                format!("檔案過大：{}，上限 {}；請縮小或分割檔案", human_bytes(*size), human_bytes(*limit))
            }
        }
    }
}

/// `1.5 MiB`, `300 KiB`, `12 bytes`.
pub fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else if n >= 1024 {
        format!("{:.0} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

/// Read `path` if it is a regular file of at most `limit` bytes. The type is checked
/// before opening (opening a FIFO blocks until a writer comes) and again on the opened
/// file; the read stops after `limit` bytes even if the file grows meanwhile.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { size: meta.len(), limit });
    }
    let file = open_nonblocking(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: bytes.len() as u64, limit });
    }
    Ok(bytes)
}

/// Open for reading without waiting for a writer, should the path have become a FIFO
/// since it was checked (on Linux; elsewhere a plain open).
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        /// `O_NONBLOCK` on Linux.
        const O_NONBLOCK: i32 = 0o4000;
        options.custom_flags(O_NONBLOCK);
    }
    options.open(path)
}
