//! The fake's price table, and the one pricing function that Estimate Order Price, Estimate
//! Item Price, Create Order and Update Order all use, so an order costs what its estimate
//! said. FastPOD publishes no price list; the amounts are the sandbox's, chosen so that the
//! docs' examples come out as printed where they are consistent
//! (<https://fastpodapi.apidog.io/api-4681583>: `UAGHTBRRYEXL`, one unit, Standard shipping,
//! 14.80 + 4.99).
//!
//! - **Items**: a unit costs its SKU's base price ([`SKUS`]), plus 2.50 for each print area
//!   beyond the first two. A SKU not in the table is refused (422).
//! - **Shipping** ([`SHIPPING`]): by method, a price for the order's first unit and one for
//!   each further unit; the first line carries the first unit's price.
//! - **Rush production** (`rush_production` or `boost_production`): a 5.00 surcharge
//!   (`surcharge_total`, `rush_production_price`); FastPOD allows it only for single-item
//!   orders, so an order of more than one unit asking for it is refused (422).
//! - **Label orders** (`order_type` "2"): a 1.50 labeling fee (`labeling_fee`).
//! - **Coupons** ([`COUPONS`]): a discount on the items (production cost), never more than
//!   the item total. An unknown code is refused (422).
//! - **Totals**: `order_total` = items + shipping + surcharge + labeling fee − discount.
//!   `point_used` (the Rocket Fuel points the order costs when paid in points) is the total
//!   in cents, as in every docs example (38.40 → 3840); a line's `point_earned` is its price
//!   in cents, the estimate's `point_earned` their sum.
//!
//! Amounts are kept in cents and written as numbers with at most two decimals.

use ordergate_fastpod::types;

/// Base price per unit of each SKU the fake sells, in cents, with the product's style,
/// color and size (the docs' SKUs: <https://fastpodapi.apidog.io/api-4681582>,
/// <https://fastpodapi.apidog.io/api-4681583>, <https://fastpodapi.apidog.io/api-4681586>).
pub(crate) const SKUS: &[Sku] = &[
    Sku {
        sku: "UTNGDT1W00L",
        cents: 1200,
        style: "5000",
        color: "WHITE",
        size: "L",
    },
    Sku {
        sku: "UAGHTBRRYEXL",
        cents: 1480,
        style: "3001",
        color: "HEATHER BERRY",
        size: "XL",
    },
    Sku {
        sku: "UABSTAQUBXL3",
        cents: 1440,
        style: "3001",
        color: "AQUA",
        size: "3XL",
    },
    Sku {
        sku: "UHOODBLK0M",
        cents: 2950,
        style: "18500",
        color: "BLACK",
        size: "M",
    },
];

/// One SKU of [`SKUS`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sku {
    pub(crate) sku: &'static str,
    pub(crate) cents: u64,
    pub(crate) style: &'static str,
    pub(crate) color: &'static str,
    pub(crate) size: &'static str,
}

/// Shipping by method (1 Standard, 2 Priority, 3 Express, 4 Prime), in cents: the order's
/// first unit, each further unit.
pub(crate) const SHIPPING: [(u64, u64); 4] = [(499, 200), (899, 300), (2400, 500), (2999, 600)];

/// Print areas included in a unit's base price.
pub(crate) const INCLUDED_PRINT_AREAS: usize = 2;
/// Each print area beyond [`INCLUDED_PRINT_AREAS`], per unit, in cents.
pub(crate) const EXTRA_PRINT_AREA_CENTS: u64 = 250;
/// The rush production surcharge, per order, in cents.
pub(crate) const RUSH_CENTS: u64 = 500;
/// The labeling fee of a label order, in cents.
pub(crate) const LABELING_FEE_CENTS: u64 = 150;

/// The coupons the fake knows: code and discount.
pub(crate) const COUPONS: &[(&str, Discount)] = &[
    // The code of the Estimate Order Price page's example, with its discount.
    ("code1", Discount::Cents(40)),
    ("SANDBOX10", Discount::Percent(10)),
];

/// What a coupon takes off the item total.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Discount {
    /// A fixed amount, in cents.
    Cents(u64),
    /// A share of the item total, in percent (rounded down to the cent).
    Percent(u64),
}

/// The largest quantity a line may have (the sandbox's bound, so that no total overflows).
pub(crate) const MAX_QUANTITY: u64 = 10_000;

/// One line to price.
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    pub(crate) sku: &'a str,
    pub(crate) quantity: u64,
    pub(crate) print_areas: usize,
}

