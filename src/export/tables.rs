//! The CSV tables of the bundle, each described once ([`CsvTable`]): its fields with
//! Chinese headers, English keys, types and descriptions, primary and foreign keys.

use super::record::PublicRecord;
use crate::model::{Group, ItemSection, Tracking};

/// A column type, as Frictionless names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    /// ISO date, YYYY-MM-DD.
    Date,
    /// HH:MM.
    Time,
}

impl FieldType {
    pub(super) fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Date => "date",
            FieldType::Time => "time",
        }
    }
}

/// One column: its Chinese header, English key, type and description.
#[derive(Debug, Clone)]
pub struct Field {
    pub header: &'static str,
    pub key: &'static str,
    pub kind: FieldType,
    pub required: bool,
    pub description: &'static str,
    /// The values a categorical column may hold (datapackage `constraints.enum`); empty
    /// for free text.
    pub values: Vec<String>,
}

/// The columns of a table, one a line: `"表頭" key: Type, required|optional, "說明";`.
macro_rules! fields {
    (@required required) => { true };
    (@required optional) => { false };
    ($($header:literal $key:ident: $kind:ident, $required:ident, $description:literal;)*) => {
        vec![$(Field {
            header: $header,
            key: stringify!($key),
            kind: $kind,
            required: fields!(@required $required),
            description: $description,
            values: Vec::new(),
        }),*]
    };
}

/// A foreign key: `fields` of this table reference `reference` of table `resource`.
#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub fields: Vec<&'static str>,
    pub resource: &'static str,
    pub reference: Vec<&'static str>,
}

/// `column` references the column of the same name in table `resource`.
pub(super) fn fk(column: &'static str, resource: &'static str) -> ForeignKey {
    ForeignKey { fields: vec![column], resource, reference: vec![column] }
}

/// 會議代號 → meeting.csv.
pub(super) fn fk_meeting() -> ForeignKey {
    fk("會議代號", "meeting")
}

/// 案件代號 → items.csv.
pub(super) fn fk_item() -> ForeignKey {
    fk("案件代號", "items")
}

/// 委員代號 → members.csv.
pub(super) fn fk_member() -> ForeignKey {
    fk("委員代號", "members")
}

/// One CSV file of the bundle with its description; everything else about it
/// (datapackage.json, 主要欄位說明, 資料量) is derived from this.
#[derive(Debug, Clone)]
pub struct CsvTable {
    /// Resource name and file stem: `items` → items.csv.
    pub name: &'static str,
    /// 中文名稱.
    pub title: &'static str,
    pub description: &'static str,
    pub fields: Vec<Field>,
    /// Cells as text, in field order; "" is empty (null).
    pub rows: Vec<Vec<String>>,
    /// Headers of the primary key.
    pub primary_key: Vec<&'static str>,
    pub foreign_keys: Vec<ForeignKey>,
}

impl CsvTable {
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.name)
    }

    pub fn headers(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.header).collect()
    }

    /// UTF-8 with BOM, CRLF, header row first.
    pub fn csv(&self) -> Vec<u8> {
        csv_bytes(&self.headers(), &self.rows)
    }
}

pub(super) fn csv_bytes<S: AsRef<str>>(headers: &[&str], rows: &[Vec<S>]) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        // Writing to a Vec cannot fail.
        let _ = w.write_record(headers);
        for r in rows {
            let _ = w.write_record(r.iter().map(|c| c.as_ref()));
        }
        let _ = w.flush();
    }
    out
}

pub(super) fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

use FieldType::{Date, Integer, String as Text, Time};

/// The CSV tables holding the rows of every record in `records` (one meeting, or a whole
/// series in date order): one row per meeting in the meeting table, members once each
/// (in order of first appearance).
///
/// The usual tables, always in the bundle (`votes::tables_of` adds the ones a record may
/// lack). A new table is one more function and one more entry here; the datapackage, 主要欄位說明,
/// 資料量 and the checksums follow from the list. Each table's function describes the
/// values beyond the usual ones where they occur (the usual tables keep their
/// descriptions word for word) and lists the values of its categorical columns
/// (datapackage `constraints.enum`).
pub(super) fn tables_core(records: &[&PublicRecord], group: &Group) -> Vec<CsvTable> {
    vec![
        meeting_table(records),
        items_table(records),
        decisions_table(records),
        opinions_table(records),
        attendance_table(records),
        members_table(records, group.publish_gender),
        tracking_table(records, group),
    ]
}

