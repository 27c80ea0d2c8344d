//! Fuzzing of media attachments (image headers, SVG, PDF page trees): see tests/fuzz.rs.
