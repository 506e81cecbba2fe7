//! What a route requires ([`VerifyOptions`]), and the packing of those options into the
//! `u32` that `#[jwt_required]`'s gate carries as a const parameter, so each route's
//! options are a compile-time constant without a generated type per route.

use crate::config::{JwtConfig, Location};

/// What to require of a request: flask-jwt-extended's `jwt_required` /
/// `verify_jwt_in_request` arguments. `#[jwt_required(..)]` builds one per route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyOptions {
    /// A request without any token passes (with no token); an invalid token still fails.
    pub optional: bool,
    /// Only a fresh access token passes.
    pub fresh: bool,
    /// Only a refresh token passes (and the refresh cookie, CSRF header and JSON key are used).
    pub refresh: bool,
    /// `false` accepts access and refresh tokens alike.
    pub verify_type: bool,
    /// Do not ask the blocklist.
    pub skip_revocation_check: bool,
    /// Where to look for the token, in order; empty means the configured locations.
    pub locations: &'static [Location],
}

impl VerifyOptions {
    /// A non-optional access-token route using the configured locations (flask's
    /// `jwt_required()` without arguments).
    pub const DEFAULT: Self = Self {
        optional: false,
        fresh: false,
        refresh: false,
        verify_type: true,
        skip_revocation_check: false,
        locations: &[],
    };
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl VerifyOptions {
    /// The locations to search, in order: the route's own, or else the configured ones.
    pub(crate) fn locations<'a>(&'a self, config: &'a JwtConfig) -> &'a [Location] {
        if self.locations.is_empty() {
            &config.token_location
        } else {
            self.locations
        }
    }
}

/// Bits of a route's packed options ([`spec`]).
const OPTIONAL: u32 = 1;
const FRESH: u32 = 1 << 1;
const REFRESH: u32 = 1 << 2;
const VERIFY_TYPE: u32 = 1 << 3;
const SKIP_REVOCATION_CHECK: u32 = 1 << 4;
/// The number of locations (0 to 4) at bits 5..8, then two bits per location, in order.
const LOCATION_COUNT_SHIFT: u32 = 5;
const LOCATIONS_SHIFT: u32 = 8;

/// Packs `options` into the `u32` that `Gate` carries as its const parameter.
/// Locations beyond the fourth are dropped (there are only four, and the macro refuses
/// duplicates).
pub const fn spec(options: &VerifyOptions) -> u32 {
    let mut packed = 0;
    if options.optional {
        packed |= OPTIONAL;
    }
    if options.fresh {
        packed |= FRESH;
    }
    if options.refresh {
        packed |= REFRESH;
    }
    if options.verify_type {
        packed |= VERIFY_TYPE;
    }
    if options.skip_revocation_check {
        packed |= SKIP_REVOCATION_CHECK;
    }
    let count = if options.locations.len() > 4 {
        4
    } else {
        options.locations.len()
    };
    packed |= (count as u32) << LOCATION_COUNT_SHIFT;
    let mut index = 0;
    while index < count {
        let code = match options.locations[index] {
            Location::Headers => 0,
            Location::Cookies => 1,
            Location::QueryString => 2,
            Location::Json => 3,
        };
        packed |= code << (LOCATIONS_SHIFT + 2 * index as u32);
        index += 1;
    }
    packed
}

/// The options packed in `SPEC`, as constants (so the locations are `'static`).
pub(crate) struct Unpacked<const SPEC: u32>;

impl<const SPEC: u32> Unpacked<SPEC> {
    const LOCATIONS: &'static [Location; 4] = &[
        location(SPEC, 0),
        location(SPEC, 1),
        location(SPEC, 2),
        location(SPEC, 3),
    ];

    pub(crate) const OPTIONS: VerifyOptions = VerifyOptions {
        optional: SPEC & OPTIONAL != 0,
        fresh: SPEC & FRESH != 0,
        refresh: SPEC & REFRESH != 0,
        verify_type: SPEC & VERIFY_TYPE != 0,
        skip_revocation_check: SPEC & SKIP_REVOCATION_CHECK != 0,
        locations: Self::LOCATIONS
            .split_at(((SPEC >> LOCATION_COUNT_SHIFT) & 0b111) as usize)
            .0,
    };
}

const fn location(spec: u32, index: u32) -> Location {
    match (spec >> (LOCATIONS_SHIFT + 2 * index)) & 0b11 {
        0 => Location::Headers,
        1 => Location::Cookies,
        2 => Location::QueryString,
        _ => Location::Json,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_survive_packing() {
        const ALL: [Location; 4] = [
            Location::Json,
            Location::QueryString,
            Location::Headers,
            Location::Cookies,
        ];
        for flags in 0..32_u32 {
            for count in 0..=4 {
                let options = VerifyOptions {
                    optional: flags & 1 != 0,
                    fresh: flags & 2 != 0,
                    refresh: flags & 4 != 0,
                    verify_type: flags & 8 != 0,
                    skip_revocation_check: flags & 16 != 0,
                    locations: &ALL[..count],
                };
                let packed = spec(&options);
                let unpacked = VerifyOptions {
                    optional: packed & OPTIONAL != 0,
                    fresh: packed & FRESH != 0,
                    refresh: packed & REFRESH != 0,
                    verify_type: packed & VERIFY_TYPE != 0,
                    skip_revocation_check: packed & SKIP_REVOCATION_CHECK != 0,
                    locations: &[],
                };
                let locations: Vec<Location> = (0..((packed >> LOCATION_COUNT_SHIFT) & 0b111))
                    .map(|index| location(packed, index))
                    .collect();
                assert_eq!(
                    (unpacked, locations.as_slice()),
                    (
                        VerifyOptions {
                            locations: &[],
                            ..options
                        },
                        options.locations
                    )
                );
            }
        }
        // And through the constants the gate uses.
        const PACKED: u32 = spec(&VerifyOptions {
            fresh: true,
            locations: &[Location::Cookies, Location::Headers],
            ..VerifyOptions::DEFAULT
        });
        let options = Unpacked::<PACKED>::OPTIONS;
        assert!(options.fresh && !options.optional && options.verify_type);
        assert_eq!(options.locations, [Location::Cookies, Location::Headers]);
    }
}