/// 報告事項, 討論事項, 臨時動議: the values of a 類別 column.
fn sections() -> Vec<String> {
    [ItemSection::Report, ItemSection::Discussion, ItemSection::Motion].map(|s| s.label().to_string()).to_vec()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| s.to_string()).collect()
}

/// Whether column `header` of `t` holds a value outside `usual`.
fn any_unusual(t: &CsvTable, header: &str, usual: &[&str]) -> bool {
    t.fields
        .iter()
        .position(|f| f.header == header)
        .is_some_and(|col| t.rows.iter().any(|r| !usual.contains(&r[col].as_str())))
}

/// meeting.csv: one row per meeting.
fn meeting_table(records: &[&PublicRecord]) -> CsvTable {
    let mut table = CsvTable {
        name: "meeting",
        title: "會議",
        description: "會議基本資料，每次會議一列。",
        fields: fields![
            "會議代號" meeting_id: Text, required, "民國年-會次，如 113-1";
            "機關" agency: Text, required, "召開會議之機關";
            "小組名稱" group: Text, required, "諮詢小組名稱";
            "會議名稱" title: Text, required, "如「政府資料開放諮詢小組」113 年第 1 次會議";
            "年度" year: Integer, required, "民國年";
            "會次" number: Integer, required, "該年度第幾次會議";
            "會議日期" date: Date, required, "西元日期 YYYY-MM-DD";
            "開會時間" start: Time, required, "24 小時制 HH:MM";
            "散會時間" end: Time, optional, "24 小時制 HH:MM，紀錄草稿或原始紀錄未載明散會時間時空白";
            "地點" place: Text, required, "開會地點";
            "主席" chair: Text, optional, "會議主席，依會議紀錄所載";
            "紀錄" recorder: Text, optional, "會議紀錄人員";
            "逐字紀錄網址" transcript: Text, optional, "逐字紀錄之網址（如有）";
            "紀錄狀態" status: Text, required, "定稿或草稿";
        ],
        rows: records
            .iter()
            .map(|r| &r.meeting)
            .map(|m| {
                vec![
                    m.id.clone(),
                    m.agency.clone(),
                    m.group.clone(),
                    m.title.clone(),
                    m.year.to_string(),
                    m.number.to_string(),
                    m.date.clone(),
                    m.start.clone(),
                    opt(&m.end),
                    m.place.clone(),
                    m.chair.clone(),
                    opt(&m.recorder),
                    opt(&m.transcript),
                    m.status.clone(),
                ]
            })
            .collect(),
        primary_key: vec!["會議代號"],
        foreign_keys: vec![],
    };
    // A meeting transcribed from a record without its time (meeting.toml time = "未記錄").
    if let Some(col) = table.fields.iter().position(|f| f.header == "開會時間")
        && table.rows.iter().any(|r| r[col].is_empty())
    {
        table.fields[col].required = false;
        describe(&mut table, "開會時間", "24 小時制 HH:MM；原始紀錄未載明者為空白");
    }
    allow(&mut table, "紀錄狀態", strings(&["定稿", "草稿"]));
    table
}

