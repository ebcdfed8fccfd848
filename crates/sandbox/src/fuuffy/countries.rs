//! The sandbox's countries table and `GET /v1/country/list?country=` (Get States & Cities
//! page, <https://api-docs.fuuffy.com/api/country/list>).

use axum::http::{StatusCode, Uri};
use axum::response::Response;
use ordergate_fuuffy::{codes, types};

use super::{Place, error, query_pairs, query_value};
use crate::http::reply;

/// One country of the sandbox's table: its ISO 3166-1 alpha-2 code, its name, and a few of
/// its states with a few of their cities each (a sample, not a complete list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountryEntry {
    /// ISO 3166-1 alpha-2 code (`HK`).
    pub code: &'static str,
    /// Name (`Hong Kong`).
    pub name: &'static str,
    /// States, districts or provinces, each with its cities.
    pub states: &'static [(&'static str, &'static [&'static str])],
}

/// The countries `GET /v1/country/list` knows. Hong Kong's first two districts are the Get
/// States & Cities page's sample.
pub const COUNTRIES: &[CountryEntry] = &[
    CountryEntry {
        code: "HK",
        name: "Hong Kong",
        states: &[
            ("Central and Western", &["Central", "Sheung Wan"]),
            ("Eastern District", &["North Point", "Quarry Bay"]),
            ("Kowloon City", &["Hung Hom", "To Kwa Wan"]),
            ("Kwun Tong", &["Kwun Tong", "Ngau Tau Kok"]),
        ],
    },
    CountryEntry {
        code: "CN",
        name: "China",
        states: &[
            ("Guangdong", &["Guangzhou", "Shenzhen", "Dongguan"]),
            ("Shanghai", &["Shanghai"]),
            ("Beijing", &["Beijing"]),
        ],
    },
    CountryEntry {
        code: "US",
        name: "United States",
        states: &[
            ("California", &["Los Angeles", "San Francisco"]),
            ("Illinois", &["Chicago", "Springfield"]),
            ("New York", &["New York", "Buffalo"]),
        ],
    },
    CountryEntry {
        code: "GB",
        name: "United Kingdom",
        states: &[
            ("England", &["London", "Manchester"]),
            ("Scotland", &["Edinburgh", "Glasgow"]),
        ],
    },
    CountryEntry {
        code: "JP",
        name: "Japan",
        states: &[
            ("Tokyo", &["Shinjuku", "Shibuya"]),
            ("Osaka", &["Osaka", "Sakai"]),
        ],
    },
    CountryEntry {
        code: "SG",
        name: "Singapore",
        states: &[("Singapore", &["Singapore"])],
    },
];

/// The table's country with code or name `text` (case-insensitive, surrounding spaces
/// ignored).
fn find(text: &str) -> Option<&'static CountryEntry> {
    let text = text.trim();
    COUNTRIES.iter().find(|country| {
        country.code.eq_ignore_ascii_case(text) || country.name.eq_ignore_ascii_case(text)
    })
}

/// The place of a contact's `country`: the table's name for a known code or name, else the
/// value itself (upper-cased as the code).
pub(super) fn place(country: &str) -> Place {
    match find(country) {
        Some(entry) => Place {
            code: entry.code.to_owned(),
            name: entry.name.to_owned(),
        },
        None => Place {
            code: country.trim().to_ascii_uppercase(),
            name: country.trim().to_owned(),
        },
    }
}

fn country(entry: &CountryEntry) -> types::Country {
    types::Country {
        code: Some(entry.code.to_owned()),
        name: Some(entry.name.to_owned()),
        states: Some(
            entry
                .states
                .iter()
                .map(|(name, cities)| types::State {
                    name: Some((*name).to_owned()),
                    cities: Some(
                        cities
                            .iter()
                            .map(|city| types::City {
                                name: Some((*city).to_owned()),
                            })
                            .collect(),
                    ),
                })
                .collect(),
        ),
    }
}

/// `GET /v1/country/list?country=...`: the matching country, or an empty `countries` list
/// for one the table does not have; a missing `country` gets the page's 400.
pub(super) async fn list_states_and_cities(uri: Uri) -> Response {
    let pairs = query_pairs(&uri);
    let Some(text) = query_value(&pairs, "country").filter(|text| !text.trim().is_empty()) else {
        // The Get States & Cities page's 400 sample, exactly.
        let body = error(
            codes::BAD_REQUEST_CODE,
            codes::BAD_REQUEST,
            "country parameter is required",
        );
        return reply(StatusCode::BAD_REQUEST, &body);
    };
    let body = types::CountryListResponse {
        data: types::CountryListData {
            countries: Some(find(text).map(country).into_iter().collect()),
            message: Some("OK".to_owned()),
        },
    };
    reply(StatusCode::OK, &body)
}
