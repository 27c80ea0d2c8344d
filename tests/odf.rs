//! The editable editions (`--odt`), tested through LibreOffice (headless, as a Windows
//! office would open them) and read back with odfpy: wording, structure, packaging.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// Convert `odts` to PDF with LibreOffice in one run (its own profile, so tests in
/// parallel do not share one instance); the PDFs land beside them in `lo/`.
pub(crate) fn libreoffice_pdfs(odts: &[PathBuf]) -> Vec<PathBuf> {
    let dir = odts[0].parent().unwrap().join("lo");
    let profile = tempfile::tempdir().unwrap();
    let o = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .args(odts)
        .output()
        .expect("soffice (libreoffice-writer-nogui; scripts/test.sh installs it)");
    let pdfs: Vec<PathBuf> = odts.iter().map(|p| dir.join(p.file_stem().unwrap()).with_extension("pdf")).collect();
    for p in &pdfs {
        assert!(
            p.exists(),
            "LibreOffice did not convert {}: {}{}",
            p.display(),
            String::from_utf8_lossy(&o.stdout),
            stderr(&o)
        );
    }
    pdfs
}

/// The words of a PDF in content-stream order (a table cell's text together: the
/// editions break cells into lines differently), without its page footers and a draft's
/// per-page 紀錄草稿 mark (the page counts differ: the editions paginate differently).
fn body_words(pdf: &Path) -> Vec<char> {
    let text = squash(&pdf_text_raw(pdf)).replace("紀錄草稿", "");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find('第') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let footer = tail.strip_prefix('第').and_then(|t| {
            let t = t.trim_start_matches(|c: char| c.is_ascii_digit()).strip_prefix("頁，共")?;
            t.trim_start_matches(|c: char| c.is_ascii_digit()).strip_prefix('頁')
        });
        match footer {
            Some(after) => rest = after,
            None => {
                out.push('第');
                rest = &tail['第'.len_utf8()..];
            }
        }
    }
    out.push_str(rest);
    word_chars(&out)
}

/// Share of packet's PDF wording (letters, digits, CJK) found in order in LibreOffice's.
fn fidelity(ours: &Path, theirs: &Path) -> f64 {
    let a = body_words(ours);
    let b = body_words(theirs);
    let common = lcs_len(&a, &b);
    eprintln!("{}: {common}/{} = {:.4}", theirs.display(), a.len(), common as f64 / a.len() as f64);
    common as f64 / a.len() as f64
}

