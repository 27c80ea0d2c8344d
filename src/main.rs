//! `packet`: 政府資料開放諮詢小組 會議議程、紀錄與開放資料 產生工具.

use std::process::ExitCode;

fn main() -> ExitCode {
    packet::cli::main()
}