/// What an order asks to be priced.
#[derive(Debug, Clone)]
pub(crate) struct Quote<'a> {
    pub(crate) lines: Vec<Line<'a>>,
    /// 1 to 4.
    pub(crate) shipping_method: u64,
    pub(crate) rush: bool,
    pub(crate) label_order: bool,
    pub(crate) coupon: Option<&'a str>,
}

/// One priced line, in cents.
#[derive(Debug, Clone)]
pub(crate) struct PricedLine {
    pub(crate) sku: Sku,
    pub(crate) quantity: u64,
    pub(crate) unit_cents: u64,
    pub(crate) price_cents: u64,
    pub(crate) shipping_cents: u64,
}

impl PricedLine {
    /// The line's Rocket Fuel points: its price in cents.
    pub(crate) fn points(&self) -> i64 {
        points(self.price_cents)
    }
}

/// A priced order, in cents.
#[derive(Debug, Clone)]
pub(crate) struct Priced {
    pub(crate) lines: Vec<PricedLine>,
    pub(crate) item_cents: u64,
    pub(crate) shipping_cents: u64,
    pub(crate) surcharge_cents: u64,
    pub(crate) labeling_cents: u64,
    pub(crate) discount_cents: u64,
}

impl Priced {
    /// Items + shipping + surcharge + labeling fee − discount.
    pub(crate) fn total_cents(&self) -> u64 {
        (self.item_cents + self.shipping_cents + self.surcharge_cents + self.labeling_cents)
            .saturating_sub(self.discount_cents)
    }

    /// The points paying the order in points costs: the total in cents.
    pub(crate) fn points_used(&self) -> i64 {
        points(self.total_cents())
    }

    /// The points paying it in cash earns: the lines' points.
    pub(crate) fn points_earned(&self) -> i64 {
        self.lines.iter().map(PricedLine::points).sum()
    }
}

/// Why a quote cannot be priced: the request field (Laravel's dotted path) and the message.
pub(crate) type Refused = (String, String);

/// `cents` as money.
pub(crate) fn money(cents: u64) -> f64 {
    // Amounts stay far below 2^53 cents (quantities are bounded), so this is exact.
    cents as f64 / 100.0
}

fn points(cents: u64) -> i64 {
    i64::try_from(cents).unwrap_or(i64::MAX)
}

/// The SKU `sku` of the table.
pub(crate) fn sku(sku: &str) -> Option<Sku> {
    SKUS.iter().copied().find(|known| known.sku == sku)
}

/// Prices `quote`; every refusal, by field, when it cannot be.
pub(crate) fn price(quote: &Quote<'_>) -> Result<Priced, Vec<Refused>> {
    let mut refused = Vec::new();
    let Some(&(first_unit, next_unit)) = quote
        .shipping_method
        .checked_sub(1)
        .and_then(|index| SHIPPING.get(usize::try_from(index).ok()?))
    else {
        refused.push((
            "shipping_method".to_owned(),
            "The selected shipping method is invalid.".to_owned(),
        ));
        return Err(refused);
    };
    if quote.lines.is_empty() {
        refused.push((
            "line_items".to_owned(),
            "The line items field must have at least 1 item.".to_owned(),
        ));
    }
    let mut lines = Vec::new();
    let mut units = 0u64;
    for (index, line) in quote.lines.iter().enumerate() {
        let Some(sku) = sku(line.sku) else {
            refused.push((
                format!("line_items.{index}.sku"),
                format!("The selected line_items.{index}.sku is invalid."),
            ));
            continue;
        };
        if !(1..=MAX_QUANTITY).contains(&line.quantity) {
            refused.push((
                format!("line_items.{index}.quantity"),
                format!("The line_items.{index}.quantity must be between 1 and {MAX_QUANTITY}."),
            ));
            continue;
        }
        if line.print_areas == 0 {
            refused.push((
                format!("line_items.{index}.print_areas"),
                format!(
                    "The line_items.{index}.print_areas field must name at least one print area."
                ),
            ));
            continue;
        }
        let extra_areas = line.print_areas.saturating_sub(INCLUDED_PRINT_AREAS) as u64;
        let unit_cents = sku.cents + extra_areas * EXTRA_PRINT_AREA_CENTS;
        let shipping_cents = if units == 0 {
            first_unit + next_unit * (line.quantity - 1)
        } else {
            next_unit * line.quantity
        };
        units += line.quantity;
        lines.push(PricedLine {
            sku,
            quantity: line.quantity,
            unit_cents,
            price_cents: unit_cents * line.quantity,
            shipping_cents,
        });
    }
    if quote.rush && units > 1 {
        refused.push((
            "rush_production".to_owned(),
            "Rush production is only available for orders with a single item.".to_owned(),
        ));
    }
    let item_cents: u64 = lines.iter().map(|line| line.price_cents).sum();
    let discount_cents = match quote.coupon {
        None => 0,
        Some(code) => match COUPONS.iter().find(|(known, _)| *known == code) {
            Some((_, Discount::Cents(cents))) => (*cents).min(item_cents),
            Some((_, Discount::Percent(percent))) => item_cents * percent / 100,
            None => {
                refused.push((
                    "coupon_code".to_owned(),
                    "The selected coupon code is invalid.".to_owned(),
                ));
                0
            }
        },
    };
    if !refused.is_empty() {
        return Err(refused);
    }
    Ok(Priced {
        shipping_cents: lines.iter().map(|line| line.shipping_cents).sum(),
        lines,
        item_cents,
        surcharge_cents: if quote.rush { RUSH_CENTS } else { 0 },
        labeling_cents: if quote.label_order {
            LABELING_FEE_CENTS
        } else {
            0
        },
        discount_cents,
    })
}

