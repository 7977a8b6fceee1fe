//! Decimal plumbing behind [`super`]: reading a typed literal into its digits and exponent, and
//! rounding and rendering an `f64` through its shortest decimal form.
//!
//! Working on decimal digits instead of `f64` arithmetic is what makes `"1.005k"` exactly
//! `1005.0` (while `1.005 * 1000.0` is `1004.9999999999999`) and makes `9.125e12` round to
//! `9.13` the way a person rounds by hand (`format!("{:.2e}")` rounds the tie to even: `9.12e12`).

use super::{UnitError, shortened};

/// A unit's size as `multiplier × 10^exp10`. An integer multiplier and a decimal exponent keep
/// every conversion in this module exact until the single final rounding to `f64`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Scale {
    multiplier: u64,
    exp10: i64,
}

impl Scale {
    /// No scaling.
    pub(super) const ONE: Self = Self::pow10(0);

    /// `10^exp10`, for SI prefixes (`k` is `pow10(3)`, `ms` is `pow10(-3)`).
    pub(super) const fn pow10(exp10: i64) -> Self {
        Self {
            multiplier: 1,
            exp10,
        }
    }

    /// An integer factor, for binary prefixes (`KiB` is `times(1024)`) and clock units.
    pub(super) const fn times(multiplier: u64) -> Self {
        Self {
            multiplier,
            exp10: 0,
        }
    }
}

/// Exponents are clamped to this while reading: far beyond it a value has long since overflowed
/// to infinity or underflowed to zero, and the clamp keeps exponent sums from overflowing.
const EXPONENT_CLAMP: i64 = 1_000_000_000;

/// A number as typed, `±digits × 10^exp10`, before any unit is applied.
#[derive(Debug, PartialEq)]
pub(super) struct Literal {
    negative: bool,
    /// Significant digits (ASCII), without leading or trailing zeros; empty for zero.
    digits: String,
    exp10: i64,
}

impl Literal {
    /// Whether a minus sign was typed.
    pub(super) fn is_negative(&self) -> bool {
        self.negative
    }

    /// Reads the number at the start of `text` and returns it with the rest of the text, trimmed:
    /// the unit, if any. `whole` is the field as typed, echoed back in errors.
    ///
    /// Grammar: `[+-−] int [. frac] [e [+-] exp]`, where `int` may group thousands with `,` or
    /// `_` (`1,000,000`), and one of `int` and `frac` may be empty (`.5`, `5.`).
    pub(super) fn split<'a>(text: &'a str, whole: &str) -> Result<(Self, &'a str), UnitError> {
        let not_a_number = || UnitError::NotANumber {
            input: shortened(whole),
        };
        let (negative, body) = strip_sign(text);
        // Only the words themselves: "info" or "nano" is not a number, not an infinity.
        let word = body
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or_default();
        let is_word = |name: &str| word.eq_ignore_ascii_case(name);
        if is_word("nan") || is_word("inf") || is_word("infinity") || body.starts_with('∞') {
            return Err(UnitError::NotFinite);
        }

        let int_len = body
            .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '_'))
            .unwrap_or(body.len());
        let (int_raw, after_int) = body.split_at_checked(int_len).ok_or_else(not_a_number)?;
        let int_digits = ungroup(int_raw).ok_or_else(not_a_number)?;
        let (frac_digits, after_frac) = match after_int.strip_prefix('.') {
            Some(frac) => frac
                .split_at_checked(leading_digits(frac))
                .ok_or_else(not_a_number)?,
            None => ("", after_int),
        };
        if int_digits.is_empty() && frac_digits.is_empty() {
            return Err(not_a_number());
        }
        let (exponent, rest) = split_exponent(after_frac);
        // "1.2.3", "1,5" (a decimal comma) or "1e5.5" must not leave a number-like unit behind.
        if rest.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | ',' | '_')) {
            return Err(not_a_number());
        }

        let frac_len = i64::try_from(frac_digits.len()).unwrap_or(EXPONENT_CLAMP);
        let all_digits = format!("{int_digits}{frac_digits}");
        let significant = all_digits.trim_start_matches('0');
        let digits = significant.trim_end_matches('0');
        let trailing_zeros =
            i64::try_from(significant.len() - digits.len()).unwrap_or(EXPONENT_CLAMP);
        let literal = Self {
            negative,
            digits: digits.to_owned(),
            exp10: exponent - frac_len + trailing_zeros,
        };
        Ok((literal, rest.trim_start()))
    }

    /// The literal times `scale`, rounded once to the nearest `f64` (ties to even), with its sign.
    ///
    /// # Errors
    /// [`UnitError::Overflow`] when the magnitude exceeds `f64::MAX`.
    pub(super) fn scaled(&self, scale: Scale) -> Result<f64, UnitError> {
        let signed = |magnitude: f64| if self.negative { -magnitude } else { magnitude };
        if self.digits.is_empty() || scale.multiplier == 0 {
            return Ok(signed(0.0));
        }
        let exp10 = self.exp10.saturating_add(scale.exp10);
        // The magnitude lies in [10^(top-1), 10^top) × multiplier, with multiplier < 2^64 < 10^20.
        let top = exp10.saturating_add(i64::try_from(self.digits.len()).unwrap_or(EXPONENT_CLAMP));
        if top >= 310 {
            return Err(UnitError::Overflow); // at least 10^309 > f64::MAX ≈ 1.8 × 10^308
        }
        if top <= -350 {
            return Ok(signed(0.0)); // below 10^-330, under half the smallest subnormal (4.9 × 10^-324)
        }
        let magnitude = match self.digits.parse::<u64>() {
            Ok(digits) if scale.multiplier != 1 => {
                let exact = u128::from(digits) * u128::from(scale.multiplier);
                parse_f64(&format!("{exact}e{exp10}"))?
            }
            // Written as 0.digits × 10^top: `str::parse` saturates long exponents, so a long
            // digit string must not need a large one. Only more than 19 significant digits
            // (beyond f64's precision anyway) with a non-decimal unit round twice.
            _ => parse_f64(&format!("0.{}e{top}", self.digits))? * scale.multiplier as f64,
        };
        if magnitude.is_finite() {
            Ok(signed(magnitude))
        } else {
            Err(UnitError::Overflow)
        }
    }
}

