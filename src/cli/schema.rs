//! `packet schema`: the JSON Schema of group.toml and meeting.toml, or of meeting.json.

use super::args::SchemaCommand;
use crate::diag::Diagnostics;

pub fn run(cmd: SchemaCommand) -> Result<(), Diagnostics> {
    let schema = if cmd.export { crate::export::json_schema() } else { crate::model::json_schema() };
    println!("{}", serde_json::to_string_pretty(&schema).unwrap_or_default());
    Ok(())
}
