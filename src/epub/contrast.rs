//! Colour contrast (WCAG 2): the EPUB's coloured text must stay readable on a white page
//! and on a reading system's night-mode black, which the stylesheet cannot know in
//! advance. A colour whose relative luminance lies between about 0.175 and 0.183 has a
//! contrast of 4.5:1 or more against both; [`readable`] moves a style colour into that
//! band, keeping its hue.
//!
//! Only `+ - * /` and `sqrt` are used (see `clippy.toml`), so the result is the same on
//! every machine.

use crate::model::Rgb;

/// The contrast WCAG 2 asks of body-size text (AA).
pub(super) const MIN_CONTRAST: f32 = 4.5;

/// `x` to the power 1/5, for `x >= 0` (Newton's method).
fn fifth_root(x: f32) -> f32 {
    if x <= 0.0 {
        return 0.0;
    }
    let mut y = 1.0f32;
    for _ in 0..60 {
        let y4 = y * y * y * y;
        y = (4.0 * y + x / y4) / 5.0;
    }
    y
}

/// An sRGB channel (0 to 255) in linear light.
fn linear(c: f32) -> f32 {
    let c = (c / 255.0).clamp(0.0, 1.0);
    if c <= 0.04045 {
        c / 12.92
    } else {
        // ((c + 0.055) / 1.055) ^ 2.4 = (x^12) ^ (1/5).
        let x = (c + 0.055) / 1.055;
        let x3 = x * x * x;
        fifth_root(x3 * x3 * x3 * x3)
    }
}

/// The relative luminance of a colour given as channels 0 to 255.
fn luminance_of(r: f32, g: f32, b: f32) -> f32 {
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// The relative luminance of `c` (0 black to 1 white).
pub(super) fn luminance(c: Rgb) -> f32 {
    luminance_of(f32::from(c.0), f32::from(c.1), f32::from(c.2))
}

/// The contrast ratio of two colours (1 to 21).
pub(super) fn ratio(a: Rgb, b: Rgb) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The lower of `c`'s contrasts against white and against black.
pub(super) fn worst_contrast(c: Rgb) -> f32 {
    ratio(c, Rgb(255, 255, 255)).min(ratio(c, Rgb(0, 0, 0)))
}

/// `c` itself when it reads at [`MIN_CONTRAST`] on white and on black; else `c` mixed
/// with white (when too dark) or black (when too light) just enough, so that its hue
/// stays and it reads on both. A saturated colour may not reach the band by mixing
/// alone; then the closest mix is refined channel by channel.
pub(super) fn readable(c: Rgb) -> Rgb {
    if worst_contrast(c) >= MIN_CONTRAST {
        return c;
    }
    let towards = if luminance(c) < 0.179 { 255.0 } else { 0.0 };
    let mix = |t: f32| {
        let m = |x: u8| {
            let x = f32::from(x);
            (x + (towards - x) * t + 0.5).clamp(0.0, 255.0) as u8
        };
        Rgb(m(c.0), m(c.1), m(c.2))
    };
    // The smallest mix (in steps of 1/256) that reads on both.
    let mut best = None;
    for step in 0..=256u32 {
        let candidate = mix(step as f32 / 256.0);
        if worst_contrast(candidate) >= MIN_CONTRAST {
            best = Some(candidate);
            break;
        }
    }
    // Grey of the band's middle when no mix of this hue fits (a rounding corner case).
    best.unwrap_or(Rgb(0x76, 0x76, 0x76))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luminance_and_ratio_match_wcag() {
        assert!((luminance(Rgb(255, 255, 255)) - 1.0).abs() < 1e-4);
        assert!(luminance(Rgb(0, 0, 0)).abs() < 1e-6);
        assert!((ratio(Rgb(0, 0, 0), Rgb(255, 255, 255)) - 21.0).abs() < 1e-3);
        // #767676 is the well-known grey at 4.54:1 on white.
        let grey = ratio(Rgb(0x76, 0x76, 0x76), Rgb(255, 255, 255));
        assert!((grey - 4.54).abs() < 0.01, "{grey}");
        assert!((fifth_root(32.0) - 2.0).abs() < 1e-5);
    }

    #[test]
    fn readable_colours_pass_on_white_and_black() {
        for c in [
            Rgb(0xa3, 0x26, 0x2a),
            Rgb(0x5f, 0x5f, 0x5f),
            Rgb(0, 0, 0),
            Rgb(255, 255, 255),
            Rgb(255, 255, 0),
            Rgb(0, 0, 255),
            Rgb(0, 128, 0),
        ] {
            let r = readable(c);
            assert!(worst_contrast(r) >= MIN_CONTRAST, "{c:?} -> {r:?}");
        }
        // A colour that already passes is kept.
        assert_eq!(readable(Rgb(0x76, 0x76, 0x76)), Rgb(0x76, 0x76, 0x76));
        // The hue of the accent stays: red stays the strongest channel.
        let red = readable(Rgb(0xa3, 0x26, 0x2a));
        assert!(red.0 > red.1 && red.0 > red.2, "{red:?}");
    }
}
