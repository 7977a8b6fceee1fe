//! An editor for the chain of tiers: one group of controls per tier, writing the compact `tiers` text (the
//! form field that works without JavaScript) as the person edits. Rows are read from the text as
//! typed, not from the last valid parse, so a half-typed value is never thrown away.

use leptos::prelude::*;

use crate::state::{use_field_setter, use_scenario};

/// One tier as typed, split from the codec text.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    name: String,
    availability: String,
    /// `n/k` for k-of-n; empty for active-passive.
    replicas: String,
    /// Failover and repair time for active-passive.
    active_passive: Option<(String, String)>,
}

impl Row {
    fn parse(text: &str) -> Row {
        let mut parts = text.split(':').map(str::trim);
        let name = parts.next().unwrap_or_default().to_string();
        let availability = parts.next().unwrap_or_default().to_string();
        let rest: Vec<&str> = parts.collect();
        match rest.as_slice() {
            ["ap", failover, repair, ..] => Row {
                name,
                availability,
                replicas: String::new(),
                active_passive: Some((failover.to_string(), repair.to_string())),
            },
            ["ap"] | ["ap", _] => Row {
                name,
                availability,
                replicas: String::new(),
                active_passive: Some((
                    rest.get(1).copied().unwrap_or("30s").to_string(),
                    "1h".to_string(),
                )),
            },
            [replicas, ..] => Row {
                name,
                availability,
                replicas: replicas.to_string(),
                active_passive: None,
            },
            [] => Row {
                name,
                availability,
                replicas: "1/1".to_string(),
                active_passive: None,
            },
        }
    }

    fn text(&self) -> String {
        match &self.active_passive {
            Some((failover, repair)) => {
                format!("{}:{}:ap:{failover}:{repair}", self.name, self.availability)
            }
            None => format!("{}:{}:{}", self.name, self.availability, self.replicas),
        }
    }
}

fn rows_of(text: &str) -> Vec<Row> {
    if text.trim().is_empty() {
        Vec::new()
    } else {
        text.split(',').map(Row::parse).collect()
    }
}

fn text_of(rows: &[Row]) -> String {
    rows.iter().map(Row::text).collect::<Vec<_>>().join(",")
}

/// The row editor. Its inputs have no `name`, so the form submits only the `tiers` text.
#[component]
pub fn TiersEditor() -> impl IntoView {
    let state = use_scenario();
    let set = use_field_setter();
    let rows = Memo::new(move |_| rows_of(&state.raw("tiers")));
    let write = move |edit: &dyn Fn(&mut Vec<Row>)| {
        let mut next = rows.get_untracked();
        edit(&mut next);
        set("tiers", &text_of(&next));
    };

    let row_views = {
        let write = write.clone();
        move || {
            rows.get()
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let write = write.clone();
                let is_ap = row.active_passive.is_some();
                let (failover, repair) = row.active_passive.clone().unwrap_or_default();
                // Each control carries its visible label: in a column 300 px wide a table's
                // header row left the redundancy select too narrow to show "active-passive".
                let cell = |label: &'static str, value: String, update: fn(&mut Row, String)| {
                    let write = write.clone();
                    view! {
                        <label>
                            <span class="tier-label">{label}</span>
                            <input type="text" value=value.clone() prop:value=value
                                autocomplete="off" spellcheck="false"
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    write(&|rows: &mut Vec<Row>| if let Some(r) = rows.get_mut(i) { update(r, v.clone()) });
                                } />
                        </label>
                    }
                };
                view! {
                    <fieldset class="tier">
                        <legend class="visually-hidden">{format!("Tier {}", i + 1)}</legend>
                        {cell("Tier name", row.name.clone(), |r, v| r.name = v)}
                        {cell("Replica availability, %", row.availability.clone(), |r, v| r.availability = v)}
                        <button type="button" class="icon" aria-label=format!("Remove tier {}", i + 1)
                            on:click={ let write = write.clone(); move |_| write(&|rows: &mut Vec<Row>| { if i < rows.len() { rows.remove(i); } }) }>
                            "×"
                        </button>
                        <label>
                            <span class="tier-label">"Redundancy"</span>
                            <select on:change={ let write = write.clone(); move |ev| {
                                let ap = event_target_value(&ev) == "ap";
                                write(&|rows: &mut Vec<Row>| if let Some(r) = rows.get_mut(i) {
                                    if ap {
                                        r.active_passive = Some(("30s".into(), "1h".into()));
                                    } else {
                                        r.active_passive = None;
                                        r.replicas = "2/1".into();
                                    }
                                });
                            }}>
                                <option value="kofn" selected=!is_ap>"k of n up"</option>
                                <option value="ap" selected=is_ap>"active-passive"</option>
                            </select>
                        </label>
                        {if is_ap {
                            view! {
                                <div class="tier-times">
                                    {cell("Failover time", failover, |r, v| if let Some(ap) = r.active_passive.as_mut() { ap.0 = v })}
                                    {cell("Repair time", repair, |r, v| if let Some(ap) = r.active_passive.as_mut() { ap.1 = v })}
                                </div>
                            }.into_any()
                        } else {
                            view! {
                                <div class="tier-times">
                                    {cell("Replicas n/k (k must be up)", row.replicas.clone(), |r, v| r.replicas = v)}
                                </div>
                            }.into_any()
                        }}
                    </fieldset>
                }
            })
            .collect_view()
        }
    };

    view! {
        <div class="tiers-editor js-only">
            {row_views}
            <button type="button" class="secondary"
                on:click=move |_| write(&|rows: &mut Vec<Row>| rows.push(Row::parse(&format!("tier{}:99.9:2/1", rows.len() + 1))))>
                "Add tier"
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_the_codec_text_as_typed() {
        let text = "lb:99.99:2/1,app:99.9:3/2,db:99.95:ap:30s:1h";
        assert_eq!(text_of(&rows_of(text)), text);
        // Half-typed values survive untouched.
        let typed = "lb:99.9x:2/";
        assert_eq!(text_of(&rows_of(typed)), typed);
        assert_eq!(rows_of(""), Vec::new());
    }
}