/// What odfpy reads back from an ODT, as JSON: headings, lists, tables and their
/// merged and covered cells, header rows, the metadata, every part's name.
pub(crate) fn structure(odt: &Path) -> serde_json::Value {
    let script = r#"
import json, sys, zipfile
from odf.opendocument import load
from odf import text, table, draw, meta, dc
from odf import teletype
doc = load(sys.argv[1])
def attr(e, ns, name):
    return e.attributes.get((ns, name))
T = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
X = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
heads = [(int(attr(h, X, "outline-level")), teletype.extractText(h)) for h in doc.getElementsByType(text.H)]
lists = doc.getElementsByType(text.List)
items = doc.getElementsByType(text.ListItem)
cells = doc.getElementsByType(table.TableCell)
spans = [(int(attr(c, T, "number-rows-spanned") or 1), int(attr(c, T, "number-columns-spanned") or 1), teletype.extractText(c)) for c in cells
         if attr(c, T, "number-rows-spanned") or attr(c, T, "number-columns-spanned")]
z = zipfile.ZipFile(sys.argv[1])
first = z.infolist()[0]
print(json.dumps({
  "headings": heads,
  "lists": len(lists),
  "list_items": [teletype.extractText(i) for i in items],
  "tables": len(doc.getElementsByType(table.Table)),
  "header_rows": len(doc.getElementsByType(table.TableHeaderRows)),
  "spans": spans,
  "covered": len(doc.getElementsByType(table.CoveredTableCell)),
  "frames": len(doc.getElementsByType(draw.Frame)),
  "title": teletype.extractText(doc.meta.getElementsByType(dc.Title)[0]),
  "language": teletype.extractText(doc.meta.getElementsByType(dc.Language)[0]),
  "first_part": [first.filename, first.compress_type, len(first.extra)],
  "parts": [i.filename for i in z.infolist()],
  "manifest": z.read("META-INF/manifest.xml").decode(),
  "page_fields": len(doc.getElementsByType(text.PageNumber)) + len(doc.getElementsByType(text.PageCount)),
  "text": teletype.extractText(doc.text),
}, ensure_ascii=False))
"#;
    let o = Command::new("python3").arg("-c").arg(script).arg(odt).output().expect("python3 with odfpy");
    assert!(o.status.success(), "odfpy could not read {}: {}", odt.display(), stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn build(dir: &Path, args: &[&str]) -> PathBuf {
    let out = dir.join("out");
    let mut all = args.to_vec();
    all.extend_from_slice(&["-q", "--odt", "-o", out.to_str().unwrap()]);
    let o = Run::new(&all).cwd(dir).env("SOURCE_DATE_EPOCH", "1714372200").output();
    assert!(o.status.success(), "{:?}: {}", args, stderr(&o));
    out
}

#[test]
fn editions_open_in_libreoffice_with_the_pdfs_wording() {
    let series = example_series();
    let out = build(series.path(), &["build", "dgbas/113-1"]);
    build(series.path(), &["minutes", "dgbas/113-1"]);
    let internal = build(series.path(), &["minutes", "dgbas/113-1", "--internal"]);
    let odts = [out.join("agenda.odt"), out.join("minutes.odt")];
    let lo = libreoffice_pdfs(&odts);
    for (ours, theirs) in [(out.join("agenda.pdf"), &lo[0]), (out.join("minutes.pdf"), &lo[1])] {
        let f = fidelity(&ours, theirs);
        assert!(f >= 0.99, "{}: only {f:.4} of packet's wording", theirs.display());
        // The body font named in the styles is the one LibreOffice embedded.
        assert!(pdf_fonts(theirs).iter().any(|(name, _, _)| name.contains("TW-Kai")), "{:?}", pdf_fonts(theirs));
    }
    // The internal edition is written where its PDF is, and marks every page 內部.
    let internal_odt = internal.join("minutes-internal.odt");
    assert!(internal_odt.exists(), "{}", internal_odt.display());
    let lo = libreoffice_pdfs(&[internal_odt]);
    let pages = pdf_pages(&lo[0]);
    for page in 1..=pages {
        assert!(pdf_page_text(&lo[0], page).contains("內部"), "page {page} of {pages} lacks 內部");
    }
    assert!(fidelity(&internal.join("minutes-internal.pdf"), &lo[0]) >= 0.99);
}

#[test]
fn structure_reads_back_as_lists_tables_and_headings() {
    let series = example_series();
    let out = build(series.path(), &["build", "dgbas/113-1"]);
    let s = structure(&out.join("agenda.odt"));
    let headings: Vec<(i64, String)> = serde_json::from_value(s["headings"].clone()).unwrap();
    for want in [
        // The cover title broken after the group's name (too long for a line at 20 pt).
        (1, "「政府資料開放諮詢小組」\n113 年第 1 次會議 議程"),
        (1, "貳、報告事項"),
        (2, "報告事項 第一案"),
        (2, "討論事項 第二案"),
    ] {
        assert!(headings.iter().any(|(l, t)| *l == want.0 && t == want.1), "heading {want:?} missing: {headings:?}");
    }
    assert!(headings.iter().any(|(l, t)| *l == 3 && t.contains("下架資料集項目清單")), "{headings:?}");
    // The 說明 points are list items (numbered by the list style, not typed).
    let items: Vec<String> = serde_json::from_value(s["list_items"].clone()).unwrap();
    assert!(items.iter().any(|i| i.starts_with("本次會議係本總處")), "{items:?}");
    // A hand-typed marker before emphasis (`(一) **年度預計開放項目**：…`) is a point as in
    // the PDF: a list item of its own, under 一、.
    assert!(items.iter().any(|i| i.starts_with("(一) 年度預計開放項目")), "{items:?}");
    assert!(items.iter().any(|i| i.starts_with("(二) 資料集品質優化")), "{items:?}");
    assert!(s["lists"].as_u64().unwrap() >= 5, "{}", s["lists"]);
    // 13-quality.csv: A1:A2 and H1:H2 span two rows, C1:G1 five columns; 21-delisting: C2:C25.
    let spans: Vec<(u64, u64, String)> = serde_json::from_value(s["spans"].clone()).unwrap();
    assert!(spans.iter().any(|(r, c, _)| *r == 1 && *c == 5), "{spans:?}");
    assert!(spans.iter().filter(|(r, c, _)| *r == 2 && *c == 1).count() >= 2, "{spans:?}");
    assert!(spans.iter().any(|(r, _, _)| *r == 24), "{spans:?}");
    assert!(s["covered"].as_u64().unwrap() >= 4 + 23 * 2, "{}", s["covered"]);
    // Every table repeats its header rows; the footer counts pages with fields.
    // The tracking table and the four CSV tables (the slides are one-cell frames).
    assert_eq!(s["header_rows"], 5, "{s}");
    // The portrait and the landscape page style each count pages in their footer.
    assert_eq!(s["page_fields"], 4);
    assert_eq!(s["language"], "zh-TW");
    assert_eq!(s["title"], "「政府資料開放諮詢小組」113 年第 1 次會議 議程");
    // Packaged by the ODF rules: mimetype first, stored, no extra field; every part listed.
    assert_eq!(s["first_part"], serde_json::json!(["mimetype", 0, 0]));
    let manifest = s["manifest"].as_str().unwrap();
    for part in s["parts"].as_array().unwrap() {
        let part = part.as_str().unwrap();
        if part != "mimetype" && part != "META-INF/manifest.xml" {
            assert!(manifest.contains(&format!("manifest:full-path=\"{part}\"")), "{part} not in manifest");
        }
    }
    assert!(s["frames"].as_u64().unwrap() >= 1, "the slides' SVG is a picture");
}

#[test]
fn same_input_same_bytes() {
    let series = example_series();
    let a = build(series.path(), &["minutes", "dgbas/113-1"]);
    let first = std::fs::read(a.join("minutes.odt")).unwrap();
    let b = build(series.path(), &["minutes", "dgbas/113-1"]);
    assert_eq!(first, std::fs::read(b.join("minutes.odt")).unwrap());
    let first = std::fs::read(a.join("agenda.odt")).ok();
    assert!(first.is_none(), "minutes --odt writes no agenda");
}

#[test]
fn draft_minutes_odt_is_marked_and_user_text_is_text() {
    let series = example_series();
    // Markup-like text in a field prints as written, in the XML as text.
    edit_file(
        series.path(),
        "dgbas/113-1/meeting.toml",
        "place = \"行政院第 9 會議室\"",
        "place = \"行政院 <text:p>&amp; 第  9 會議室]]>\"",
    );
    edit_file(series.path(), "dgbas/113-1/meeting.toml", "end = \"16:10\"", "");
    let out = build(series.path(), &["minutes", "dgbas/113-1"]);
    let odt = out.join("minutes-draft.odt");
    let s = structure(&odt);
    let text = s["text"].as_str().unwrap();
    assert!(text.contains("行政院 <text:p>&amp; 第  9 會議室]]>"), "{text}");
    assert!(text.contains("散會：（待填）"), "{text}");
    let lo = libreoffice_pdfs(&[odt]);
    assert!(pdf_page_text(&lo[0], 1).contains("紀錄草稿"));
    assert!(fidelity(&out.join("minutes-draft.pdf"), &lo[0]) >= 0.99);
}

/// What odfpy reads of an ODT's styles, as JSON: the font faces (`name` → family), the
/// default paragraph style's text properties, and every paragraph and heading of the
/// body with its style's properties resolved through the parents (paragraph and text
/// properties in one map, the default style's first), whether it sits in a table cell,
/// and its text.
fn resolved_paragraphs(odt: &Path) -> serde_json::Value {
    let script = r#"
import json, sys
from odf.opendocument import load
from odf import style, text, table, teletype
doc = load(sys.argv[1])
def key(k):
    if k[0].endswith("xsl-fo-compatible:1.0"): return k[1]
    return k[0].rsplit(":", 2)[-2][:1] + ":" + k[1]
def props(s):
    out = {}
    for child in s.childNodes:
        if getattr(child, "qname", ("", ""))[1] in ("paragraph-properties", "text-properties", "table-row-properties", "table-properties"):
            for k, v in child.attributes.items():
                out[key(k)] = v
    return out
styles = {}
default = {}
for root in (doc.styles, doc.automaticstyles, doc.masterstyles):
    for s in root.getElementsByType(style.Style):
        styles[(s.getAttribute("family"), s.getAttribute("name"))] = s
for d in doc.styles.getElementsByType(style.DefaultStyle):
    if d.getAttribute("family") == "paragraph":
        default = props(d)
def resolve(family, name):
    chain = []
    while name and (family, name) in styles and len(chain) < 50:
        s = styles[(family, name)]
        chain.append(s)
        name = s.getAttribute("parentstylename")
    out = dict(default) if family == "paragraph" else {}
    for s in reversed(chain):
        out.update(props(s))
    out["names"] = [s.getAttribute("name") for s in chain]
    return out
faces = {f.getAttribute("name"): f.getAttribute("fontfamily") for f in doc.fontfacedecls.getElementsByType(style.FontFace)}
def in_cell(e):
    p = e.parentNode
    while p is not None:
        if p.qname[1] == "table-cell": return True
        p = p.parentNode
    return False
paras = []
for kind in (text.P, text.H):
    for p in doc.text.getElementsByType(kind):
        paras.append({"style": resolve("paragraph", p.getAttribute("stylename")), "cell": in_cell(p),
                      "heading": kind is text.H, "text": teletype.extractText(p)[:60]})
rows = [resolve("table-row", r.getAttribute("stylename")) for r in doc.text.getElementsByType(table.TableRow)]
tables = [resolve("table", t.getAttribute("stylename")) for t in doc.text.getElementsByType(table.Table)]
print(json.dumps({"faces": faces, "default": default, "paragraphs": paras, "rows": rows, "tables": tables}, ensure_ascii=False))
"#;
    let o = Command::new("python3").arg("-c").arg(script).arg(odt).output().expect("python3 with odfpy");
    assert!(o.status.success(), "odfpy could not read {}: {}", odt.display(), stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Convert `odt` to .docx with LibreOffice (as a member would save it for Word): the
/// text of its `word/styles.xml`, `word/document.xml` and `word/fontTable.xml`.
fn docx_parts(odt: &Path) -> String {
    let dir = odt.parent().unwrap().join("docx");
    let profile = tempfile::tempdir().unwrap();
    let o = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--norestore", "--convert-to", "docx", "--outdir"])
        .arg(&dir)
        .arg(odt)
        .output()
        .expect("soffice");
    let docx = dir.join(odt.file_stem().unwrap()).with_extension("docx");
    assert!(docx.exists(), "no {}: {}", docx.display(), stderr(&o));
    let script = r#"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print("".join(z.read(p).decode() for p in ("word/styles.xml", "word/document.xml", "word/fontTable.xml")))
"#;
    let o = Command::new("python3").arg("-c").arg(script).arg(&docx).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn latin_text_is_set_in_a_latin_face() {
    let series = example_series();
    let out = build(series.path(), &["minutes", "dgbas/113-1"]);
    let odt = out.join("minutes.odt");
    let s = resolved_paragraphs(&odt);
    let face = |key: &str| {
        let name = s["default"][key].as_str().unwrap_or_else(|| panic!("no {key}: {}", s["default"]));
        s["faces"][name].as_str().unwrap_or_else(|| panic!("{name} not declared: {}", s["faces"])).to_string()
    };
    // CJK in TW-Kai, Latin (letters, `-`, `/`) in a Latin face, tagged as Latin text (a
    // Latin face asked for Chinese text is matched to a CJK font by fontconfig).
    assert_eq!(face("s:font-name-asian"), "TW-Kai");
    assert_eq!(face("s:font-name"), "Times New Roman");
    assert_eq!(s["default"]["language"], "en", "{}", s["default"]);
    assert_eq!(s["default"]["s:language-asian"], "zh", "{}", s["default"]);
    // LibreOffice sets the URL (https://hackmd.io/@dgbas-opendata/113-1) in that face:
    // a second font beside TW-Kai in its PDF.
    let lo = libreoffice_pdfs(&[odt]);
    let fonts = pdf_fonts(&lo[0]);
    assert!(fonts.iter().any(|(name, _, _)| name.contains("TW-Kai")), "{fonts:?}");
    assert!(fonts.iter().any(|(name, _, _)| !name.contains("TW-Kai")), "only TW-Kai: {fonts:?}");
    assert!(pdf_page_text(&lo[0], 1).contains("dgbas-opendata/113-1"));
}

#[test]
fn font_names_survive_a_docx_round_trip() {
    let series = example_series();
    let out = build(series.path(), &["build", "dgbas/113-1"]);
    let odt = out.join("agenda.odt");
    let s = resolved_paragraphs(&odt);
    // One family per declared face: LibreOffice reads `A;B` as fallbacks, Word as one name.
    for (name, family) in s["faces"].as_object().unwrap() {
        let family = family.as_str().unwrap();
        assert!(!family.contains([';', ',']), "{name}: {family}");
    }
    let docx = docx_parts(&odt);
    let fonts: Vec<&str> = docx
        .split("w:rFonts ")
        .skip(1)
        .flat_map(|tag| tag[..tag.find('>').unwrap()].split('"').skip(1).step_by(2))
        .collect();
    assert!(!fonts.is_empty(), "no w:rFonts in {docx:.2000}");
    for f in &fonts {
        assert!(!f.contains(';'), "a font list as one name in the .docx: {f}");
    }
    assert!(fonts.contains(&"TW-Kai") && fonts.contains(&"Times New Roman"), "{fonts:?}");
    // Word reads the CJK face from eastAsia, the Latin one from ascii/hAnsi.
    assert!(docx.contains(r#"w:ascii="Times New Roman""#) && docx.contains(r#"w:eastAsia="TW-Kai""#), "{docx:.3000}");
}

/// Words of a PDF whose right edge passes `margin` points from its page's right edge
/// (portrait or landscape), as `xMax word` (pdftotext -bbox).
fn words_right_of(pdf: &Path, margin: f64) -> Vec<String> {
    let o = Command::new("pdftotext").args(["-bbox", pdf.to_str().unwrap(), "-"]).output().expect("pdftotext");
    let html = String::from_utf8(o.stdout).unwrap();
    let attr = |l: &str, name: &str| -> Option<f64> { l.split(name).nth(1)?.split('"').next()?.parse().ok() };
    let mut width = f64::INFINITY;
    html.lines()
        .filter_map(|l| {
            if l.trim_start().starts_with("<page ") {
                width = attr(l, "width=\"")?;
                return None;
            }
            let x_max = attr(l, "xMax=\"")?;
            let word = l.split('>').nth(1)?.split('<').next()?;
            (x_max > width - margin).then(|| format!("{x_max} {word}"))
        })
        .collect()
}

#[test]
fn body_text_is_justified_at_one_and_a_half_lines_inside_the_margins() {
    let series = example_series();
    let out = build(series.path(), &["build", "dgbas/113-1"]);
    build(series.path(), &["minutes", "dgbas/113-1"]);
    let odts = [out.join("agenda.odt"), out.join("minutes.odt")];
    for odt in &odts {
        let s = resolved_paragraphs(odt);
        let mut body = 0;
        for p in s["paragraphs"].as_array().unwrap() {
            if p["cell"] == true {
                continue;
            }
            body += 1;
            let style = &p["style"];
            // Justified, or centred (titles, the attachment label); never ragged, but for
            // the lists of names packet breaks after a 、 itself (as the PDF, flush left).
            let align = style["text-align"].as_str().unwrap_or("start");
            let names = style["names"].as_array().unwrap().iter().any(|n| n == "NameList");
            assert!(align == "justify" || align == "center" || names, "{}: {align}: {p}", odt.display());
            assert_eq!(style["line-height"], "150%", "{}: {p}", odt.display());
        }
        assert!(body > 20, "{body} body paragraphs");
        assert_eq!(s["default"]["s:punctuation-wrap"], "simple", "{}", s["default"]);
    }
    // No punctuation hangs past the right margin (2.5 cm; A4 portrait: 524.4 pt).
    for pdf in libreoffice_pdfs(&odts) {
        let over = words_right_of(&pdf, 2.5 / 2.54 * 72.0 - 1.0);
        assert!(over.is_empty(), "{}: {over:?}", pdf.display());
    }
}

#[test]
fn headings_and_labels_keep_with_what_follows_and_rows_do_not_split() {
    let series = example_series();
    let out = build(series.path(), &["build", "dgbas/113-1"]);
    build(series.path(), &["minutes", "dgbas/113-1"]);
    let out2 = build(series.path(), &["minutes", "dgbas/113-2"]);
    let odts = [out.join("agenda.odt"), out.join("minutes.odt"), out2.join("minutes.odt")];
    let pdfs = libreoffice_pdfs(&odts);
    for (odt, pdf) in odts.iter().zip(&pdfs) {
        let s = resolved_paragraphs(odt);
        let paragraphs = s["paragraphs"].as_array().unwrap();
        let kept = |p: &serde_json::Value| p["style"]["keep-with-next"] == "always";
        // Every heading, every 案由 and every label alone on its line (說明：, 發言要旨：).
        for p in paragraphs.iter().filter(|p| p["cell"] == false) {
            let text = p["text"].as_str().unwrap();
            // A label or lead-in alone (說明：, 發言要旨：, a regulation's （一）行政院諮詢小組：);
            // the agenda's 決定： ends its item, with room to write below it.
            let lead_in = text.ends_with('：') && !["決定：", "決議："].contains(&text);
            // A point that names a part (附件3's 三、紀錄要點) stays with its text too.
            let label = lead_in || text.contains("案由：") || text.starts_with("報告單位：") || text == "三、紀錄要點";
            // (A heading holding its content, 壹、主席致詞：略, need not be.)
            let holds_content = text.contains('：') && !text.ends_with('：') && !text.contains("案由：");
            if (p["heading"] == true && !holds_content) || label {
                assert!(kept(p), "{}: not kept with the next paragraph: {p}", odt.display());
            }
        }
        for row in s["rows"].as_array().unwrap() {
            assert_eq!(row["keep-together"], "always", "{}: {row}", odt.display());
        }
        // In LibreOffice's pages, no page ends with a paragraph kept with the next: the
        // last line of each page is not the end of a heading, a 案由 or a label (whose
        // words a table cell does not also hold: a slide lists the attachments' titles).
        let words = |p: &serde_json::Value| word_chars(p["text"].as_str().unwrap()).into_iter().collect::<String>();
        let cells: Vec<String> = paragraphs.iter().filter(|p| p["cell"] == true).map(words).collect();
        let endings: Vec<String> = paragraphs
            .iter()
            .filter(|p| kept(p) && p["cell"] == false && p["style"]["t:display"] != "none")
            .map(words)
            .filter(|t| t.chars().count() >= 2 && !cells.iter().any(|c| c.contains(t.as_str())))
            .map(|t| t.chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect())
            .collect();
        assert!(endings.len() >= 5, "{endings:?}");
        let pages = pdf_pages(pdf);
        for page in 1..pages {
            let text = pdf_page_text(pdf, page);
            let last = text
                .lines()
                .map(|l| word_chars(l).into_iter().collect::<String>())
                .rfind(|l| !(l.is_empty() || l.starts_with('第') && l.contains("頁共") || l == "紀錄草稿"))
                .unwrap_or_default();
            for e in &endings {
                assert!(
                    !(last.ends_with(e.as_str()) || (last.chars().count() >= 2 && e.ends_with(&last))),
                    "{} page {page} of {pages} ends with a kept paragraph: {last} ({e})",
                    pdf.display()
                );
            }
        }
    }
}

/// Runs of a text no line may break: digits with their Latin punctuation (`103-06-19`,
/// `40,661`, `11304`), four characters or more.
fn number_runs(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || (!c.is_ascii() && !c.is_ascii_punctuation()))
        .filter(|r| r.chars().count() >= 4 && r.chars().any(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

/// Page sizes (width, height in points) of a PDF, by page.
fn page_sizes(pdf: &Path) -> Vec<(f64, f64)> {
    let o = Command::new("pdfinfo").args(["-f", "1", "-l", "9999"]).arg(pdf).output().expect("pdfinfo");
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size: "))
        .filter_map(|l| {
            let mut it = l.split(" size: ").nth(1)?.split_whitespace();
            let w = it.next()?.parse().ok()?;
            it.next();
            Some((w, it.next()?.parse().ok()?))
        })
        .collect()
}

#[test]
fn table_cells_keep_dates_and_numbers_whole_and_headers_in_words() {
    let series = example_series();
    let out = build(series.path(), &["build", "dgbas/113-1"]);
    let odt = out.join("agenda.odt");
    let s = resolved_paragraphs(&odt);
    let cells: Vec<String> = s["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["cell"] == true)
        .map(|p| p["text"].as_str().unwrap().to_string())
        .collect();
    let runs: Vec<String> = cells.iter().flat_map(|c| number_runs(c)).collect();
    assert!(runs.iter().any(|r| r == "103-06-19") && runs.iter().any(|r| r == "1,896"), "{runs:?}");
    let pdf = &libreoffice_pdfs(std::slice::from_ref(&odt))[0];
    // In LibreOffice's lines (pdftotext -raw: a cell's lines each on a line of their own),
    // every date and number of a cell is whole: found on one line as often as the cells
    // hold it.
    let text = pdf_text_raw(pdf);
    let lines: Vec<&str> = text.lines().collect();
    let mut broken = Vec::new();
    for r in &runs {
        let want = cells.iter().map(|c| c.matches(r.as_str()).count()).sum::<usize>();
        let found = lines.iter().map(|l| l.matches(r.as_str()).count()).sum::<usize>();
        if found < want {
            broken.push(format!("{r} ({found} of {want})"));
        }
    }
    assert!(broken.is_empty(), "broken across lines: {broken:?}");
    // No header stacks one character a line (下／載／排／名): no two lines in a row that
    // are each one CJK character.
    let single = |l: &str| l.trim().chars().count() == 1 && !l.trim().is_ascii();
    let stacked: Vec<String> =
        lines.windows(2).filter(|w| single(w[0]) && single(w[1])).map(|w| format!("{}／{}", w[0], w[1])).collect();
    assert!(stacked.is_empty(), "one character a line: {stacked:?}");
    // 附件2 cannot give ten characters of 資料集名稱 beside its dates and numbers on a
    // portrait page at 12 pt: its page is landscape, the body's pages portrait.
    let sizes = page_sizes(pdf);
    let pages = pdf_pages(pdf);
    assert_eq!(sizes.len(), pages);
    let page_of = |needle: &str| (1..=pages).find(|&p| pdf_page_text(pdf, p).contains(needle)).unwrap();
    let (w, h) = sizes[page_of("累計下載") - 1];
    assert!(w > h, "附件2 on a {w}×{h} page");
    let (w, h) = sizes[page_of("品質檢測統計表") - 1];
    assert!(w < h, "附件3 fits a portrait page: {w}×{h}");
    let (w, h) = sizes[page_of("下架資料集項目清單") - 1];
    assert!(w < h, "the next attachment turns back: {w}×{h}");
}

#[test]
fn cover_titles_break_after_the_agency_or_the_name_never_before_a_last_character() {
    let series = example_series();
    let out = build(series.path(), &["build", "dgbas/113-1"]);
    build(series.path(), &["minutes", "dgbas/113-1"]);
    let pdfs = libreoffice_pdfs(&[out.join("agenda.odt"), out.join("minutes.odt")]);
    let demo = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets/demo"), &demo.path().join("demo"));
    let demo_pdf = &libreoffice_pdfs(&[build(demo.path(), &["build", "demo/8"]).join("agenda.odt")])[0];
    // LibreOffice's first lines (pdftotext -raw), up to 時間：.
    let title = |pdf: &Path| -> Vec<String> {
        pdf_page_text(pdf, 1)
            .lines()
            .map(|l| l.split_whitespace().collect::<String>())
            .filter(|l| !l.is_empty())
            .take_while(|l| !l.starts_with("時間："))
            .collect()
    };
    assert_eq!(title(&pdfs[0]), ["行政院主計總處", "「政府資料開放諮詢小組」", "113年第1次會議議程"]);
    assert_eq!(title(&pdfs[1]), ["行政院主計總處「政府資料開放諮詢小組」", "113年第1次會議紀錄"]);
    // A title that fits a line is not broken.
    assert_eq!(title(demo_pdf), ["示範部資料開放諮詢小組第8次會議議程"]);
}

#[test]
fn a_lone_point_is_not_numbered_and_no_empty_explanation_is_printed() {
    let series = example_series();
    // 說明 of one point.
    edit_file(
        series.path(),
        "dgbas/113-1/meeting.toml",
        "2. 檢附「政府資料開放諮詢小組設置要點」及「行政院所屬二級機關政府資料開放諮詢小組運作指引」如附件2至3。\n",
        "",
    );
    let out = build(series.path(), &["build", "dgbas/113-1"]);
    let demo = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets/demo"), &demo.path().join("demo"));
    let demo_out = build(demo.path(), &["build", "demo/8"]);
    let pdfs = libreoffice_pdfs(&[out.join("agenda.odt")]);
    let demo_pdf = &libreoffice_pdfs(&[demo_out.join("agenda.odt")])[0];
    let page = |pdf: &Path, heading: &str| {
        let pages = pdf_pages(pdf);
        let p = (1..=pages).find(|&p| squash(&pdf_page_text(pdf, p)).starts_with(heading)).unwrap();
        squash(&pdf_page_text(pdf, p))
    };
    let first = page(&pdfs[0], "報告事項第一案");
    assert!(first.contains("說明：本次會議係本總處"), "{first}");
    assert!(!first.contains("一、本次會議"), "{first}");
    // Two points are still numbered.
    let all = squash(&pdf_text(&pdfs[0]));
    assert!(all.contains("一、本總處資料開放行動方案") && all.contains("二、本次地方統計推展中心"), "{all}");
    // demo 8's discussion item has no 說明: no empty label.
    let discussion = page(demo_pdf, "討論事項第一案");
    assert!(discussion.contains("案由：") && !discussion.contains("說明："), "{discussion}");
    assert!(page(demo_pdf, "報告事項第一案").contains("說明："), "the tracking table keeps its label");
}

#[test]
fn attendance_lists_break_between_names_never_inside_one() {
    let series = example_series();
    let out = build(series.path(), &["minutes", "dgbas/113-1"]);
    let pdf = &libreoffice_pdfs(&[out.join("minutes.odt")])[0];
    let text = pdf_page_text(pdf, 1);
    let lines: Vec<String> =
        text.lines().map(|l| l.split_whitespace().collect()).filter(|l: &String| !l.is_empty()).collect();
    let start = lines.iter().position(|l| l.starts_with("出席者：")).unwrap();
    let end = lines.iter().position(|l| l.starts_with("逐字紀錄：")).unwrap();
    let block = &lines[start..end];
    assert!(block.len() >= 5, "{block:?}");
    // Each line of a list ends after a 、, but the list's last (the next starts a label).
    let labels = ["列席者：", "請假者："];
    for (i, line) in block.iter().enumerate() {
        let last_of_list = block.get(i + 1).is_none_or(|n| labels.iter().any(|l| n.starts_with(l)));
        assert!(last_of_list || line.ends_with('、'), "a name broken across lines: {line} / {:?}", block.get(i + 1));
    }
    // Every name is printed, in order.
    let names: String = block.concat();
    assert!(
        names.contains("黃○○委員（李○○代）、張○○委員") && names.contains("地方統計推展中心陳○○專門委員"),
        "{names}"
    );
}

#[test]
fn tracking_table_columns_are_shared_by_what_they_hold() {
    let series = example_series();
    let out = build(series.path(), &["build", "dgbas/113-2"]);
    let odt = out.join("agenda.odt");
    let pdf = &libreoffice_pdfs(std::slice::from_ref(&odt))[0];
    let text = pdf_text_raw(pdf);
    // 列管建議 whole on its line in every row (a fixed share of 0.6 wrapped each).
    let advice = text.lines().filter(|l| l.contains("建議解除列管") || l.contains("建議繼續列管")).count();
    assert_eq!(advice, 4, "{text}");
    // 案由 keeps a fair share beside a long 辦理情形: at least a fifth of the table (the
    // columns' widths from the ODT's styles).
    let xml = odt_xml(&odt);
    let widths: Vec<f64> = xml
        .split("<style:table-column-properties style:column-width=\"")
        .skip(1)
        .map(|w| w.split("cm").next().unwrap().parse().unwrap())
        .take(4)
        .collect();
    assert!(widths[0] / widths.iter().sum::<f64>() >= 0.2, "{widths:?}");
}

#[test]
fn the_minutes_do_not_end_on_a_page_holding_only_their_closing_line() {
    let demo = tempfile::tempdir().unwrap();
    copy_tree(&root().join("packets/demo"), &demo.path().join("demo"));
    let out = build(demo.path(), &["minutes", "demo/8"]);
    let series = example_series();
    let dgbas = build(series.path(), &["minutes", "dgbas/113-1", "--internal"]);
    let pdfs = libreoffice_pdfs(&[out.join("minutes.odt")]);
    let internal = libreoffice_pdfs(&[dgbas.join("minutes-internal.odt")]);
    for pdf in pdfs.iter().chain(&internal) {
        let pages = pdf_pages(pdf);
        let last: Vec<String> = pdf_page_text(pdf, pages)
            .lines()
            .map(|l| l.split_whitespace().collect::<String>())
            .filter(|l| {
                !(l.is_empty() || l.starts_with('第') && l.contains("頁，共") || l == "內部" || l == "紀錄草稿")
            })
            .collect();
        assert!(last.last().is_some_and(|l| l.starts_with("伍、散會")), "{}: {last:?}", pdf.display());
        // More than 伍、散會 and a one-line 肆、臨時動議：無 above it.
        assert!(last.len() >= 3, "{} page {pages}: {last:?}", pdf.display());
    }
}
