//! Chart data the core hands to the user interface: named series of `(x, y)` points, computed
//! beside the formulas they plot so that the pages only lay them out.

/// One named series of `(x, y)` points, in x order.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// The series' name, as its legend shows it.
    pub name: String,
    /// The points, in x order.
    pub points: Vec<(f64, f64)>,
}

impl Curve {
    /// A curve named `name` through `points`.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self {
            name: name.into(),
            points,
        }
    }
}
