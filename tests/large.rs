//! Large input: a meeting with 300 items and a 20,000-row CSV attachment builds.
//! The generator is `examples/gen_large.rs` (also a command: `cargo run --example
//! gen_large -- DIR`); the benchmark issue times it.

#[allow(dead_code)]
#[path = "../examples/gen_large.rs"]
mod gen_large;

use crate::common::*;

/// Generate, build the agenda and the minutes, and check the first and last of everything.
fn build_large(items: usize, rows: usize) {
    let dir = tempfile::tempdir().unwrap();
    let meeting = gen_large::generate(dir.path(), items, rows).unwrap();
    let meeting = meeting.to_str().unwrap();
    for (command, pdf) in [("build", "agenda.pdf"), ("minutes", "minutes.pdf")] {
        let start = std::time::Instant::now();
        let o = packet(dir.path(), &[command, meeting, "-q", "-o", "out"]);
        assert!(o.status.success(), "{command}: {}", stderr(&o));
        eprintln!(
            "{command}: {items} items, {rows} rows: {} pages in {:.1} s",
            pdf_pages(&dir.path().join("out").join(pdf)),
            start.elapsed().as_secs_f64()
        );
    }
    let agenda = squash(&pdf_text_raw(&dir.path().join("out/agenda.pdf")));
    let last_item = format!("第{}次更新作業規劃", items);
    assert!(agenda.contains(&last_item), "item {items} is missing");
    let last_row = gen_large::csv(rows).lines().last().unwrap().split(',').nth(1).unwrap().to_string();
    assert!(agenda.contains(&squash(&last_row)), "row {rows} ({last_row}) is missing");
    let minutes = squash(&pdf_text_raw(&dir.path().join("out/minutes.pdf")));
    assert!(minutes.contains(&last_item), "item {items} is missing from the minutes");
}

/// All 300 items, a smaller table: fast enough for every test run.
#[test]
fn three_hundred_items_build() {
    build_large(gen_large::ITEMS, 500);
}

/// The full size: 300 items and 20,000 rows (1,480 pages). Measured on a 2-core machine:
/// release 29–35 s and 2.7 GB peak for the agenda (the 20,000-row table alone: 24 s,
/// 2.5 GB; the 300 items alone: 2 s, 350 MB), 1.7 s for the minutes; a debug build takes
/// about 2.5 minutes. `cargo test --release --test integration large -- --ignored`.
#[test]
#[ignore = "slow in a debug build: run with --release -- --ignored"]
fn three_hundred_items_and_twenty_thousand_rows_build() {
    build_large(gen_large::ITEMS, gen_large::ROWS);
}
