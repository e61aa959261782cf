//! Front matter and Markdown of one article, from arbitrary bytes: must never panic, and
//! a refusal always carries at least one diagnostic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(diags) = quire::edition::parse_article_bytes(data, std::path::Path::new("fuzz.md")) {
        assert!(!diags.is_empty(), "an error without a diagnostic");
    }
});