/// The lines of an order request, to price.
pub(crate) fn order_lines(items: &[types::NewLineItem]) -> Vec<Line<'_>> {
    items
        .iter()
        .map(|item| Line {
            sku: &item.sku,
            quantity: item.quantity,
            print_areas: print_area_count(&item.print_areas),
        })
        .collect()
}

/// How many print areas carry a file.
pub(crate) fn print_area_count(areas: &types::PrintAreas) -> usize {
    let named = [
        &areas.front,
        &areas.back,
        &areas.pocket,
        &areas.neck_label,
        &areas.right_sleeve,
        &areas.left_sleeve,
    ];
    let set = |value: &Option<String>| value.as_deref().is_some_and(|url| !url.trim().is_empty());
    named.into_iter().filter(|value| set(value)).count()
        + areas
            .extra
            .values()
            .filter(|url| !url.trim().is_empty())
            .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(lines: Vec<Line<'static>>) -> Quote<'static> {
        Quote {
            lines,
            shipping_method: 1,
            rush: false,
            label_order: false,
            coupon: None,
        }
    }

    fn line(sku: &'static str, quantity: u64, print_areas: usize) -> Line<'static> {
        Line {
            sku,
            quantity,
            print_areas,
        }
    }

    #[test]
    fn the_docs_estimate_comes_out_as_printed() {
        let priced = price(&quote(vec![line("UAGHTBRRYEXL", 1, 2)])).expect("priced");
        assert_eq!(priced.item_cents, 1480);
        assert_eq!(priced.shipping_cents, 499);
        assert_eq!(priced.total_cents(), 1979);
        assert_eq!(priced.points_used(), 1979);
        assert_eq!(money(priced.total_cents()), 19.79);
    }

    #[test]
    fn shipping_extra_areas_rush_labels_and_coupons_add_up() {
        let mut order = quote(vec![line("UTNGDT1W00L", 3, 3), line("UHOODBLK0M", 1, 1)]);
        order.shipping_method = 3;
        order.label_order = true;
        order.coupon = Some("SANDBOX10");
        let priced = price(&order).expect("priced");
        // (12.00 + 2.50) × 3 + 29.50
        assert_eq!(priced.item_cents, 7300);
        // 24.00 + 2 × 5.00, then 5.00
        assert_eq!(priced.shipping_cents, 3900);
        assert_eq!(priced.discount_cents, 730);
        assert_eq!(priced.total_cents(), 7300 + 3900 + 150 - 730);
        order.rush = true;
        let refused = price(&order).expect_err("rush on four units");
        assert_eq!(refused[0].0, "rush_production");
    }

    #[test]
    fn unknown_skus_quantities_methods_and_coupons_are_refused_by_field() {
        let mut order = quote(vec![line("NOPE", 1, 1), line("UTNGDT1W00L", 0, 1)]);
        order.coupon = Some("nope");
        let fields: Vec<String> = price(&order)
            .expect_err("refused")
            .into_iter()
            .map(|(field, _)| field)
            .collect();
        assert_eq!(
            fields,
            ["line_items.0.sku", "line_items.1.quantity", "coupon_code"]
        );
        assert_eq!(
            price(&quote(Vec::new())).expect_err("refused")[0].0,
            "line_items"
        );
        let mut order = quote(vec![line("UTNGDT1W00L", 1, 1)]);
        order.shipping_method = 5;
        assert_eq!(price(&order).expect_err("refused")[0].0, "shipping_method");
    }
}
