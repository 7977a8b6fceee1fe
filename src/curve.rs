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

/// A vertical marker at an x value, with its label (the current load, a rule of thumb).
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Where on the x axis.
    pub x: f64,
    /// What it marks.
    pub label: String,
}

/// What one chart plots: its curves, in legend order, and the markers over them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plot {
    /// The curves, in legend order.
    pub curves: Vec<Curve>,
    /// Vertical markers.
    pub markers: Vec<Marker>,
}