/// items.csv: one row per item, with its decision in full.
fn items_table(records: &[&PublicRecord]) -> CsvTable {
    let mut table = CsvTable {
        name: "items",
        title: "案件",
        description: "報告事項、討論事項及臨時動議，每案一列，附決定（議）全文。",
        fields: fields![
            "案件代號" item_id: Text, required, "會議代號-類別代碼（R 報告事項、D 討論事項、M 臨時動議）案次，如 113-1-D2";
            "會議代號" meeting_id: Text, required, "所屬會議，對應 meeting.csv";
            "類別" section: Text, required, "報告事項、討論事項或臨時動議";
            "案次" number: Integer, required, "該類別中之第幾案";
            "單位" unit: Text, optional, "報告單位或提案單位";
            "案由" title: Text, required, "案由全文";
            "決定（議）" decision: Text, optional, "報告事項之決定或討論事項、臨時動議之決議全文，紀錄草稿可能空白";
            "各項決定（議）代號" decision_ids: Text, optional, "本案各項決定（議）之代號，以分號 ; 分隔，對應 decisions.csv 之決定（議）代號";
        ],
        rows: records
            .iter()
            .flat_map(|r| {
                r.items.iter().map(|i| {
                    vec![
                        i.id.clone(),
                        r.meeting.id.clone(),
                        i.section.clone(),
                        i.number.to_string(),
                        opt(&i.unit),
                        i.title.clone(),
                        opt(&i.decision),
                        i.decisions.iter().map(|d| d.id.as_str()).collect::<Vec<_>>().join(";"),
                    ]
                })
            })
            .collect(),
        primary_key: vec!["案件代號"],
        foreign_keys: vec![fk_meeting()],
    };
    allow(&mut table, "類別", sections());
    table
}

/// decisions.csv: one row per clause of a decision, under its stable id.
fn decisions_table(records: &[&PublicRecord]) -> CsvTable {
    CsvTable {
        name: "decisions",
        title: "決定（議）事項",
        description: "決定（議）逐項一列，代號固定，供後續會議追蹤辦理情形。",
        fields: fields![
            "決定（議）代號" decision_id: Text, required, "案件代號-項次，如 113-1-D2-1";
            "案件代號" item_id: Text, required, "所屬案件，對應 items.csv";
            "項次" number: Integer, required, "該案決定（議）之第幾項";
            "內容" text: Text, required, "該項決定（議）全文";
        ],
        rows: records
            .iter()
            .flat_map(|r| {
                r.items.iter().flat_map(|i| {
                    i.decisions.iter().map(|d| vec![d.id.clone(), i.id.clone(), d.number.to_string(), d.text.clone()])
                })
            })
            .collect(),
        primary_key: vec!["決定（議）代號"],
        foreign_keys: vec![fk_item()],
    }
}

/// opinions.csv: the published opinions, one row each.
fn opinions_table(records: &[&PublicRecord]) -> CsvTable {
    CsvTable {
        name: "opinions",
        title: "發言要旨",
        description: "公開之發言要旨，每則一列；聲明不公開者不列，聲明不記名者以委員甲、委員乙等稱之。",
        fields: fields![
            "意見代號" opinion_id: Text, required, "案件代號-O序號，如 113-1-D1-O2";
            "案件代號" item_id: Text, required, "所屬案件，對應 items.csv";
            "序號" number: Integer, required, "該案公開發言之順序";
            "發言者" speaker: Text, required, "依會議紀錄所載：委員姓名、主席、委員甲（不記名）或列席單位";
            "委員代號" member_id: Text, optional, "具名發言委員之代號，對應 members.csv，單位及不記名者空白";
            "發言要旨" text: Text, required, "發言內容要旨";
        ],
        rows: records
            .iter()
            .flat_map(|r| {
                r.items.iter().flat_map(|i| {
                    i.opinions.iter().map(|o| {
                        vec![
                            o.id.clone(),
                            i.id.clone(),
                            o.number.to_string(),
                            o.speaker.clone(),
                            opt(&o.member_id),
                            o.text.clone(),
                        ]
                    })
                })
            })
            .collect(),
        primary_key: vec!["意見代號"],
        foreign_keys: vec![fk_item(), fk_member()],
    }
}

