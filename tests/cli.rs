//! The command line in Chinese (help, errors, the start guide, suggestions), shell
//! completions, and the editor schemas (`packet schema --out`, the `#:schema` lines)
//! checked with taplo, the TOML toolkit behind VS Code's Even Better TOML.

use std::path::Path;
use std::process::Output;

use crate::common::{copy_tree, packet, root, stderr};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// clap's English words, none of which may reach the user.
const ENGLISH: [&str; 10] = [
    "Usage",
    "Options",
    "Commands",
    "Arguments",
    "Print help",
    "Print version",
    "error:",
    "tip:",
    "[default:",
    "[OPTIONS]",
];

fn assert_no_english(text: &str) {
    for word in ENGLISH {
        assert!(!text.contains(word), "「{word}」 in:\n{text}");
    }
    assert!(!text.contains('\u{1b}'), "ANSI escape in:\n{text}");
}

#[test]
fn help_of_every_command_is_in_chinese() {
    let top = packet(&root(), &["--help"]);
    assert!(top.status.success());
    let text = stdout(&top);
    assert!(text.contains("用法：packet <命令>") && text.contains("命令：") && text.contains("顯示說明"), "{text}");
    assert_no_english(&text);
    // Every command listed, each one's own help too (a command added later is covered).
    let names: Vec<String> = text
        .split("命令：\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert!(names.len() >= 11 && names.contains(&"completions".to_string()), "{names:?}");
    for name in &names {
        let o = packet(&root(), &[name, "--help"]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let help = stdout(&o);
        assert!(help.contains(&format!("用法：packet {name}")) && help.contains("選項："), "{name}:\n{help}");
        assert_no_english(&help);
    }
    // `packet help build` is `packet build --help`.
    let o = packet(&root(), &["help", "build"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), stdout(&packet(&root(), &["build", "--help"])));
}

#[test]
fn no_arguments_print_a_start_guide() {
    let o = packet(&root(), &[]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    for step in ["開始使用", "packet init", "packet check", "packet build", "agenda.pdf", "packet --help"] {
        assert!(text.contains(step), "{step} missing:\n{text}");
    }
    assert_no_english(&text);
}

#[test]
fn errors_are_in_chinese_and_exit_2() {
    for (args, wanted) in [
        (&["init"][..], "錯誤：缺少必要的參數：--agency <AGENCY>、<DIR>"),
        (&["build", "x", "--bogus"][..], "錯誤：不認得的參數「--bogus」"),
        (&["build", "x", "--outptu", "y"][..], "提示：是否要用「--output」？"),
        (&["tracking", "x", "--csv", "--json"][..], "不能與"),
        (&["completions", "tcsh"][..], "可用的值：bash、elvish、fish、powershell、zsh"),
        (&["build", "x", "--pdf-standard", "a-9"][..], "--pdf-standard <STD> 的值「a-9」無效：不支援的 PDF 標準"),
    ] {
        let o = packet(&root(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let text = stderr(&o);
        assert!(text.contains(wanted), "{args:?}: {text}");
        assert!(text.contains(&format!("說明：packet {} --help", args[0])), "{args:?}: {text}");
        assert_no_english(&text);
    }
}

/// clap's Jaro score rates 'minutes' similar to 'init' and 'inti' (0.73 > its 0.7
/// threshold, so `packet init` suggested 'minutes' before init existed): one best guess
/// by edit distance instead.
#[test]
fn a_mistyped_command_suggests_the_one_meant() {
    for (typed, meant) in [
        ("inti", "init"),
        ("int", "init"),
        ("buidl", "build"),
        ("minute", "minutes"),
        ("chek", "check"),
        ("shema", "schema"),
        ("tracing", "tracking"),
        ("dead", "deadlines"),
        ("completion", "completions"),
    ] {
        let o = packet(&root(), &[typed]);
        assert_eq!(o.status.code(), Some(2));
        let text = stderr(&o);
        assert!(text.contains(&format!("錯誤：沒有「{typed}」這個命令")), "{text}");
        let tip = text.lines().find(|l| l.contains("提示")).unwrap_or_default();
        assert_eq!(tip, format!("  提示：是否要執行「packet {meant}」？"), "{typed}: {text}");
    }
    // Nothing near: the list of commands, no guess.
    let text = stderr(&packet(&root(), &["agenda"]));
    assert!(text.contains("可用的命令：build、minutes") && !text.contains("是否要"), "{text}");
}

#[test]
fn completions_for_powershell_bash_and_zsh() {
    for (shell, marker) in
        [("powershell", "Register-ArgumentCompleter"), ("bash", "complete -F"), ("zsh", "#compdef packet")]
    {
        let o = packet(&root(), &["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(script.contains(marker), "{shell}:\n{script}");
        // Every command and a nested option are completed.
        for word in ["build", "minutes", "export", "init", "--pdf-standard"] {
            assert!(script.contains(word), "{shell}: {word} missing");
        }
    }
    // The zsh script carries the Chinese descriptions.
    assert!(stdout(&packet(&root(), &["completions", "zsh"])).contains("產生議程 PDF"));
    // bash parses it.
    let o = packet(&root(), &["completions", "bash"]);
    let check = std::process::Command::new("bash").args(["-n", "-c", &stdout(&o)]).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

/// `taplo check` (pip install taplo): exit status and what it printed.
fn taplo(dir: &Path, args: &[&str]) -> (bool, String) {
    let o = std::process::Command::new("taplo")
        .args(["check", "--no-auto-config"])
        .args(args)
        .current_dir(dir)
        .env("RUST_LOG", "error")
        .output()
        .expect("taplo is needed for this test (pip install taplo; scripts/test.sh installs it)");
    (o.status.success(), format!("{}{}", stdout(&o), stderr(&o)))
}

#[test]
fn schema_out_writes_two_strict_files_that_taplo_applies() {
    let t = tempfile::tempdir().unwrap();
    let o = packet(t.path(), &["schema", "--out", "schemas"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = t.path().join("schemas");
    let group: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("group.schema.json")).unwrap()).unwrap();
    let meeting: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("meeting.schema.json")).unwrap()).unwrap();
    assert!(group["properties"]["member"].is_object() && group["properties"].get("report").is_none(), "{group}");
    assert!(meeting["properties"]["place"].is_object() && meeting["properties"].get("member").is_none());
    let url = |name: &str| format!("file://{}", dir.join(name).display());
    // Every example file of both series passes its schema …
    for series in ["packets/dgbas", "packets/demo"] {
        let base = root().join(series);
        let (ok, out) = taplo(&base, &["--schema", &url("group.schema.json"), "group.toml"]);
        assert!(ok, "{series}/group.toml: {out}");
        for m in std::fs::read_dir(&base).unwrap().flatten().filter(|e| e.path().join("meeting.toml").is_file()) {
            let file = m.path().join("meeting.toml");
            let (ok, out) = taplo(&base, &["--schema", &url("meeting.schema.json"), &file.to_string_lossy()]);
            assert!(ok, "{}: {out}", file.display());
        }
    }
    // … and a misspelt key is refused, in a table and inside an array of tables.
    let text = std::fs::read_to_string(root().join("packets/dgbas/113-1/meeting.toml")).unwrap();
    for (from, to) in [("\nplace = ", "\nplaec = "), ("\nunit = ", "\nunti = ")] {
        assert!(text.contains(from));
        std::fs::write(t.path().join("m.toml"), text.replacen(from, to, 1)).unwrap();
        let (ok, out) = taplo(t.path(), &["--schema", &url("meeting.schema.json"), "m.toml"]);
        let key = to.trim().trim_end_matches(" =");
        assert!(!ok && out.contains(&format!("'{key}' was unexpected")), "{key} passed: {out}");
    }
}

#[test]
fn init_and_new_write_schema_lines_that_taplo_follows() {
    let t = tempfile::tempdir().unwrap();
    let o = packet(t.path(), &["init", "s", "--agency", "示範署"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = std::fs::read_dir(t.path().join("s")).unwrap().flatten().find(|e| e.path().is_dir()).unwrap().path();
    // `packet new` after it, in an older series without schema files, writes them.
    copy_tree(&root().join("packets/dgbas"), &t.path().join("dgbas"));
    assert!(!t.path().join("dgbas/meeting.schema.json").exists());
    let o = packet(t.path(), &["new", "dgbas", "--date", "2025-01-20"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let new = std::fs::read_to_string(t.path().join("dgbas/114-1/meeting.toml")).unwrap();
    assert!(new.starts_with("#:schema ../meeting.schema.json\n"), "{new}");
    assert!(t.path().join("dgbas/meeting.schema.json").is_file());
    // taplo finds the schema from the line alone: the files pass, a typo fails.
    let files = [first.join("meeting.toml"), t.path().join("s/group.toml"), t.path().join("dgbas/114-1/meeting.toml")];
    for file in &files {
        let (ok, out) = taplo(t.path(), &[&file.to_string_lossy()]);
        assert!(ok, "{}: {out}", file.display());
        let text = std::fs::read_to_string(file).unwrap();
        std::fs::write(file, text.replacen("\nname = ", "\nnmae = ", 1).replacen("\nplace = ", "\nplaec = ", 1))
            .unwrap();
        let (ok, out) = taplo(t.path(), &[&file.to_string_lossy()]);
        assert!(!ok && out.contains("was unexpected"), "{}: {out}", file.display());
    }
}
