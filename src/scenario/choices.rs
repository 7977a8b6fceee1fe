//! The choices a scenario offers that no calculator has an enum for: each picks the shape of a
//! simulator's input, which [`super::configs`] fills in from the other fields. Their defaults
//! are the field table's (`super::fields`), the one place they are used.

use crate::choice::choice_enum;

choice_enum! {
    /// What the queueing model's fewest-servers search keeps under the limit.
    pub enum QueueGoal {
        /// The 95th percentile of the wait.
        P95 = "p95", "95th percentile wait",
        /// The 99th percentile of the wait.
        P99 = "p99", "99th percentile wait",
        /// The mean wait.
        Mean = "mean", "mean wait",
        /// The probability that a request waits at all.
        PWait = "pwait", "probability of waiting",
    }
}

choice_enum! {
    /// The auto-scaling simulator's traffic pattern.
    pub enum AutoscalePattern {
        /// The chapter's day: starts at midnight, lowest at 04:00, peaks at 20:00.
        Day = "day", "The chapter's day",
        /// One step up.
        Step = "step", "A step",
        /// A linear ramp up over [`super::RAMP_S`].
        Ramp = "ramp", "A ramp (30 min)",
        /// The chapter's flash crowd: the rise takes a minute.
        Flash = "flash", "A flash crowd (in a minute)",
        /// A scheduled event of [`super::EVENT_S`].
        Event = "event", "A scheduled event (1 h)",
        /// The average day of the imported traffic (`obs`), repeated.
        Observed = "observed", "Observed traffic (its average day)",
        /// The imported traffic's average week: its average day scaled by each weekday's mean,
        /// from a Monday.
        ObservedWeek = "observed_week", "Observed traffic (its average week)",
    }
}

impl AutoscalePattern {
    /// The peak over base when the scenario leaves it empty: 10× for the chapter's flash crowd,
    /// 5× for an event, 3× otherwise.
    pub fn default_peak(self) -> f64 {
        match self {
            Self::Flash => 10.0,
            Self::Event => 5.0,
            Self::Day | Self::Step | Self::Ramp | Self::Observed | Self::ObservedWeek => 3.0,
        }
    }

    /// The pattern that replays `obs` on `/autoscaling` after an import: its week when it spans
    /// one, otherwise its day, or `None` when it has neither.
    pub fn replaying(obs: &crate::traffic::Observed) -> Option<Self> {
        match (&obs.day, &obs.week) {
            (Some(_), Some(_)) => Some(Self::ObservedWeek),
            (Some(_), None) => Some(Self::Observed),
            (None, _) => None,
        }
    }

    /// Whether the run replays imported traffic (`obs`).
    pub fn is_observed(self) -> bool {
        matches!(self, Self::Observed | Self::ObservedWeek)
    }

    /// The run's length in hours when the scenario leaves it empty: the whole week or day, or 2 h.
    pub fn default_hours(self) -> f64 {
        match self {
            Self::ObservedWeek => 168.0,
            Self::Day | Self::Observed => 24.0,
            Self::Step | Self::Ramp | Self::Flash | Self::Event => 2.0,
        }
    }
}

choice_enum! {
    /// The rate-limiting simulator's traffic shape.
    pub enum RateLimitPattern {
        /// Poisson arrivals at the request rate.
        Poisson = "poisson", "Steady (Poisson)",
        /// Bursts over a Poisson background.
        Bursts = "bursts", "Bursts",
        /// A burst on each side of a window's edge.
        Boundary = "boundary", "Window boundary (worst case)",
    }
}

choice_enum! {
    /// The distribution of the load-balancing simulator's request durations.
    pub enum DurationShape {
        /// Every request takes the mean.
        Fixed = "fixed", "Fixed",
        /// Exponential around the mean.
        Exponential = "exp", "Exponential",
        /// Pareto with the scenario's tail index.
        Pareto = "pareto", "Heavy-tailed (Pareto)",
    }
}

choice_enum! {
    /// Whether the capacity plan sizes from the imported traffic (`obs`), and at which rate.
    #[derive(Default)]
    pub enum ObservedSizing {
        /// The highest observed rate.
        #[default]
        Max = "max", "Its highest rate",
        /// The 99th percentile of the observed rates: ignores the top 1% of points.
        P99 = "p99", "Its 99th percentile",
        /// Users × actions × peak factor, as without an import.
        Off = "off", "No: from users and the peak factor",
    }
}

choice_enum! {
    /// The percentile of the sampled plan that servers per tier are read at when some input is a
    /// range (see [`crate::uncertainty`]).
    #[derive(Default)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub enum PlanAt {
        /// The median: half of the samples need more.
        P50 = "p50", "P50 (the median)",
        /// One sample in ten needs more.
        #[default]
        P90 = "p90", "P90",
        /// One sample in twenty needs more.
        P95 = "p95", "P95",
        /// One sample in a hundred needs more.
        P99 = "p99", "P99",
    }
}

impl PlanAt {
    /// The percentile as a probability: 0.5, 0.9, 0.95 or 0.99.
    pub fn quantile(self) -> f64 {
        match self {
            Self::P50 => 0.5,
            Self::P90 => 0.9,
            Self::P95 => 0.95,
            Self::P99 => 0.99,
        }
    }
}
