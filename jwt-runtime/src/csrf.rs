//! The CSRF double-submit comparison: the value a cookie request sends beside its token
//! (in a header or form field) must equal the token's signed `csrf` claim, compared in
//! constant time. The CSRF cookie itself is never compared with anything: an attacker on
//! a sibling domain can plant cookies, but cannot read the signed claim.

use subtle::ConstantTimeEq;

use crate::error::{Error, ErrorKind, Result};

/// Checks a cookie token's `csrf` claim against the double-submit value sent with it.
/// Nothing to check when no value was sent (the method needs none, or the token did not
/// come from a cookie): the cookie location already refused a missing value.
pub(crate) fn check_double_submit(claim: Option<&str>, sent: Option<&str>) -> Result<()> {
    let Some(sent) = sent.filter(|value| !value.is_empty()) else {
        return Ok(());
    };
    let claim = claim.ok_or_else(|| Error::invalid_token("Missing claim: csrf"))?;
    if claim.is_empty() || !constant_time_eq(claim.as_bytes(), sent.as_bytes()) {
        return Err(Error::new(ErrorKind::Csrf(
            "CSRF double submit tokens do not match".to_owned(),
        )));
    }
    Ok(())
}

/// Whether `a` equals `b`, in time that depends on their lengths only. The bytes are
/// compared eight at a time with no branch on their values, and `subtle` makes the
/// final test; `subtle`'s byte-slice comparison, one optimisation barrier per byte,
/// costs as much as the rest of the CSRF check.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (a_words, a_rest) = a.as_chunks::<8>();
    let (b_words, b_rest) = b.as_chunks::<8>();
    let words = a_words.iter().zip(b_words).fold(0, |diff, (x, y)| {
        diff | (u64::from_ne_bytes(*x) ^ u64::from_ne_bytes(*y))
    });
    let rest = a_rest
        .iter()
        .zip(b_rest)
        .fold(0, |diff, (x, y)| diff | u64::from(x ^ y));
    bool::from((words | rest).ct_eq(&0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_is_equality() {
        let text = b"0123456789abcdef0123456789abcdef-xyz";
        for len in 0..=text.len() {
            let a = &text[..len];
            assert!(constant_time_eq(a, a));
            for at in 0..len {
                let mut b = a.to_vec();
                b[at] ^= 0x01;
                assert!(!constant_time_eq(a, &b), "differs at {at} of {len}");
            }
            assert!(!constant_time_eq(a, &text[..len.saturating_sub(1)]) || len == 0);
        }
    }
}
