//! The source layout: one folder per pipeline stage, each importing only the stages
//! below it, no import cycles between modules, no overlong files. Read from `src/`
//! itself, so a change that breaks the layout fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::root;

/// The stages from the bottom up: each may import only the ones before it.
const LAYERS: &[&str] = &[
    "diag", "output", "text", "model", "rules", "typeset", "render", "odf", "build", "batch", "export", "serve", "cli",
];

/// Longest source file, in lines.
const MAX_LINES: usize = 600;

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `src/rules/check/dates.rs` → `["rules", "check", "dates"]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// A module as a node of the graph: its first two path segments (`rules::check`), so a
/// folder's private submodules count as the folder.
fn node(path: &[String]) -> String {
    path.iter().take(2).cloned().collect::<Vec<_>>().join("::")
}

/// The modules a file refers to (`crate::x::y`, `super::x`), as full paths, leaving out
/// the declarations and re-exports of its own submodules (`mod x;`, `pub use x::…`).
fn references(src: &Path, file: &Path, text: &str) -> Vec<Vec<String>> {
    let me = module_of(src, file);
    let is_module = |path: &[String]| {
        let base = src.join(path.join("/"));
        base.with_extension("rs").is_file() || base.join("mod.rs").is_file()
    };
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.trim_start();
        if code.starts_with("//") || code.starts_with("mod ") || code.starts_with("pub mod ") {
            continue;
        }
        for (prefix, base) in [("crate::", Vec::new()), ("super::", me[..me.len().saturating_sub(1)].to_vec())] {
            let mut rest = code;
            while let Some(at) = rest.find(prefix) {
                // `super::` inside `crate::a::super::` does not occur; a word before it does.
                let before = rest[..at].chars().next_back();
                rest = &rest[at + prefix.len()..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let mut path = base.clone();
                for segment in rest.split("::") {
                    let name: String = segment.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    if name.is_empty() || name == "self" {
                        break;
                    }
                    let mut next = path.clone();
                    next.push(name);
                    if !is_module(&next) {
                        break;
                    }
                    path = next;
                }
                out.push(path);
            }
        }
    }
    out
}

struct Graph {
    /// node → nodes it imports, with one file that does it.
    edges: BTreeMap<String, BTreeMap<String, String>>,
    lines: Vec<(PathBuf, usize)>,
}

fn graph() -> Graph {
    let src = root().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut lines = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        lines.push((file.clone(), text.lines().count()));
        if file.ends_with("main.rs") {
            continue; // the binary: `packet::cli::run`, outside the library
        }
        let from = node(&module_of(&src, file));
        for to in references(&src, file, &text) {
            let to = node(&to);
            if !to.is_empty() && to != from && !to.starts_with(&format!("{from}::")) && !from.is_empty() {
                let rel = file.strip_prefix(&src).unwrap().display().to_string();
                edges.entry(from.clone()).or_default().entry(to).or_insert(rel);
            }
        }
    }
    Graph { edges, lines }
}

fn layer(node: &str) -> Option<usize> {
    let top = node.split("::").next().unwrap_or(node);
    LAYERS.iter().position(|l| *l == top)
}

#[test]
fn every_stage_imports_only_the_stages_below_it() {
    let g = graph();
    let mut wrong = Vec::new();
    let mut by_layer: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for (from, tos) in &g.edges {
        let Some(lf) = layer(from) else {
            wrong.push(format!("{from}: not a stage of LAYERS"));
            continue;
        };
        for (to, file) in tos {
            match layer(to) {
                Some(lt) if lt < lf => {
                    by_layer.entry(lf).or_default().insert(LAYERS[lt]);
                }
                Some(lt) if lt == lf => {} // within one folder: the cycle test below
                _ => wrong.push(format!("{file}: {from} → {to}")),
            }
        }
    }
    for (l, uses) in &by_layer {
        eprintln!("{} uses {}", LAYERS[*l], uses.iter().copied().collect::<Vec<_>>().join(", "));
    }
    assert!(wrong.is_empty(), "imports that point up the pipeline:\n{}", wrong.join("\n"));
    // The graph is not empty by accident (a parser that finds nothing passes nothing).
    assert!(by_layer.get(&layer("cli").unwrap()).is_some_and(|u| u.contains("build")));
    assert!(by_layer.get(&layer("render").unwrap()).is_some_and(|u| u.contains("model")));
}

#[test]
fn no_module_imports_itself_through_others() {
    let g = graph();
    // Depth-first search for a back edge; report the cycle it closes.
    fn visit<'a>(
        n: &'a str,
        g: &'a BTreeMap<String, BTreeMap<String, String>>,
        state: &mut BTreeMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
        cycles: &mut Vec<String>,
    ) {
        state.insert(n, 1);
        stack.push(n);
        for to in g.get(n).into_iter().flat_map(|t| t.keys()) {
            match state.get(to.as_str()) {
                Some(1) => {
                    let start = stack.iter().position(|s| s == to).unwrap();
                    cycles.push(format!("{} → {to}", stack[start..].join(" → ")));
                }
                Some(_) => {}
                None => visit(to, g, state, stack, cycles),
            }
        }
        stack.pop();
        state.insert(n, 2);
    }
    let mut state = BTreeMap::new();
    let mut cycles = Vec::new();
    for n in g.edges.keys() {
        if !state.contains_key(n.as_str()) {
            visit(n, &g.edges, &mut state, &mut Vec::new(), &mut cycles);
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
    // Submodules are nodes of their own: rules::tracking imports rules::minutes.
    assert!(g.edges.get("rules::tracking").is_some_and(|t| t.contains_key("rules::minutes")));
}

#[test]
fn no_source_file_is_overlong() {
    let g = graph();
    let long: Vec<String> =
        g.lines.iter().filter(|(_, n)| *n > MAX_LINES).map(|(f, n)| format!("{}: {n} lines", f.display())).collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines:\n{}", long.join("\n"));
    assert!(g.lines.len() > 20, "found only {} source files", g.lines.len());
}
