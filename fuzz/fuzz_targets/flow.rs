//! Column distribution on unit streams decoded from the input (paragraphs under widow and
//! orphan rules, keeps, spaces, figures, footnotes): every unit placed once, in order,
//! no column over its height but for one unit taller than a column.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| quire::fuzz::flow(data));
