//! A pasted HorizontalPodAutoscaler manifest as the pages and the API read it.
//!
//! The YAML parser ([`HpaPolicy::from_yaml`], feature `yaml`) runs only where the server runs: the
//! browser posts the text to `POST /api/v1/hpa` and gets back a [`ManifestReading`], the policy in
//! the `hpa` field's compact form and the fields the simulator does not model. The WASM bundle
//! so carries no YAML parser, and both sides read a manifest with the same code.

use serde::{Deserialize, Serialize};

use super::HpaPolicy;

/// Longest manifest the pages and `POST /api/v1/hpa` read, bytes: an HPA is well under 2 KiB,
/// and a URL much longer than this (a form sent without JavaScript carries the text in its
/// query) is refused by some proxies.
pub const MAX_PASTE_BYTES: usize = 8 * 1024;

/// A field of the manifest that the simulator does not model as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UnsupportedField {
    /// Where it is, e.g. `spec.metrics[2]` or `spec.scaleTargetRef`.
    pub path: String,
    /// Why it is not modelled, and what the simulator does instead.
    pub reason: String,
}

/// What a manifest reads as: the body of `POST /api/v1/hpa`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ManifestReading {
    /// The policy in the `hpa` field's compact form ([`HpaPolicy::to_compact`]).
    pub hpa: String,
    /// The fields not simulated, in the order the manifest has them.
    pub unsupported: Vec<UnsupportedField>,
}

/// A manifest read: the policy and the fields it does not simulate, or why it cannot be read.
pub type Pasted = Result<(HpaPolicy, Vec<UnsupportedField>), String>;

impl ManifestReading {
    /// Reads a pasted manifest; never panics, whatever the text. The error is the message the
    /// page shows next to the box and the API answers with `field` `hpa_yaml`.
    ///
    /// # Errors
    /// A text longer than [`MAX_PASTE_BYTES`], and every error of [`HpaPolicy::from_yaml`].
    ///
    /// # Examples
    /// ```
    /// use headroom::autoscale::{CHAPTER_EXAMPLE_YAML, ManifestReading};
    /// let reading = ManifestReading::read(CHAPTER_EXAMPLE_YAML).unwrap();
    /// assert!(reading.hpa.starts_with("min=3;max=100;"));
    /// assert_eq!(reading.unsupported[0].path, "spec.scaleTargetRef");
    /// ```
    #[cfg(feature = "yaml")]
    pub fn read(text: &str) -> Result<Self, String> {
        use crate::units::format_count;
        if text.len() > MAX_PASTE_BYTES {
            return Err(format!(
                "the YAML is {} bytes, more than the {} this page reads; paste only the HorizontalPodAutoscaler",
                format_count(text.len() as f64),
                format_count(MAX_PASTE_BYTES as f64)
            ));
        }
        let (policy, unsupported) = HpaPolicy::from_yaml(text).map_err(|e| e.to_string())?;
        Ok(Self {
            hpa: policy.to_compact(),
            unsupported,
        })
    }

    /// The policy back from its compact form, with the fields not simulated.
    ///
    /// # Errors
    /// The compact form's parse error: only for an answer that did not come from
    /// [`ManifestReading::read`].
    pub fn into_pasted(self) -> Pasted {
        let policy = HpaPolicy::from_compact(&self.hpa).map_err(|e| e.to_string())?;
        Ok((policy, self.unsupported))
    }
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use super::*;
    use crate::autoscale::CHAPTER_EXAMPLE_YAML;

    /// What the browser gets back from the server is exactly what the server read: the compact
    /// form parses back to the same policy, for the chapter's manifest and one without
    /// `behavior` (the legacy path keeps its `behavior=none` marker).
    #[test]
    fn a_reading_carries_the_policy_the_yaml_reader_read() {
        let no_behavior = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  minReplicas: 1\n  maxReplicas: 20\n";
        for yaml in [CHAPTER_EXAMPLE_YAML, no_behavior] {
            let read = HpaPolicy::from_yaml(yaml).expect("reads");
            let reading = ManifestReading::read(yaml).expect("reads");
            let json = serde_json::to_string(&reading).expect("serializes");
            let back: ManifestReading = serde_json::from_str(&json).expect("deserializes");
            assert_eq!(back.into_pasted(), Ok(read));
        }
    }

    #[test]
    fn a_paste_longer_than_the_page_reads_is_refused_before_parsing() {
        let at_limit = format!(
            "{CHAPTER_EXAMPLE_YAML}{}",
            "#".repeat(MAX_PASTE_BYTES - CHAPTER_EXAMPLE_YAML.len())
        );
        assert!(ManifestReading::read(&at_limit).is_ok());
        let over = format!("{at_limit}#");
        assert_eq!(
            ManifestReading::read(&over),
            Err(format!(
                "the YAML is {} bytes, more than the 8,192 this page reads; paste only the HorizontalPodAutoscaler",
                crate::units::format_count(over.len() as f64)
            ))
        );
    }

    #[test]
    fn an_answer_that_is_not_a_compact_policy_is_an_error_not_a_panic() {
        let forged = ManifestReading {
            hpa: "min=;max=zz".to_string(),
            unsupported: Vec::new(),
        };
        assert!(forged.into_pasted().is_err());
    }
}