/// Splits off a leading `+`, `-` or `−` (U+2212, the typographic minus).
fn strip_sign(text: &str) -> (bool, &str) {
    if let Some(rest) = text.strip_prefix(['-', '−']) {
        (true, rest)
    } else {
        (false, text.strip_prefix('+').unwrap_or(text))
    }
}

/// Number of ASCII digits at the start of `text`.
fn leading_digits(text: &str) -> usize {
    text.find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len())
}

/// Removes thousands separators, accepting only well-formed groups (`1,000` and `10_000`, not
/// `1,00` or `1,000_000`): a misplaced comma is more likely a decimal comma than a grouping.
fn ungroup(int_raw: &str) -> Option<String> {
    let Some(separator) = int_raw.chars().find(|c| !c.is_ascii_digit()) else {
        return Some(int_raw.to_owned());
    };
    let all_digits = |group: &str| group.bytes().all(|b| b.is_ascii_digit());
    let mut groups = int_raw.split(separator);
    let first = groups.next()?;
    let first_ok = (1..=3).contains(&first.len()) && all_digits(first);
    let rest_ok = groups.all(|group| group.len() == 3 && all_digits(group));
    (first_ok && rest_ok).then(|| int_raw.replace(separator, ""))
}

/// Splits off an exponent `e[+-]digits`; an `e` not followed by digits is left for the unit.
fn split_exponent(text: &str) -> (i64, &str) {
    let Some(after_e) = text.strip_prefix(['e', 'E']) else {
        return (0, text);
    };
    let (negative, unsigned) = match after_e.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, after_e.strip_prefix('+').unwrap_or(after_e)),
    };
    let len = leading_digits(unsigned);
    let Some((exponent_digits, rest)) = unsigned.split_at_checked(len) else {
        return (0, text);
    };
    if exponent_digits.is_empty() {
        return (0, text);
    }
    let magnitude = exponent_digits.bytes().fold(0_i64, |acc, b| {
        (acc * 10 + i64::from(b - b'0')).min(EXPONENT_CLAMP)
    });
    (if negative { -magnitude } else { magnitude }, rest)
}

/// `str::parse::<f64>` on text this module built; it rounds correctly (ties to even).
fn parse_f64(text: &str) -> Result<f64, UnitError> {
    text.parse().map_err(|_| UnitError::NotANumber {
        input: shortened(text),
    })
}

