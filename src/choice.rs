//! Choices: enums whose options each have a key (their text in the query string and in JSON) and
//! a label (what a form shows). [`choice_enum!`](crate::choice::choice_enum) declares such an
//! enum once, with each option's key and label beside it, and derives from that one declaration
//! the serde form, the parse, the canonical text and the list a form offers; nothing else writes a
//! key.

/// A closed set of options, declared with [`choice_enum!`](crate::choice::choice_enum).
pub trait Choice: Copy + Eq + 'static {
    /// Every option, in display order.
    const ALL: &'static [Self];

    /// `(key, label)` of every option, in display order: what a form offers.
    const OPTIONS: &'static [(&'static str, &'static str)];

    /// The option's key: its text in the query string and in JSON.
    fn key(self) -> &'static str;

    /// The option's label, for a form.
    fn label(self) -> &'static str;

    /// The option whose key is exactly `text`.
    fn from_key(text: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|option| option.key() == text)
    }
}

/// Declares a choice enum: each variant is written `Variant = "key", "label"`, after its doc and
/// attributes (`#[default]`). The enum gets `Debug`, `Clone`, `Copy`, `PartialEq`, `Eq`, `Hash`,
/// serde (as the key), `Display` (the key), an `ALL` array, `key()`, `label()` and [`Choice`].
macro_rules! choice_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $key:literal, $label:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        $vis enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $key)] $variant, )+
        }

        impl $name {
            /// Every option, in display order.
            pub const ALL: [Self; [$($key),+].len()] = [$(Self::$variant),+];

            /// The option's key: its text in the query string and in JSON.
            pub fn key(self) -> &'static str {
                <Self as $crate::choice::Choice>::OPTIONS[self as usize].0
            }

            /// The option's label, for a form.
            pub fn label(self) -> &'static str {
                <Self as $crate::choice::Choice>::OPTIONS[self as usize].1
            }
        }

        impl $crate::choice::Choice for $name {
            const ALL: &'static [Self] = &Self::ALL;
            const OPTIONS: &'static [(&'static str, &'static str)] = &[$(($key, $label)),+];

            fn key(self) -> &'static str {
                Self::key(self)
            }

            fn label(self) -> &'static str {
                Self::label(self)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.key())
            }
        }
    };
}

pub(crate) use choice_enum;

#[cfg(test)]
mod tests {
    use super::Choice;

    choice_enum! {
        /// A test choice.
        #[derive(Default)]
        enum Shape {
            /// Round.
            Circle = "circle", "A circle",
            /// The default.
            #[default]
            Square = "sq", "A square",
        }
    }

    #[test]
    fn one_declaration_gives_key_label_serde_and_parse() {
        assert_eq!(Shape::ALL, [Shape::Circle, Shape::Square]);
        assert_eq!(Shape::default().key(), "sq");
        assert_eq!(Shape::Circle.label(), "A circle");
        assert_eq!(Shape::Square.to_string(), "sq");
        assert_eq!(Shape::from_key("circle"), Some(Shape::Circle));
        assert_eq!(Shape::from_key("Circle"), None);
        assert_eq!(serde_json::to_string(&Shape::Square).unwrap(), r#""sq""#);
        assert_eq!(
            serde_json::from_str::<Shape>(r#""circle""#).unwrap(),
            Shape::Circle
        );
    }
}
