//! `ordergate list`: the orders of a [`ListQuery`], printed as the stream yields them.

use futures_util::StreamExt as _;
use ordergate::{Date, ListQuery, OrderProvider, OrderStatus, Provider};

use crate::output::{self, Failure, Output};
use crate::printable::json_safe;

/// The filters as given on the command line.
#[derive(Debug, clap::Args)]
pub(crate) struct ListArgs {
    /// Only orders with this normalized status (`confirmed`, `shipped`, ...; see `ordergate
    /// schema`).
    #[arg(long, value_name = "S", value_parser = parse_status)]
    status: Option<OrderStatus>,
    /// Only orders created on or after this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    since: Option<Date>,
    /// Only orders created on or before this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    until: Option<Date>,
    /// At most N orders: no page past the one that reaches N is requested.
    #[arg(long, value_name = "N")]
    limit: Option<u64>,
}

impl ListArgs {
    /// The facade's query, or a usage error when `--since` is after `--until`.
    fn query(&self) -> Result<ListQuery, Output> {
        if let (Some(since), Some(until)) = (self.since, self.until)
            && since > until
        {
            return Err(Output::Failure(Failure::usage(&format!(
                "--since {since} is after --until {until}"
            ))));
        }
        let mut query = ListQuery::new();
        query.status = self.status;
        query.since = self.since;
        query.until = self.until;
        query.limit = self.limit;
        Ok(query)
    }
}

fn parse_status(text: &str) -> Result<OrderStatus, String> {
    OrderStatus::ALL
        .into_iter()
        .find(|status| status.as_str().eq_ignore_ascii_case(text.trim()))
        .ok_or_else(|| {
            let known: Vec<&str> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
            format!(
                "{text:?} is not a status; expected one of {}",
                known.join(", ")
            )
        })
}

fn parse_day(text: &str) -> Result<Date, String> {
    text.parse()
        .map_err(|error: ordergate::InvalidDate| error.to_string())
}

/// Lists `provider`'s orders: each printed as soon as the stream yields it (one `Order` JSON
/// object per line with `json`), pages fetched only as needed. An error mid-way is printed
/// after the orders already printed, and its exit code is the command's.
pub(crate) async fn run(provider: &Provider, args: &ListArgs, json: bool) -> Output {
    let query = match args.query() {
        Ok(query) => query,
        Err(output) => return output,
    };
    let mut orders = provider.list_orders(&query);
    let mut printed = 0u64;
    while let Some(item) = orders.next().await {
        match item {
            Ok(order) => {
                let line = if json {
                    json_safe(serde_json::to_string(&output::bounded(order)).unwrap_or_default())
                } else {
                    output::order_line(&order)
                };
                if !output::write_line(false, format_args!("{line}")) {
                    // The reader went away (a closed pipe): stop fetching.
                    return Output::Text(String::new());
                }
                printed += 1;
            }
            Err(error) => return Output::from(error),
        }
    }
    if printed == 0 && !json {
        return Output::Text("no orders".to_owned());
    }
    Output::Text(String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_days_are_read_or_refused_with_the_choices() {
        assert_eq!(parse_status("Shipped"), Ok(OrderStatus::Shipped));
        let refused = parse_status("lost").expect_err("not a status");
        assert!(refused.contains("delivered"), "{refused}");
        assert!(parse_day("2026-02-30").is_err());
        assert!(parse_day("2026-02-28").is_ok());
    }
}