/// Appends the `count` integer digits `digits`, with `,` between groups of three when `grouped`.
pub(super) fn push_integer_digits(
    out: &mut String,
    digits: impl Iterator<Item = char>,
    count: usize,
    grouped: bool,
) {
    for (i, digit) in digits.enumerate() {
        if grouped && i > 0 && (count - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
}

/// Most significant digits a [`Digits`] holds: the shortest round-trip form of an f64 has at
/// most 17, and rounding never lengthens it.
const MAX_DIGITS: usize = 17;

/// A non-negative decimal `0.d₁d₂…dₙ × 10^point`: `point` digits stand before the decimal point.
/// The digits live in a fixed buffer: formatting is on the report's hot path (every figure and
/// trace), so it allocates nothing but the final string.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Digits {
    /// Digit values 0–9 in `buf[..len]`, the first non-zero and the last non-zero; none for zero.
    buf: [u8; MAX_DIGITS],
    len: usize,
    point: i64,
}

impl Digits {
    /// The shortest decimal that reads back as `|x|`, from zmij (Schubfach: the shortest
    /// round-trip digits, the closest to `x` among them). Rust's own `{:e}` prints the same
    /// digits but for an exact tie between two 17-digit candidates, where the two may pick
    /// different neighbours (both read back as `x`; tests check both facts on random bit
    /// patterns). `x` must be finite.
    ///
    /// zmij writes `d[.ddd][e±xx]` or a plain decimal such as `0.001` or `1500.0`: the digits are
    /// read in order, the decimal point and the exponent place them.
    pub(super) fn shortest(x: f64) -> Self {
        let mut buffer = zmij::Buffer::new();
        Self::from_decimal_text(buffer.format_finite(x.abs()).as_bytes())
    }

    /// Reads `[digits][.digits][e[±]digits]`; anything else in the text is ignored.
    fn from_decimal_text(text: &[u8]) -> Self {
        let (mantissa, exponent) = match text.iter().position(|&b| b == b'e' || b == b'E') {
            Some(e) => {
                let rest = &text[e + 1..];
                let (negative, digits) = match rest.first() {
                    Some(b'-') => (true, &rest[1..]),
                    Some(b'+') => (false, &rest[1..]),
                    _ => (false, rest),
                };
                let magnitude = digits
                    .iter()
                    .filter(|b| b.is_ascii_digit())
                    .fold(0i64, |acc, &b| {
                        acc.saturating_mul(10).saturating_add(i64::from(b - b'0'))
                    });
                (&text[..e], if negative { -magnitude } else { magnitude })
            }
            None => (text, 0),
        };
        // 0.d₁d₂… × 10^(integer digits − leading zeros), leading zeros not stored, so that
        // `0.000…01` cannot push its digit out of the buffer.
        let mut digits = Self::zero();
        let (mut integer_digits, mut leading_zeros) = (0i64, 0i64);
        let mut seen_point = false;
        for &b in mantissa {
            if b == b'.' {
                seen_point = true;
            } else if b.is_ascii_digit() {
                if !seen_point {
                    integer_digits += 1;
                }
                if digits.len == 0 && b == b'0' {
                    leading_zeros += 1;
                } else if digits.len < MAX_DIGITS {
                    digits.buf[digits.len] = b - b'0';
                    digits.len += 1;
                }
            }
        }
        digits.point = integer_digits - leading_zeros + exponent;
        digits.normalized()
    }

    fn zero() -> Self {
        Self {
            buf: [0; MAX_DIGITS],
            len: 0,
            point: 0,
        }
    }

    fn digits(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    fn normalized(mut self) -> Self {
        let leading_zeros = self.digits().iter().take_while(|&&d| d == 0).count();
        if leading_zeros > 0 {
            self.buf.copy_within(leading_zeros..self.len, 0);
            self.len -= leading_zeros;
            self.point -= i64::try_from(leading_zeros).unwrap_or(0);
        }
        while self.len > 0 && self.buf[self.len - 1] == 0 {
            self.len -= 1;
        }
        if self.len == 0 {
            self.point = 0;
        }
        self
    }

    /// Whether this is zero.
    pub(super) fn is_zero(&self) -> bool {
        self.len == 0
    }

    /// Number of digits before the decimal point (`1` for 1–9.99, `-2` for 0.001–0.00999).
    pub(super) fn point(&self) -> i64 {
        self.point
    }

    /// Multiplies by `10^by`.
    pub(super) fn shifted(mut self, by: i64) -> Self {
        if !self.is_zero() {
            self.point += by;
        }
        self
    }

    /// Rounds to `keep` significant digits, half away from zero (on the shortest decimal, so
    /// `9.125` becomes `9.13` as by hand). Keeping fewer than zero digits gives zero.
    pub(super) fn round_to_significant(mut self, keep: i64) -> Self {
        let Ok(keep) = usize::try_from(keep) else {
            return Self::zero();
        };
        if keep >= self.len {
            return self;
        }
        let round_up = self.buf[keep] >= 5;
        self.len = keep;
        if round_up {
            // Trailing nines carry into the digit before them; they become zeros and are dropped.
            while self.len > 0 && self.buf[self.len - 1] == 9 {
                self.len -= 1;
            }
            if self.len > 0 {
                self.buf[self.len - 1] += 1;
            } else {
                self.buf[0] = 1;
                self.len = 1;
                self.point += 1;
            }
        }
        self.normalized()
    }

    /// Rounds to `decimals` digits after the decimal point, half away from zero.
    pub(super) fn round_to_decimals(self, decimals: i64) -> Self {
        let keep = self.point.saturating_add(decimals);
        self.round_to_significant(keep)
    }

    /// Plain decimal text (`1234.5`, `0.00263`), with `,` between groups of three integer digits
    /// when `grouped`.
    pub(super) fn plain(&self, grouped: bool) -> String {
        if self.is_zero() {
            return "0".to_owned();
        }
        let digit = |d: u8| char::from(b'0' + d);
        let before = usize::try_from(self.point).unwrap_or(0);
        let zeros_after_point = usize::try_from(-self.point).unwrap_or(0);
        let fraction_len = zeros_after_point + self.len.saturating_sub(before);
        let mut out = String::with_capacity(before + before / 3 + fraction_len + 2);
        if before == 0 {
            out.push('0');
        }
        let integer = (0..before).map(|i| self.digits().get(i).map_or('0', |&d| digit(d)));
        push_integer_digits(&mut out, integer, before, grouped);
        if fraction_len > 0 {
            out.push('.');
            out.extend(std::iter::repeat_n('0', zeros_after_point));
            out.extend(self.digits().iter().skip(before).map(|&d| digit(d)));
        }
        out
    }

    /// Scientific text (`9.13e12`, `1e-7`), which `str::parse::<f64>` and the parsers read back.
    pub(super) fn scientific(&self) -> String {
        let mut digits = self.digits().iter().map(|&d| char::from(b'0' + d));
        let Some(first) = digits.next() else {
            return "0".to_owned();
        };
        let rest: String = digits.collect();
        let exponent = self.point - 1;
        if rest.is_empty() {
            format!("{first}e{exponent}")
        } else {
            format!("{first}.{rest}e{exponent}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(text: &str) -> Result<(Literal, &str), UnitError> {
        Literal::split(text, text)
    }

    /// The digits Rust's own `{:e}` prints (shortest round trip, closest among them): the
    /// oracle `Digits::shortest` must agree with.
    fn digits_of_lower_exp(x: f64) -> Digits {
        Digits::from_decimal_text(format!("{:e}", x.abs()).as_bytes())
    }

    #[test]
    fn shortest_digits_on_edge_values_match_lower_exp() {
        for x in [
            0.0,
            -0.0,
            1.0,
            0.001,
            1e-7,
            1500.0,
            578.703_703_703_703_7,
            115_740.740_740_740_74,
            9.125e12,
            1e15,
            1e16,
            1e21,
            1e22,
            123_456_789_012_345_680_000.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            0.1 + 0.2,
            2.0_f64.powi(53) + 2.0,
        ] {
            assert_eq!(Digits::shortest(x), digits_of_lower_exp(x), "{x:e}");
        }
        // Hand decomposition: 0.001 = 0.1 × 10^-2; 1500 = 0.15 × 10^4.
        let d = Digits::shortest(0.001);
        assert_eq!((d.digits(), d.point), (&[1u8][..], -2));
        let d = Digits::shortest(1500.0);
        assert_eq!((d.digits(), d.point), (&[1u8, 5][..], 4));
    }

    /// The value a [`Digits`] stands for, read back by the standard library.
    fn value(d: &Digits) -> f64 {
        let digits: String = d.digits().iter().map(|&b| char::from(b'0' + b)).collect();
        format!("0.{digits}0e{}", d.point)
            .parse()
            .expect("decimal text")
    }

    /// Same length and place as `{:e}`'s digits, and the same value back; the digits themselves
    /// equal but for the last one at an exact tie.
    fn assert_shortest(x: f64) -> Result<(), proptest::test_runner::TestCaseError> {
        let (ours, theirs) = (Digits::shortest(x), digits_of_lower_exp(x));
        proptest::prop_assert_eq!(value(&ours), x.abs(), "{:e} does not read back", x);
        proptest::prop_assert_eq!(
            (ours.len, ours.point),
            (theirs.len, theirs.point),
            "{:e}",
            x
        );
        let last = ours.len.saturating_sub(1);
        proptest::prop_assert_eq!(&ours.buf[..last], &theirs.buf[..last], "{:e}", x);
        proptest::prop_assert!(ours.buf[last].abs_diff(theirs.buf[last]) <= 1, "{:e}", x);
        Ok(())
    }

    #[test]
    fn a_tie_between_two_shortest_forms_reads_back_either_way() {
        // 1,324,197,679,875,074.25 exactly: at 17 digits, …074.2 and …074.3 are equally close.
        let x: f64 = 1_324_197_679_875_074.3;
        assert_eq!(x.fract(), 0.25);
        assert_shortest(x).expect("both forms are shortest and read back");
    }

    proptest::proptest! {
        #[test]
        fn shortest_digits_match_lower_exp_on_any_finite_f64(bits in proptest::prelude::any::<u64>()) {
            let x = f64::from_bits(bits);
            if x.is_finite() {
                assert_shortest(x)?;
            }
        }

        #[test]
        fn shortest_digits_match_lower_exp_on_figures(x in 1e-9..1e18f64) {
            assert_shortest(x)?;
        }
    }

    #[test]
    fn literal_keeps_significant_digits_and_exponent() {
        // Hand decomposition: 1,234.500e2 = 12345 × 10^1; the unit is what follows.
        let (lit, unit) = literal("1,234.500e2 kB").unwrap();
        assert_eq!((lit.digits.as_str(), lit.exp10, unit), ("12345", 1, "kB"));
        let (lit, unit) = literal("-.5").unwrap();
        assert_eq!(
            (lit.negative, lit.digits.as_str(), lit.exp10, unit),
            (true, "5", -1, "")
        );
        // "e" without digits is a unit ("1 EB" without the space), not an exponent.
        assert_eq!(literal("1EB").unwrap().1, "EB");
        assert_eq!(literal("0.000").unwrap().0.digits, "");
    }

    #[test]
    fn literal_rejects_malformed_grouping_and_signs() {
        for bad in [
            "1,00",
            "1,000_000",
            ",100",
            "100,",
            "1,5",
            "--5",
            "+-5",
            ".",
            "e5",
            "1.2.3",
            "1e5.5",
            "%00",
        ] {
            assert!(
                matches!(literal(bad), Err(UnitError::NotANumber { .. })),
                "{bad} should not be a number"
            );
        }
        for not_finite in ["NaN", "-inf", "Infinity", "∞", "inf ms", "NaN%"] {
            assert_eq!(literal(not_finite).err(), Some(UnitError::NotFinite));
        }
        for word in ["info", "nano", "infinite"] {
            assert!(
                matches!(literal(word), Err(UnitError::NotANumber { .. })),
                "{word}"
            );
        }
    }

    #[test]
    fn scaling_rounds_once() {
        // 1.005 × 1000 in floating point is 1004.9999999999999; the decimal path is exact.
        let (lit, _) = literal("1.005").unwrap();
        assert_eq!(lit.scaled(Scale::pow10(3)), Ok(1005.0));
        assert_ne!(1.005_f64 * 1000.0, 1005.0);
        // 1.1 × 1024 = 1126.4 exactly in decimal: the integer product 11 × 1024 = 11264 is
        // handed to the parser as 11264e-1 and rounded once.
        let (lit, _) = literal("1.1").unwrap();
        assert_eq!(lit.scaled(Scale::times(1024)), Ok(1126.4));
        let (lit, _) = literal("1.7976931348623157e308").unwrap();
        assert_eq!(lit.scaled(Scale::ONE), Ok(f64::MAX));
        assert_eq!(lit.scaled(Scale::pow10(1)), Err(UnitError::Overflow));
        let (lit, _) = literal("1e-400").unwrap();
        assert_eq!(lit.scaled(Scale::ONE), Ok(0.0));
    }

    #[test]
    fn rounding_is_half_away_from_zero_on_the_shortest_decimal() {
        // The chapter's 9.125 TB rounds to 9.13 by hand (a tie, rounded up).
        let rounded = Digits::shortest(9.125e12).round_to_significant(3);
        assert_eq!(
            (rounded.plain(false), rounded.point()),
            ("9130000000000".to_owned(), 13)
        );
        // 999.96 to one decimal carries all the way: 1,000.0.
        assert_eq!(
            Digits::shortest(999.96).round_to_decimals(1).plain(true),
            "1,000"
        );
        assert_eq!(Digits::shortest(0.6).round_to_decimals(0).plain(true), "1");
        assert_eq!(
            Digits::shortest(0.004).round_to_decimals(2).plain(true),
            "0"
        );
        assert_eq!(Digits::shortest(0.000263).plain(false), "0.000263");
        assert_eq!(Digits::shortest(1e-7).scientific(), "1e-7");
        assert_eq!(Digits::shortest(1234567.0).plain(true), "1,234,567");
    }
}
