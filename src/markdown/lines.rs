//! Byte offsets in an article file to 1-based lines and columns.
//!
//! Gives the same answer as `crate::diag::line_col`, but indexes line starts once so
//! that many look-ups in a long article stay linear.

/// Where each line of the file starts.
pub(super) struct LineIndex {
    starts: Vec<usize>,
    /// The last offset located and its column: look-ups further along the same line
    /// count on from there, so many positions on one long line stay linear.
    last: (usize, usize),
}

impl LineIndex {
    pub(super) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            last: (0, 1),
        }
    }

    /// The line and the column (in characters) of byte `offset` of `body`, the text the
    /// index was made from.
    pub(super) fn locate(&mut self, body: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(body.len());
        while !body.is_char_boundary(offset) {
            offset -= 1;
        }
        // `starts[0]` is 0, so at least one start is <= offset.
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0).min(offset);
        let (last_offset, last_column) = self.last;
        let (from, column) = if (start..=offset).contains(&last_offset) {
            (last_offset, last_column)
        } else {
            (start, 1)
        };
        let column = column + body[from..offset].chars().count();
        self.last = (offset, column);
        (line, column)
    }
}

/// The width in characters of `body[range]`, cut at its first line end (at least 1).
pub(super) fn span_len(body: &str, range: &std::ops::Range<usize>) -> usize {
    let text = body.get(range.clone()).unwrap_or("");
    let first_line = text.split('\n').next().unwrap_or("");
    first_line.trim_end_matches('\r').chars().count().max(1)
}
