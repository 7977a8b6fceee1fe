//! Tables of algorithms' costs: a chapter's table verbatim, then the rows Headroom adds for the
//! algorithms it lacks, marked as added.

/// A complexity table: the column names (the algorithm's first) and the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComplexityTable {
    /// Column names, the algorithm's first.
    pub headers: &'static [&'static str],
    /// The chapter's rows, then the added ones.
    pub rows: &'static [ComplexityRow],
}

/// One algorithm's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComplexityRow {
    /// The algorithm.
    pub algorithm: &'static str,
    /// The cells after the algorithm's, in column order.
    pub cells: &'static [&'static str],
    /// `true` for the chapter's own rows, `false` for the rows added here.
    pub from_chapter: bool,
}

impl ComplexityRow {
    /// A row of the chapter's table, verbatim.
    pub const fn chapter(algorithm: &'static str, cells: &'static [&'static str]) -> Self {
        Self {
            algorithm,
            cells,
            from_chapter: true,
        }
    }

    /// A row added here, for an algorithm the chapter lacks.
    pub const fn added(algorithm: &'static str, cells: &'static [&'static str]) -> Self {
        Self {
            algorithm,
            cells,
            from_chapter: false,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_row_fills_every_column_and_the_chapters_rows_come_first() {
        for table in [crate::loadbalance::COMPLEXITY, crate::ratelimit::COMPLEXITY] {
            for row in table.rows {
                assert_eq!(
                    row.cells.len() + 1,
                    table.headers.len(),
                    "{}",
                    row.algorithm
                );
            }
            let first_added = table.rows.iter().position(|r| !r.from_chapter);
            assert!(first_added.is_some_and(|i| table.rows[i..].iter().all(|r| !r.from_chapter)));
        }
    }
}
