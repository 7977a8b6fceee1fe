//! One component per file.
pub mod chart;
pub mod compare;
pub mod complexity_table;
pub mod field;
pub mod layout;
pub mod metric;
pub mod observed;
pub mod page;
pub mod scenario_form;
pub mod share_bar;
pub mod table_scroll;
