//! How items were decided beyond their decision text: recusals.csv (利益迴避) and votes.csv
//! (表決), and with them the bundle's full list of tables. Each of the two is in the bundle
//! only when a meeting in it records one, so a series without recusals or votes publishes
//! the same tables as before.

use super::record::PublicRecord;
use super::tables::{CsvTable, Field, FieldType, fk_item, fk_member, tables_core};
use crate::model::Group;

/// The CSV tables of one meeting's bundle, in order.
pub fn tables(r: &PublicRecord, group: &Group) -> Vec<CsvTable> {
    tables_of(&[r], group)
}

/// Every CSV table of the records (one meeting, or a series in date order): the usual
/// tables, then recusals.csv and votes.csv when any record has rows for them.
pub fn tables_of(records: &[&PublicRecord], group: &Group) -> Vec<CsvTable> {
    let mut out = tables_core(records, group);
    out.extend([recusals_table(records), votes_table(records)].into_iter().filter(|t| !t.rows.is_empty()));
    out
}

fn field(header: &'static str, key: &'static str, kind: FieldType, required: bool, description: &'static str) -> Field {
    Field { header, key, kind, required, description, values: Vec::new() }
}

/// recusals.csv: one row per member who withdrew from an item.
fn recusals_table(records: &[&PublicRecord]) -> CsvTable {
    use FieldType::String as Text;
    CsvTable {
        name: "recusals",
        title: "利益迴避",
        description: "委員於個別案件利益迴避之紀錄，每案每位委員一列；迴避之委員未參與該案討論及表決。",
        fields: vec![
            field("案件代號", "item_id", Text, true, "迴避之案件，對應 items.csv"),
            field("委員代號", "member_id", Text, true, "迴避之委員，對應 members.csv"),
            field("委員", "name", Text, true, "委員姓名，依會議紀錄所載"),
            field("迴避事由", "reason", Text, true, "利益迴避之事由"),
        ],
        rows: records
            .iter()
            .flat_map(|r| {
                r.items.iter().flat_map(|i| {
                    i.recusals.iter().map(|x| vec![i.id.clone(), x.member_id.clone(), x.name.clone(), x.reason.clone()])
                })
            })
            .collect(),
        primary_key: vec!["案件代號", "委員代號"],
        foreign_keys: vec![fk_item(), fk_member()],
    }
}

/// votes.csv: one row per item decided by vote.
fn votes_table(records: &[&PublicRecord]) -> CsvTable {
    use FieldType::{Integer, String as Text};
    let mut fields = vec![
        field("案件代號", "item_id", Text, true, "表決之案件，對應 items.csv"),
        field("表決方式", "method", Text, true, "舉手表決、投票表決或記名表決"),
        field("贊成票數", "yes", Integer, true, "贊成票數"),
        field("反對票數", "against", Integer, true, "反對票數"),
        field("棄權票數", "abstain", Integer, true, "棄權票數"),
        field("表決結果", "result", Text, true, "通過或不通過"),
        field("贊成委員", "for_members", Text, false, "記名表決之贊成委員代號，以分號 ; 分隔；其他表決方式空白"),
        field("反對委員", "against_members", Text, false, "記名表決之反對委員代號，以分號 ; 分隔"),
        field("棄權委員", "abstain_members", Text, false, "記名表決之棄權委員代號，以分號 ; 分隔"),
    ];
    fields[1].values = ["舉手表決", "投票表決", "記名表決"].map(String::from).to_vec();
    fields[5].values = ["通過", "不通過"].map(String::from).to_vec();
    CsvTable {
        name: "votes",
        title: "表決",
        description: "以表決方式決定之案件，每案一列：表決方式、贊成、反對及棄權票數與結果；記名表決列出各方委員。",
        fields,
        rows: records
            .iter()
            .flat_map(|r| {
                r.items.iter().filter_map(|i| {
                    let v = i.vote.as_ref()?;
                    Some(vec![
                        i.id.clone(),
                        v.method.clone(),
                        v.yes.to_string(),
                        v.against.to_string(),
                        v.abstain.to_string(),
                        v.result.clone(),
                        v.for_members.join(";"),
                        v.against_members.join(";"),
                        v.abstain_members.join(";"),
                    ])
                })
            })
            .collect(),
        primary_key: vec!["案件代號"],
        foreign_keys: vec![fk_item()],
    }
}
