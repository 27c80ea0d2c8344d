//! The source layout: one folder per pipeline stage, each importing only the stages
//! below it, no import cycles between modules, no overlong files or functions. Read from
//! `src/` itself, so a change that breaks the layout fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::root;

/// The stages from the bottom up: each may import only the ones before it.
const LAYERS: &[&str] = &[
    "diag", "output", "text", "model", "rules", "typeset", "render", "odf", "build", "batch", "export", "serve", "cli",
];

/// Longest source file, in lines.
const MAX_LINES: usize = 600;

/// Longest function outside tests, in lines from its signature to its closing brace
/// (comments and blank lines included).
const MAX_FN_LINES: usize = 100;

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
    // Submodules are nodes of their own: rules::tracking imports rules::proceedings.
    assert!(g.edges.get("rules::tracking").is_some_and(|t| t.contains_key("rules::proceedings")));
}

#[test]
fn no_source_file_is_overlong() {
    let g = graph();
    let long: Vec<String> =
        g.lines.iter().filter(|(_, n)| *n > MAX_LINES).map(|(f, n)| format!("{}: {n} lines", f.display())).collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines:\n{}", long.join("\n"));
    assert!(g.lines.len() > 20, "found only {} source files", g.lines.len());
}

/// A function of the source: where it is and how long.
#[derive(Debug)]
struct FnLength {
    name: String,
    line: usize,
    lines: usize,
}

/// Whether `attrs` hold `#[test]` or `#[cfg(test)]`: code that only the tests compile.
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("test")
            || (a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|arg| arg == "test"))
    })
}

/// Every function with a body in a parsed file (free functions, methods, trait methods
/// with a default body, functions nested in others), measured by the parser's spans:
/// the line of the signature (`fn`, or `pub`, `const`… before it; not its doc comment or
/// attributes) to the line of the closing brace. Test code is left out, and so are the
/// files of `#[cfg(test)] mod x;` declarations, whose paths go to `test_files`.
struct Lengths<'a> {
    file: &'a Path,
    found: Vec<FnLength>,
    test_files: Vec<PathBuf>,
}

impl Lengths<'_> {
    fn measure(&mut self, vis: Option<&syn::Visibility>, sig: &syn::Signature, block: &syn::Block) {
        use syn::spanned::Spanned;
        let first = match vis {
            None | Some(syn::Visibility::Inherited) => sig.span(),
            Some(vis) => vis.span(),
        }
        .start()
        .line;
        let last = block.brace_token.span.close().end().line;
        self.found.push(FnLength { name: sig.ident.to_string(), line: first, lines: last - first + 1 });
    }

    /// The file of an out-of-line `mod name;` (`#[path]`, or `name.rs` / `name/mod.rs`
    /// beside a `mod.rs`/`lib.rs`, under the file's own folder otherwise).
    fn module_file(&self, m: &syn::ItemMod) -> PathBuf {
        let dir = self.file.parent().unwrap();
        let path_attr = m.attrs.iter().find(|a| a.path().is_ident("path")).and_then(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        });
        if let Some(p) = path_attr {
            return dir.join(p);
        }
        let stem = self.file.file_stem().unwrap().to_string_lossy();
        let base = if stem == "mod" || stem == "lib" || stem == "main" { dir.to_path_buf() } else { dir.join(&*stem) };
        let name = m.ident.to_string();
        let flat = base.join(format!("{name}.rs"));
        if flat.is_file() { flat } else { base.join(name).join("mod.rs") }
    }
}

impl<'ast> syn::visit::Visit<'ast> for Lengths<'_> {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if is_test(&f.attrs) {
            return;
        }
        self.measure(Some(&f.vis), &f.sig, &f.block);
        syn::visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if is_test(&f.attrs) {
            return;
        }
        self.measure(Some(&f.vis), &f.sig, &f.block);
        syn::visit::visit_impl_item_fn(self, f);
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if is_test(&f.attrs) {
            return;
        }
        if let Some(block) = &f.default {
            self.measure(None, &f.sig, block);
        }
        syn::visit::visit_trait_item_fn(self, f);
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if is_test(&m.attrs) {
            if m.content.is_none() {
                self.test_files.push(self.module_file(m));
            }
            return;
        }
        syn::visit::visit_item_mod(self, m);
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        if !is_test(&i.attrs) {
            syn::visit::visit_item_impl(self, i);
        }
    }
}

