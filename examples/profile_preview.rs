//! Where `packet serve`'s preview of a keystroke spends its time: the 113-1 agenda laid out
//! again for each of N keystrokes typed into an item's title (in memory, as `api/draft`
//! does), with the median time of each stage.
//!
//!     cargo run --release --example profile_preview -- packets/dgbas/113-1 [N]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use packet::model::{Packet, Series};
use typst_layout::PagedDocument;

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(meeting) = args.next() else {
        eprintln!("usage: profile_preview <meeting-dir> [keystrokes]");
        std::process::exit(2);
    };
    let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(40);
    let dir = std::path::Path::new(&meeting);
    let text = std::fs::read_to_string(dir.join("meeting.toml")).expect("meeting.toml");
    let title = "title = \"本總處 113 年 1 至 3 月資料開放推動情形，提請討論。\"";
    assert!(text.contains(title), "the example's discussion[0] title");
    let fonts = Arc::new(packet::typeset::fonts::FontSet::load(&[]).expect("embedded fonts"));
    let families = fonts.families(packet::typeset::fonts::DEFAULT_FAMILY);
    let mut stages: [Vec<Duration>; 5] = Default::default();
    let mut drawn: HashMap<u128, usize> = HashMap::new();
    let mut redrawn = Vec::new();
    for k in 0..=n {
        let typed: String = "資料開放推動情形補充說明".chars().cycle().take(k).collect();
        let draft =
            text.replace(title, &format!("title = \"本總處 113 年 1 至 3 月資料開放推動情形，提請討論。{typed}\""));
        let t = Instant::now();
        let packet = Packet::load_with(dir, Some(draft)).expect("loads");
        let series = Series::of(&packet).map(|s| s.expect("series"));
        let t_load = t.elapsed();
        let t = Instant::now();
        let opts = packet::render::AttachOptions { draw_pdf: Some((&fonts, &families)), public: false };
        let rendered = packet::render::agenda(&packet, series.as_ref(), &families, &opts).expect("render");
        let world = packet::typeset::world::PacketWorld::new(
            fonts.clone(),
            "agenda.typ",
            rendered.source,
            Some(&packet.series_dir),
        )
        .with_generated(&packet::render::generated_files(&rendered.document));
        let t_render = t.elapsed();
        let t = Instant::now();
        let document = typst::compile::<PagedDocument>(&world).output.expect("compile");
        let t_layout = t.elapsed();
        let t = Instant::now();
        let hashes: Vec<u128> = document.pages().iter().map(typst::utils::hash128).collect();
        let t_hash = t.elapsed();
        let t = Instant::now();
        let mut count = 0;
        for (page, hash) in document.pages().iter().zip(&hashes) {
            if !drawn.contains_key(hash) {
                drawn.insert(*hash, typst_svg::svg(page, &typst_svg::SvgOptions::default()).len());
                count += 1;
            }
        }
        let t_svg = t.elapsed();
        typst::comemo::evict(10);
        if k > 0 {
            for (s, d) in stages.iter_mut().zip([t_load, t_render, t_layout, t_hash, t_svg]) {
                s.push(d);
            }
            redrawn.push(count);
        }
    }
    let names = ["load+series", "render+world", "typst layout", "page hashes", "svg of changed pages"];
    println!("{n} keystrokes into discussion[0].title of {meeting}: median ms per keystroke");
    for (name, s) in names.iter().zip(stages) {
        println!("{name:>22}: {:.1}", median(s));
    }
    println!("pages drawn per keystroke: {:?}", redrawn);
}
