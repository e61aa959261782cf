//! Front matter and Markdown of one article, from arbitrary bytes: must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = quire::edition::parse_article_bytes(data, std::path::Path::new("fuzz.md"));
});
