//! Near-miss suggestions for unknown names: the "did you mean `fresh`?" in our errors.
//!
//! The rules follow rustc's `find_best_match_for_name`: a name that differs only in
//! case or in `-`/`_` wins, then the closest name within a third of its length by edit
//! distance, then a name that the typo is a prefix of (or that is a prefix of the typo),
//! so `query` suggests `query_string` and `fresh_only` suggests `fresh`.

/// The candidate `name` was most likely meant to be, if any is close enough.
///
/// Ties go to the candidate listed first.
pub(crate) fn near_miss<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let normalized = normalize(name);
    if let Some(exact) = candidates
        .iter()
        .find(|candidate| normalize(candidate) == normalized)
    {
        return Some(exact);
    }

    let by_distance = candidates
        .iter()
        .map(|candidate| (edit_distance(&normalized, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= max_typos(candidate))
        .min_by_key(|(distance, _)| *distance);
    if let Some((_, candidate)) = by_distance {
        return Some(candidate);
    }

    // Prefer the longest prefix match: `refresh_token` means `refresh`, not nothing.
    candidates
        .iter()
        .filter(|candidate| {
            let (short, long) = if candidate.len() < normalized.len() {
                (**candidate, normalized.as_str())
            } else {
                (normalized.as_str(), **candidate)
            };
            short.len() >= MIN_PREFIX && long.starts_with(short)
        })
        .max_by_key(|candidate| candidate.len())
        .copied()
}

/// What an error about the unknown `name` says next: the near miss if there is one,
/// else the names expected (a list of one name is the only option there is).
pub(crate) fn hint(name: &str, candidates: &[&str]) -> String {
    match (near_miss(name, candidates), candidates) {
        (Some(near), _) => format!("did you mean `{near}`?"),
        (None, [only]) => format!("the only option is `{only}`"),
        (None, _) => format!("expected one of {}", backticked(candidates)),
    }
}

/// `a::b` for the path of an unknown option, raw identifiers without their `r#`.
pub(crate) fn path_name(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|segment| syn::ext::IdentExt::unraw(&segment.ident).to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// "`a`, `b`, `c`": the names an error lists as expected.
pub(crate) fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Shortest prefix worth suggesting from: `q` should not mean `query_string`.
const MIN_PREFIX: usize = 3;

/// How many edits still count as a typo of `candidate` (rustc allows a third).
fn max_typos(candidate: &str) -> usize {
    (candidate.chars().count() / 3).max(1)
}

fn normalize(name: &str) -> String {
    name.to_ascii_lowercase().replace('-', "_")
}

/// Optimal string alignment distance: Levenshtein plus swaps of neighbours (`fersh`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // rows[i][j] = distance between a[..i] and b[..j]
    let mut rows = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let substitution = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + substitution);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTIONS: &[&str] = &[
        "optional",
        "fresh",
        "refresh",
        "locations",
        "verify_type",
        "skip_revocation_check",
    ];
    const LOCATIONS: &[&str] = &["headers", "cookies", "query_string", "json"];

    #[test]
    fn typos_suggest_the_option() {
        assert_eq!(near_miss("frsh", OPTIONS), Some("fresh"));
        assert_eq!(near_miss("fersh", OPTIONS), Some("fresh"));
        assert_eq!(near_miss("refesh", OPTIONS), Some("refresh"));
        assert_eq!(near_miss("optinal", OPTIONS), Some("optional"));
        assert_eq!(near_miss("location", OPTIONS), Some("locations"));
        assert_eq!(near_miss("verify-type", OPTIONS), Some("verify_type"));
        assert_eq!(near_miss("Fresh", OPTIONS), Some("fresh"));
    }

    #[test]
    fn prefixes_suggest_the_option() {
        assert_eq!(near_miss("verify", OPTIONS), Some("verify_type"));
        assert_eq!(
            near_miss("skip_revocation", OPTIONS),
            Some("skip_revocation_check")
        );
        assert_eq!(near_miss("fresh_only", OPTIONS), Some("fresh"));
        assert_eq!(near_miss("refresh_token", OPTIONS), Some("refresh"));
    }

    #[test]
    fn typos_suggest_the_location() {
        assert_eq!(near_miss("header", LOCATIONS), Some("headers"));
        assert_eq!(near_miss("cookie", LOCATIONS), Some("cookies"));
        assert_eq!(near_miss("query", LOCATIONS), Some("query_string"));
        assert_eq!(near_miss("querystring", LOCATIONS), Some("query_string"));
        assert_eq!(near_miss("query-string", LOCATIONS), Some("query_string"));
        assert_eq!(near_miss("JSON", LOCATIONS), Some("json"));
    }

    #[test]
    fn unrelated_names_suggest_nothing() {
        assert_eq!(near_miss("body", LOCATIONS), None);
        assert_eq!(near_miss("q", LOCATIONS), None);
        assert_eq!(near_miss("", LOCATIONS), None);
        assert_eq!(near_miss("admin", OPTIONS), None);
        assert_eq!(near_miss("crate", OPTIONS), None);
    }

    #[test]
    fn edit_distance_counts_swaps_once() {
        assert_eq!(edit_distance("fresh", "fresh"), 0);
        assert_eq!(edit_distance("fersh", "fresh"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
