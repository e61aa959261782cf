//! The whole page flow with the fixed-width fake setter on articles built from the input:
//! every word of the text on the pages exactly once.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    quire::fuzz::flow_articles(data);
});
