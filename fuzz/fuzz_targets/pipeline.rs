//! One article (front matter and Markdown) from the input, loaded into an edition in the
//! built-in style, laid out and written as PDF and EPUB in memory: never a panic. The
//! fonts are loaded once (`quire::fuzz::fonts`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    quire::fuzz::pipeline(data);
});
