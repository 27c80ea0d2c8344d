//! `datapackage.json`: the Frictionless Data Package of the bundle, every CSV with its
//! table schema, bytes and SHA-256.

use serde::Serialize;

use super::metadata::{DatasetInfo, describe_file, format_of};
use super::rfc3339;
use super::tables::{CsvTable, FieldType};
use super::{BundleFile, LICENSE, LICENSE_URL, sha256_hex};

#[derive(Serialize)]
pub(super) struct DataPackage {
    profile: &'static str,
    name: String,
    title: String,
    description: String,
    created: String,
    keywords: Vec<String>,
    licenses: Vec<License>,
    contributors: Vec<Contributor>,
    resources: Vec<Resource>,
}

#[derive(Serialize)]
pub(super) struct License {
    name: &'static str,
    title: &'static str,
    path: &'static str,
}

#[derive(Serialize)]
pub(super) struct Contributor {
    title: String,
    role: &'static str,
}

#[derive(Serialize)]
pub(super) struct Resource {
    name: String,
    path: String,
    profile: &'static str,
    title: String,
    description: String,
    format: &'static str,
    mediatype: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
    bytes: usize,
    hash: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<TableSchema>,
}

#[derive(Serialize)]
pub(super) struct TableSchema {
    fields: Vec<SchemaField>,
    #[serde(rename = "primaryKey")]
    primary_key: Vec<&'static str>,
    #[serde(rename = "foreignKeys", skip_serializing_if = "Vec::is_empty")]
    foreign_keys: Vec<SchemaForeignKey>,
    #[serde(rename = "missingValues")]
    missing_values: [&'static str; 1],
}

#[derive(Serialize)]
pub(super) struct SchemaField {
    /// The CSV header, as the Table Schema requires (Frictionless checks the file's
    /// labels against it).
    name: &'static str,
    /// The human-readable label: the same Chinese header.
    title: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    description: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    constraints: Option<Constraints>,
}

#[derive(Serialize)]
pub(super) struct Constraints {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    required: bool,
    #[serde(rename = "enum", skip_serializing_if = "Vec::is_empty")]
    values: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct SchemaForeignKey {
    fields: Vec<&'static str>,
    reference: Reference,
}

#[derive(Serialize)]
pub(super) struct Reference {
    resource: &'static str,
    fields: Vec<&'static str>,
}

/// datapackage.json: every CSV as a tabular resource with its table schema and keys;
/// the PDFs and meeting.json as plain resources. Bytes and SHA-256 of each file let
/// `frictionless validate` check integrity too.
pub(super) fn datapackage(info: &DatasetInfo, tables: &[CsvTable], files: &[BundleFile], title: String) -> DataPackage {
    // meeting.schema.json is not a data resource: Frictionless would read it as one.
    let resources = files
        .iter()
        .filter(|f| !["meeting.schema.json", "SHA256SUMS"].contains(&f.name.as_str()))
        .map(|f| {
            let table = tables.iter().find(|t| t.file_name() == f.name);
            let format = format_of(&f.name);
            Resource {
                name: table
                    .map(|t| t.name.to_string())
                    .unwrap_or_else(|| f.name.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-")),
                path: f.name.clone(),
                profile: if table.is_some() { "tabular-data-resource" } else { "data-resource" },
                title: table.map(|t| t.title.to_string()).unwrap_or_else(|| describe_file(&f.name, tables)),
                description: table.map(|t| t.description.to_string()).unwrap_or_else(|| describe_file(&f.name, tables)),
                format: match format {
                    "PDF" => "pdf",
                    "ODT" => "odt",
                    "CSV" => "csv",
                    _ => "json",
                },
                mediatype: match format {
                    "PDF" => "application/pdf",
                    "ODT" => "application/vnd.oasis.opendocument.text",
                    "CSV" => "text/csv",
                    _ => "application/json",
                },
                encoding: (format != "PDF" && format != "ODT").then_some("utf-8"),
                bytes: f.bytes.len(),
                hash: format!("sha256:{}", sha256_hex(&f.bytes)),
                schema: table.map(|t| TableSchema {
                    fields: t
                        .fields
                        .iter()
                        .map(|x| SchemaField {
                            name: x.header,
                            title: x.header,
                            kind: x.kind.name(),
                            format: (x.kind == FieldType::Time).then_some("%H:%M"),
                            description: x.description,
                            constraints: (x.required || !x.values.is_empty())
                                .then(|| Constraints { required: x.required, values: x.values.clone() }),
                        })
                        .collect(),
                    primary_key: t.primary_key.clone(),
                    foreign_keys: t
                        .foreign_keys
                        .iter()
                        .map(|k| SchemaForeignKey {
                            fields: k.fields.clone(),
                            reference: Reference { resource: k.resource, fields: k.reference.clone() },
                        })
                        .collect(),
                    missing_values: [""],
                }),
            }
        })
        .collect();
    DataPackage {
        profile: "data-package",
        name: info.package_name.clone(),
        title,
        description: info.description.clone(),
        created: rfc3339(info.updated),
        keywords: info.keywords.clone(),
        licenses: vec![License { name: "OGDL-Taiwan-1.0", title: LICENSE, path: LICENSE_URL }],
        contributors: vec![Contributor { title: info.agency.clone(), role: "publisher" }],
        resources,
    }
}
