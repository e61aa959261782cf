//! Typographic punctuation for text pulldown does not smarten (image titles/captions).
//!
//! Follows the same conventions as the body: `--` en dash, `---` em dash, `...` ellipsis,
//! straight quotes curled by what stands before them.

/// `text` with whitespace runs collapsed to one space, trimmed, and its punctuation set.
pub(crate) fn smarten(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '-' => {
                let run = chars[i..].iter().take_while(|&&d| d == '-').count();
                push_dashes(&mut out, run);
                i += run;
                continue;
            }
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                out.push('…');
                i += 3;
                continue;
            }
            '"' => out.push(if opens(out.chars().last()) {
                '“'
            } else {
                '”'
            }),
            '\'' => out.push(if opens(out.chars().last()) {
                '‘'
            } else {
                '’'
            }),
            ' ' | '\t' | '\n' | '\r' => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
    out
}

/// Whether a quote after `before` opens a quotation (rather than closing one or being
/// an apostrophe).
fn opens(before: Option<char>) -> bool {
    match before {
        None => true,
        Some(c) => c.is_whitespace() || matches!(c, '(' | '[' | '{' | '–' | '—' | '“' | '‘'),
    }
}

/// A run of `n` hyphens: one stays a hyphen; longer runs become dashes, all em or all en
/// when possible, otherwise em dashes first and as few en dashes as possible.
fn push_dashes(out: &mut String, n: usize) {
    if n == 1 {
        out.push('-');
        return;
    }
    let (em, en) = if n.is_multiple_of(3) {
        (n / 3, 0)
    } else if n.is_multiple_of(2) {
        (0, n / 2)
    } else {
        // n is odd and not a multiple of 3: take em dashes while an even rest remains.
        let mut em = n / 3;
        while em > 0 && !(n - 3 * em).is_multiple_of(2) {
            em -= 1;
        }
        (em, (n - 3 * em) / 2)
    };
    out.extend(std::iter::repeat_n('—', em));
    out.extend(std::iter::repeat_n('–', en));
}