/// attendance.csv: one row per member and meeting.
fn attendance_table(records: &[&PublicRecord]) -> CsvTable {
    let mut table = CsvTable {
        name: "attendance",
        title: "出席情形",
        description: "各委員之出席情形，每位委員一列。",
        fields: fields![
            "會議代號" meeting_id: Text, required, "對應 meeting.csv";
            "委員代號" member_id: Text, required, "對應 members.csv";
            "姓名" name: Text, required, "委員姓名";
            "出席情形" status: Text, required, "出席、代理、請假或缺席";
            "代理人" delegate: Text, optional, "機關代表委員指派出席之代表（設置要點第七點）";
        ],
        rows: records
            .iter()
            .flat_map(|r| {
                r.attendance.iter().map(|a| {
                    vec![r.meeting.id.clone(), a.member_id.clone(), a.name.clone(), a.status.clone(), opt(&a.delegate)]
                })
            })
            .collect(),
        primary_key: vec!["會議代號", "委員代號"],
        foreign_keys: vec![fk_meeting(), fk_member()],
    };
    if any_unusual(&table, "出席情形", &["出席", "代理", "請假", "缺席"]) {
        describe(
            &mut table,
            "出席情形",
            "出席、代理、請假、缺席，或未記錄（出席紀錄僅載部分委員時，未列名者之出席情形不明）",
        );
    }
    allow(&mut table, "出席情形", strings(&ATTENDANCE));
    table
}

/// members.csv: every member once (in order of first appearance); 性別 only when the
/// group publishes it.
fn members_table(records: &[&PublicRecord], publish_gender: bool) -> CsvTable {
    let mut fields = fields![
        "委員代號" member_id: Text, required, "委員之固定代號";
        "姓名" name: Text, required, "委員姓名";
        "職務" role: Text, required, "召集人或委員";
        "代表類別" kind: Text, required, "機關代表或民間代表";
        "服務機關" organisation: Text, required, "服務機關（構）";
        "職稱" title: Text, required, "職稱";
        "聘期起日" term_start: Date, optional, "民間代表聘期起日 YYYY-MM-DD";
        "聘期迄日" term_end: Date, optional, "民間代表聘期迄日 YYYY-MM-DD";
    ];
    if publish_gender {
        fields.extend(fields!["性別" gender: Text, required, "男或女";]);
    }
    // 補聘 and appointments during the series: two columns, where the roster records any.
    let seats = records.iter().flat_map(|r| r.members.iter()).any(|x| x.appointed.is_some() || x.replaces.is_some());
    if seats {
        fields.extend(fields![
            "到任日" appointed: Date, optional, "委員到任日 YYYY-MM-DD（補聘或任期中到任者）";
            "補聘接替" replaces: Text, optional, "補聘委員所接替委員之委員代號";
        ]);
    }
    // In order of first appearance, each as the latest meeting has them (a role or title
    // changed over the series: the one they hold now).
    let mut seen = std::collections::HashSet::new();
    let latest: std::collections::HashMap<&str, _> =
        records.iter().flat_map(|r| r.members.iter()).map(|x| (x.id.as_str(), x)).collect();
    let rows = records
        .iter()
        .flat_map(|r| r.members.iter())
        .filter(|x| seen.insert(x.id.as_str()))
        .map(|x| latest[x.id.as_str()])
        .map(|x| {
            let mut row = vec![
                x.id.clone(),
                x.name.clone(),
                x.role.clone(),
                x.kind.clone(),
                x.organisation.clone(),
                x.title.clone(),
                opt(&x.term_start),
                opt(&x.term_end),
            ];
            if publish_gender {
                row.push(opt(&x.gender));
            }
            if seats {
                row.extend([opt(&x.appointed), opt(&x.replaces)]);
            }
            row
        })
        .collect();
    let mut table = CsvTable {
        name: "members",
        title: "委員名單",
        description: "會議日在任之委員名單（設置要點第九點），每位委員一列。",
        fields,
        rows,
        primary_key: vec!["委員代號"],
        foreign_keys: vec![],
    };
    if any_unusual(&table, "職務", &["召集人", "委員"]) {
        describe(&mut table, "職務", "召集人、共同召集人、副召集人或委員");
    }
    if any_unusual(&table, "性別", &["男", "女"]) {
        describe(&mut table, "性別", "男、女、無（未登記性別）或不公開");
    }
    allow(&mut table, "職務", strings(&ROLES));
    allow(&mut table, "代表類別", strings(&["機關代表", "民間代表"]));
    table
}

