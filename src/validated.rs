//! Types whose deserialization runs their validating constructor: [`validated_struct!`]
//! (crate::validated::validated_struct) declares the struct and, from the same field list, the
//! unchecked twin serde reads first and the `TryFrom` that passes it to `new`.

/// Declares a struct with private fields that serde deserializes through `Self::new`, called
/// with the fields in declaration order (so `new` must take them in that order and return
/// `Result<Self, $error>`). Write `#[serde(try_from = "TwinName")]` among the struct's attributes
/// and name the same twin after `via`; attributes after the twin's name go on the twin (its doc,
/// or a JSON Schema derive, which then describes the wire form).
macro_rules! validated_struct {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident via $twin:ident $(#[$twin_meta:meta])* -> $error:ty {
            $( $(#[$field_meta:meta])* $field:ident : $ty:ty ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $( $(#[$field_meta])* $field: $ty, )+
        }

        #[derive(::serde::Deserialize)]
        $(#[$twin_meta])*
        struct $twin {
            $( $field: $ty, )+
        }

        impl TryFrom<$twin> for $name {
            type Error = $error;

            fn try_from(fields: $twin) -> Result<Self, $error> {
                Self::new($(fields.$field),+)
            }
        }
    };
}

pub(crate) use validated_struct;
