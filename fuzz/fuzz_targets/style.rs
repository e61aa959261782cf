//! A style file from arbitrary bytes: must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = quire::edition::parse_style(text, std::path::Path::new("fuzz.toml"));
    }
});