/// tracking.csv: the 辦理情形 each meeting reported, one row per tracked item; the
/// group's own 列管 words among the values.
fn tracking_table(records: &[&PublicRecord], group: &Group) -> CsvTable {
    let mut table = CsvTable {
        name: "tracking",
        title: "上次會議決定（議）事項辦理情形",
        description: "會議列管之先前會議決定（議）及其辦理情形，每次會議每案一列。",
        fields: fields![
            "會議代號" meeting_id: Text, required, "報告辦理情形之會議，對應會議表";
            "列管案件代號" tracked_item_id: Text, required, "被列管之先前會議案件代號，如 112-2-D2（永久不變）";
            "決定會議代號" decided_at: Text, required, "作成決定（議）之會議，如 112-2";
            "類別" section: Text, required, "報告事項、討論事項或臨時動議";
            "案由" title: Text, required, "案由全文";
            "決定（議）" decision: Text, required, "該次會議紀錄所載之決定（議）全文";
            "辦理情形" progress: Text, optional, "本次會議報告之辦理情形";
            "列管建議" advice: Text, optional, "建議解除列管或建議繼續列管（如有）";
            "列管結果" outcome: Text, required, "本次會議決定：解除列管、繼續列管，或待決定";
        ],
        rows: records
            .iter()
            .flat_map(|r| {
                r.tracking.iter().map(|t| {
                    vec![
                        r.meeting.id.clone(),
                        t.id.clone(),
                        t.meeting_id.clone(),
                        t.section.clone(),
                        t.title.clone(),
                        t.decision.clone(),
                        t.progress.clone(),
                        opt(&t.advice),
                        t.outcome.clone(),
                    ]
                })
            })
            .collect(),
        primary_key: vec!["會議代號", "列管案件代號"],
        foreign_keys: vec![fk_meeting()],
    };
    // An empty 列管建議 is usual; any other word than the two is the group's own.
    if any_unusual(&table, "列管建議", &["", "建議解除列管", "建議繼續列管"])
        || any_unusual(&table, "列管結果", &["解除列管", "繼續列管", "待決定"])
    {
        describe(&mut table, "列管建議", "本小組用語之列管建議（如建議持續列管、建議解除列管）");
        describe(&mut table, "列管結果", "本次會議決定：本小組用語之繼續（持續）列管或解除列管，或待決定");
    }
    let words = |f: fn(&Group, Tracking) -> String| [Tracking::Keep, Tracking::Close].map(|t| f(group, t)).to_vec();
    let mut outcomes = words(crate::rules::tracking::outcome_words);
    outcomes.push(PENDING.to_string());
    // 併入 <id> / 分列 <ids>: a decision merged into another or split, as the rows have it.
    let outcome_col = table.fields.iter().position(|f| f.header == "列管結果");
    let merged: Vec<String> = outcome_col
        .map(|col| table.rows.iter().map(|r| r[col].clone()).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|o| o.starts_with("併入 ") || o.starts_with("分列 "))
        .collect();
    if !merged.is_empty() {
        describe(
            &mut table,
            "列管結果",
            "本次會議決定：解除列管、繼續列管（本小組用語）、併入 <列管案件代號>（併入另一列管決定）、分列 <新列管案件代號>（分列為新決定，以頓號分隔），或待決定",
        );
    }
    for o in merged {
        if !outcomes.contains(&o) {
            outcomes.push(o);
        }
    }
    allow(&mut table, "類別", sections());
    allow(&mut table, "列管建議", words(crate::rules::tracking::advice_words));
    allow(&mut table, "列管結果", outcomes);
    table
}

/// 列管結果 of a row whose meeting has not decided yet.
pub(super) const PENDING: &str = "待決定";
/// 出席情形, 未記錄 when the record names only some members.
pub(super) const ATTENDANCE: [&str; 5] = ["出席", "代理", "請假", "缺席", "未記錄"];
/// 職務: the roles group.toml may give, and 委員.
const ROLES: [&str; 4] = ["召集人", "共同召集人", "副召集人", "委員"];

fn allow(t: &mut CsvTable, header: &str, values: Vec<String>) {
    if let Some(f) = t.fields.iter_mut().find(|f| f.header == header) {
        f.values = values;
    }
}

fn describe(t: &mut CsvTable, header: &str, description: &'static str) {
    if let Some(f) = t.fields.iter_mut().find(|f| f.header == header) {
        f.description = description;
    }
}
