//! Logitrail's block of [`NewOrder::options`](crate::NewOrder::options).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What only Logitrail has, for [`create_order`](crate::OrderProvider::create_order).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct LogitrailOptions {}
