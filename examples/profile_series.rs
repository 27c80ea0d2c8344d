//! Where a series build spends its time: each meeting of a series built in turn in one
//! process (as `packet build <series>` does, but on one thread), with the time of each
//! stage. The first meeting is cold; later ones show what Typst's layout cache saves.
//!
//!     cargo run --release --example profile_series -- packets/dgbas
//!
//! For instruction counts (repeatable on a busy machine):
//!     valgrind --tool=callgrind target/release/examples/profile_series packets/dgbas

use std::sync::Arc;
use std::time::Instant;

use packet::model::{Packet, Series};
use typst_layout::PagedDocument;

fn main() {
    let Some(series) = std::env::args().nth(1) else {
        eprintln!("usage: profile_series <series-dir>");
        std::process::exit(2);
    };
    let fonts = Arc::new(packet::typeset::fonts::FontSet::load(&[]).expect("embedded fonts"));
    let families = fonts.families(packet::typeset::fonts::DEFAULT_FAMILY);
    let calendar = packet::model::calendar::Calendar::embedded();
    println!("meeting\tload+check ms\trender ms\tlayout ms\tpdf ms\tpages");
    for dir in packet::model::meeting_dirs(std::path::Path::new(&series)).expect("series dir") {
        let t = Instant::now();
        let Ok(packet) = Packet::load(&dir) else {
            println!("{}\t(does not load)", dir.display());
            continue;
        };
        let series = Series::of(&packet);
        let _ = packet::rules::check::check_for_build(&packet, series.as_ref(), &calendar);
        let t_load = t.elapsed();
        let t = Instant::now();
        let series = series.map(|s| s.expect("series"));
        let opts = packet::render::AttachOptions { draw_pdf: Some((&fonts, &families)), public: false };
        let rendered = packet::render::agenda(&packet, series.as_ref(), &families, &opts).expect("render");
        let t_render = t.elapsed();
        let world = packet::typeset::world::PacketWorld::new(
            fonts.clone(),
            "agenda.typ",
            rendered.source,
            Some(&packet.series_dir),
        )
        .with_generated(&packet::render::generated_files(&rendered.document));
        let t = Instant::now();
        let document = typst::compile::<PagedDocument>(&world).output.expect("compile");
        let t_layout = t.elapsed();
        let t = Instant::now();
        let options = typst_pdf::PdfOptions { tagged: true, ..Default::default() };
        let _pdf = typst_pdf::pdf(&document, &options).expect("pdf");
        let t_pdf = t.elapsed();
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{}\t{:.1}\t{:.1}\t{:.1}\t{:.1}\t{}",
            dir.file_name().unwrap_or_default().to_string_lossy(),
            ms(t_load),
            ms(t_render),
            ms(t_layout),
            ms(t_pdf),
            document.pages().len()
        );
    }
}
