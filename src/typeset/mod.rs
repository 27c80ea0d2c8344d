//! Typst in process: the sandboxed [`world`] (the generated source, the series' files
//! under `/assets/`, nothing else), the embedded [`fonts`] and the series' [`folder`] of fonts, [`compile`] to PDF/A-2a +
//! PDF/UA-1, and what an archival PDF cannot carry ([`archival`]), refused beforehand.

pub mod archival;
pub mod compile;
pub mod folder;
pub mod fonts;
pub mod world;
