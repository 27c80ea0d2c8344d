//! `packet new`: create the next meeting of a series.

use super::args::NewCommand;
use crate::diag::{Diagnostic, Diagnostics, io_reason, printable};
use crate::model::Series;
use crate::output::write_new;
use crate::rules::tracking::next_meeting_in;
use crate::text::zh;

pub fn run(cmd: NewCommand) -> Result<(), Diagnostics> {
    let date = zh::parse_date(&cmd.date).ok_or_else(|| {
        Diagnostics::from(
            Diagnostic::error(format!("無效的日期「{}」，請寫成 2024-10-15 或 113-10-15", cmd.date)).field("--date"),
        )
    })?;
    let series = Series::load(&cmd.series.series)?;
    let next = next_meeting_in(&series, date, cmd.term)?;
    std::fs::create_dir_all(&next.dir)
        .map_err(|e| Diagnostic::error(format!("無法建立目錄：{}", io_reason(&e))).at_file(&next.dir))?;
    // The editor's schema for the new file: `#:schema ../meeting.schema.json`, written
    // beside group.toml when the series has none yet (an older series, or a hand-made one).
    let series_dir = &cmd.series.series;
    if !series_dir.join("meeting.schema.json").exists() {
        super::cmd_schema::write_schemas(series_dir)?;
    }
    let text = format!("#:schema ../meeting.schema.json\n{}", next.text);
    write_new(&next.file, text.as_bytes())?;
    for w in &next.warnings {
        eprintln!("{w}");
    }
    eprintln!("已建立 {}", printable(&next.file.display().to_string()));
    Ok(())
}
