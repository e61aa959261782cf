//! The Knuth–Plass line breaker on boxes, glue and penalties and line widths decoded
//! from the input: no panic, breaks in order, every line within its ratio or marked
//! overfull (`quire::fuzz::linebreak` checks).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| quire::fuzz::linebreak(data));