/// The functions of one source text (`file` names it, and places its `mod x;` files).
fn function_lengths(file: &Path, text: &str) -> (Vec<FnLength>, Vec<PathBuf>) {
    let parsed = syn::parse_file(text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut lengths = Lengths { file, found: Vec::new(), test_files: Vec::new() };
    syn::visit::Visit::visit_file(&mut lengths, &parsed);
    (lengths.found, lengths.test_files)
}

/// Functions over [`MAX_FN_LINES`] in the given files, leaving out the files that are
/// test modules of others; also how many functions were measured.
fn overlong_functions(files: &[PathBuf]) -> (Vec<String>, usize) {
    let mut measured = Vec::new();
    let mut test_files = Vec::new();
    for file in files {
        let (found, tests) = function_lengths(file, &std::fs::read_to_string(file).unwrap());
        measured.push((file, found));
        test_files.extend(tests);
    }
    let mut long = Vec::new();
    let mut count = 0;
    for (file, found) in measured {
        if test_files.contains(file) {
            continue;
        }
        count += found.len();
        for f in found.into_iter().filter(|f| f.lines > MAX_FN_LINES) {
            long.push(format!("{}:{}: {}: {} lines", file.display(), f.line, f.name, f.lines));
        }
    }
    (long, count)
}

#[test]
fn no_function_is_overlong() {
    let mut files = Vec::new();
    sources(&root().join("src"), &mut files);
    files.sort();
    let (long, count) = overlong_functions(&files);
    let long: Vec<String> = long.iter().map(|l| l.replace(&format!("{}/", root().display()), "")).collect();
    assert!(long.is_empty(), "functions over {MAX_FN_LINES} lines (outside tests):\n{}", long.join("\n"));
    assert!(count > 500, "measured only {count} functions");
}

/// A function of `lines` lines from signature to closing brace, with a comment and a
/// blank line in its body.
fn synthetic_fn(name: &str, signature: &str, lines: usize) -> String {
    let mut body: Vec<String> = format!("{signature} {{").lines().map(str::to_string).collect();
    body.extend(["    // a comment counts".to_string(), String::new()]);
    while body.len() < lines - 1 {
        body.push(format!("    let _x{} = {};", body.len(), body.len()));
    }
    body.push("}".to_string());
    body.join("\n").replace("NAME", name)
}

#[test]
fn the_function_counter_measures_from_signature_to_closing_brace() {
    let text = format!(
        "//! a file\n\n/// doc\n#[inline]\n{}\n\n{}\n\nstruct S;\nimpl S {{\n{}\n}}\n\ntrait T {{\n{}\n}}\n\n#[cfg(test)]\nmod tests {{\n{}\n}}\n\n#[cfg(test)]\nmod more;\n",
        synthetic_fn("long", "pub fn NAME()", 101),
        synthetic_fn("limit", "fn NAME(\n    a: u8,\n) -> u8", 100),
        synthetic_fn("method", "    pub(crate) async fn NAME(&self)", 101),
        synthetic_fn("provided", "    fn NAME(&self)", 101),
        synthetic_fn("in_tests", "    fn NAME()", 150),
    );
    let file = Path::new("/src/x/mod.rs");
    let (found, test_files) = function_lengths(file, &text);
    let by_name = |n: &str| found.iter().find(|f| f.name == n).map(|f| (f.line, f.lines));
    assert_eq!(by_name("long"), Some((5, 101)), "{found:?}");
    assert_eq!(by_name("limit"), Some((107, 100)));
    assert_eq!(by_name("method"), Some((210, 101)));
    assert_eq!(by_name("provided"), Some((314, 101)));
    assert_eq!(by_name("in_tests"), None, "test code is not measured");
    assert_eq!(test_files, [PathBuf::from("/src/x/more/mod.rs")]);
    assert_eq!(found.len(), 4);
}

#[test]
fn the_layout_test_fails_on_a_101_line_function() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, lines: usize| {
        let path = dir.path().join(name);
        std::fs::write(&path, synthetic_fn("f", "pub fn NAME()", lines)).unwrap();
        path
    };
    let (long, count) = overlong_functions(&[write("ok.rs", 100), write("long.rs", 101)]);
    assert_eq!(count, 2);
    assert_eq!(long, [format!("{}:1: f: 101 lines", dir.path().join("long.rs").display())]);
}
