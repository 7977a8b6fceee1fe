//! Formula traces ("show your work"): a figure's formula with the very operands and named
//! constants its computation used. Each trace is written beside the code that computes its
//! figure (`capacity::explain`, `cost::explain`, the report's section builders, the simulators'
//! `*_trace` functions), never restated elsewhere, so the two cannot disagree.

/// `format!` into a string sized for a typical trace up front: traces run 60 to 200 bytes, and
/// growing from `format!`'s estimate (the literal parts alone) reallocated most of them two or
/// three times, a tenth of the report's build time.
macro_rules! text {
    ($($arg:tt)*) => {{
        let mut text = String::with_capacity(192);
        // Writing into a String cannot fail.
        let _ = std::fmt::Write::write_fmt(&mut text, format_args!($($arg)*));
        text
    }};
}

pub(crate) use text;

/// A rate as traces show it: `578.7 req/s`.
pub(crate) fn rate(x: f64) -> String {
    text!("{} req/s", crate::units::format_count(x))
}
