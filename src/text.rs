//! Shortening text for messages and logs, and escaping it for HTML. Every place that cuts user-supplied text (a path, a
//! parser's message, a header) cuts it here, at a character boundary: `String::truncate` at a
//! byte inside a character panics, and a request must never reach a panic.

/// The longest prefix of `text` that is at most `max_bytes` long and ends at a character
/// boundary.
///
/// # Examples
/// ```
/// use headroom::text::clip;
/// assert_eq!(clip("héllo", 2), "h"); // 'é' is two bytes: cutting inside it would panic
/// assert_eq!(clip("héllo", 3), "hé");
/// assert_eq!(clip("abc", 10), "abc");
/// ```
pub fn clip(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    // A UTF-8 character is at most 4 bytes, so this steps back at most 3 times.
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// [`clip`], with an ellipsis when something was cut.
///
/// # Examples
/// ```
/// use headroom::text::clip_marked;
/// assert_eq!(clip_marked("/ünïcödé", 4), "/ün…"); // "/ü" is 3 bytes, "n" 1 more
/// assert_eq!(clip_marked("/ok", 4), "/ok");
/// ```
pub fn clip_marked(text: &str, max_bytes: usize) -> String {
    let clipped = clip(text, max_bytes);
    if clipped.len() == text.len() {
        clipped.to_string()
    } else {
        format!("{clipped}…")
    }
}

/// `text` made safe inside HTML elements and attribute values: the one escaper of the chart
/// tooltips, the API reference page and the traffic import's error page.
///
/// # Examples
/// ```
/// use headroom::text::escape_html;
/// assert_eq!(escape_html(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
/// ```
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn clip_never_panics_and_is_a_prefix_within_the_limit(text in ".{0,64}", max in 0usize..80) {
            let clipped = clip(&text, max);
            prop_assert!(clipped.len() <= max || clipped.len() == text.len() && text.len() <= max);
            prop_assert!(text.starts_with(clipped));
            // Nothing that fits is dropped: the next character would pass the limit.
            if clipped.len() < text.len() {
                let next = text[clipped.len()..].chars().next().map_or(0, char::len_utf8);
                prop_assert!(clipped.len() + next > max);
            }
        }
    }
}
