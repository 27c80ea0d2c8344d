//! Unit tests of the Markdown → Typst conversion.
use super::*;

fn md(s: &str) -> String {
    to_typst(s, &MdContext::default()).unwrap()
}

#[test]
fn ordered_lists_use_official_numbering() {
    let out = md("1. 甲\n   1. 乙\n2. 丙\n");
    assert_eq!(out, "#numbered((\"一、\", \"二、\", ),\n  [甲\n\n#numbered((\"（一）\", ),\n  [乙],\n)],\n  [丙],\n)");
    let out = md("3. 丙\n4. 丁\n");
    assert!(out.starts_with("#numbered((\"三、\", \"四、\", ),"), "{out}");
}

#[test]
fn bullet_lists_are_lists() {
    let out = md("- 甲\n- 乙\n");
    assert_eq!(out, "#bulleted(\n  [甲],\n  [乙],\n)");
}

#[test]
fn soft_breaks_between_cjk_vanish() {
    assert_eq!(md("政府資料\n開放"), "政府資料開放");
    assert_eq!(md("open\ndata"), "open data");
}

#[test]
fn html_and_typst_print_as_text() {
    let out = md("<b>x</b> #sys.exit() $x$");
    assert!(!out.replace("\\#", "").contains('#'), "unescaped # in {out}");
    assert!(out.contains("\\#sys\\.exit()"), "{out}");
    assert!(out.contains("<b\\>") || out.contains("\\<b\\>"), "{out}");
}

#[test]
fn one_paragraph() {
    assert!(is_one_paragraph("略"));
    assert!(is_one_paragraph("感謝各位委員\n出席。"));
    assert!(!is_one_paragraph("甲\n\n乙"));
    assert!(!is_one_paragraph("1. 甲"));
    assert!(!is_one_paragraph("一、甲"));
}

#[test]
fn marker_paragraphs_nest() {
    let out = md("一、甲\n\n（一）乙\n\n1\\. 丙\n\n二、丁\n");
    assert_eq!(
        out,
        concat!(
            "#numbered((\"一、\", \"二、\", ),\n",
            "  [甲\n\n",
            "#numbered((\"（一）\", ),\n",
            "  [乙\n\n",
            "#numbered((\"1.\", ),\n",
            "  [丙],\n)],\n)],\n",
            "  [丁],\n)"
        )
    );
}

#[test]
fn paragraphs_and_lists_after_a_point_belong_to_it() {
    // Regulation text: a plain paragraph continues the point before it, a point at
    // a level that was left closes the deeper ones, and a heading ends the list.
    let out = md("六、甲\n\n乙\n\n(二)丙\n\n七、丁\n\n- 戊\n\n## 己\n\n八、庚\n");
    assert_eq!(
        out,
        concat!(
            "#numbered((\"六、\", \"七、\", ),\n",
            "  [甲\n\n乙\n\n",
            "#numbered((\"(二)\", ),\n",
            "  [丙],\n)],\n",
            "  [丁\n\n#bulleted(\n  [戊],\n)],\n)\n\n",
            "#mdh(2)[己]\n\n",
            "#numbered((\"八、\", ),\n",
            "  [庚],\n)"
        )
    );
}

#[test]
fn text_before_the_first_point_stays_a_paragraph() {
    let out = md("前言\n\n一、甲\n");
    assert!(out.starts_with("前言\n\n#numbered((\"一、\", ),"), "{out}");
}

#[test]
fn a_marker_before_emphasis_is_a_marker() {
    // As the seed writes it: `(一) **年度預計開放項目**：…` hangs like （一）乙.
    let out = md("一、甲\n\n(一) **乙**：丙\n");
    assert!(out.contains("#numbered((\"(一)\", ),"), "{out}");
    assert!(out.contains("[#strong[乙]：丙]"), "{out}");
}

#[test]
fn a_lone_point_loses_its_marker() {
    assert_eq!(lone_point("1. 辦理情形如附表。").as_deref(), Some("辦理情形如附表。"));
    assert_eq!(lone_point("\n1.  第一行\n    第二行\n").as_deref(), Some("第一行\n第二行"));
    assert_eq!(lone_point("1. 甲\n2. 乙"), None);
    assert_eq!(lone_point("- 甲"), None);
    assert_eq!(lone_point("前言\n\n1. 甲"), None);
    assert_eq!(lone_point("1. 甲\n   1. 子\n   2. 丑").as_deref(), Some("甲\n1. 子\n2. 丑"));
}
