//! Fuzzing of text (Markdown entities, separators, odd spaces): see tests/fuzz.rs.
