//! `packet schema`: the JSON Schema of group.toml and meeting.toml (printed together, or
//! written as the two files the `#:schema` lines name), or of the bundle's meeting.json.

use std::path::Path;

use super::args::SchemaCommand;
use crate::diag::{Diagnostic, Diagnostics, io_reason, printable};
use crate::output::write_atomic;

pub fn run(cmd: SchemaCommand) -> Result<(), Diagnostics> {
    if let Some(dir) = &cmd.out {
        if !dir.is_dir() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Diagnostic::error(format!("無法建立目錄：{}", io_reason(&e))).at_file(dir))?;
        }
        for file in write_schemas(dir)? {
            eprintln!("已寫入 {}", printable(&file));
        }
        return Ok(());
    }
    let schema = if cmd.export { crate::export::json_schema() } else { crate::model::json_schema() };
    println!("{}", serde_json::to_string_pretty(&schema).unwrap_or_default());
    Ok(())
}

/// `DIR/group.schema.json` and `DIR/meeting.schema.json`, replaced atomically (they are
/// generated, never edited by hand); returns the paths written.
pub(super) fn write_schemas(dir: &Path) -> Result<Vec<String>, Diagnostics> {
    let (group, meeting) = crate::model::schemas();
    let mut written = Vec::new();
    for (name, schema) in [("group.schema.json", group), ("meeting.schema.json", meeting)] {
        let path = dir.join(name);
        write_atomic(&path, &serde_json::to_vec_pretty(&schema).unwrap_or_default())?;
        written.push(path.display().to_string());
    }
    Ok(written)
}
