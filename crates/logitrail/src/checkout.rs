//! The Logitrail Checkout HTTP form: the fields a merchant's "bridge" page posts to Logitrail
//! Checkout, signed with their `mac`
//! (<https://logitrail-integration.readthedocs.io/en/latest/checkout/http_form_api.html>).
//!
//! [`CheckoutRequest`] describes the order (the documented required fields are its
//! constructor's arguments, the optional ones its methods); [`CheckoutRequest::form`] gives a
//! [`CheckoutForm`]: the form's action URL and its `(name, value)` fields, `mac` included,
//! ready to render ([`CheckoutForm::auto_submit_html`]) or to hand to a template.
//!
//! The `mac` ([`mac`]) is the standard, padded base64 of SHA-512 over the field values, sorted
//! by field name, joined with `|`, followed by `|` and the merchant's secret. The docs state the
//! order and the join; the `|` before the secret and the exclusion of the `mac` field itself are
//! what Logitrail's own example bridge script computes
//! (<https://github.com/logitrail/php-integration-examples/blob/master/checkout/js_bridge.php>).
//! A field that is absent is not in the mac; a field that is present but empty is (an empty
//! value between two `|`).
//!
//! Logitrail recomputes the mac from the values it receives, so what matters is that each
//! value is signed exactly as it is sent: numbers are formatted once, here, and the same
//! string is both signed and posted.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ordergate_runtime::digest::sha512;
use ordergate_runtime::{ExposeSecret as _, SecretString};

use crate::Credentials;

/// The form's action in production (`POST`), from the HTTP Form API page.
pub const PRODUCTION_CHECKOUT_URL: &str = "https://checkout.logitrail.com/go";

/// The form's action in Logitrail's test environment, which has its own merchant ids and
/// secrets (<https://logitrail-integration.readthedocs.io/en/latest/test_environment.html>).
///
/// Plain `http://`: the docs give test hosts the production URLs with another hostname, and
/// tell integrators to switch to "HTTPS + change in the hostname" for production; the existing
/// clients use exactly this URL
/// (<https://github.com/Codaone/magento2_logitrail_module/blob/master/Lib/ApiClient.php>).
/// The customer's details travel unencrypted to it: use it with test data only.
pub const TEST_CHECKOUT_URL: &str = "http://checkout.test.logitrail.com/go";

/// Which Logitrail Checkout the form is posted to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckoutEnvironment {
    /// [`PRODUCTION_CHECKOUT_URL`].
    Production,
    /// [`TEST_CHECKOUT_URL`] (test credentials only).
    Test,
}

impl CheckoutEnvironment {
    /// The form's action URL in this environment.
    pub const fn action_url(self) -> &'static str {
        match self {
            Self::Production => PRODUCTION_CHECKOUT_URL,
            Self::Test => TEST_CHECKOUT_URL,
        }
    }
}

/// How the checkout shows shipping fees (`shipping_fee_mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ShippingFeeMode {
    /// Shipping fees including VAT, Logitrail's default: the field is sent empty (and the empty
    /// value is in the mac). Leave the mode unset to not send the field at all.
    IncludeVat,
    /// `hide`: no shipping fees shown at all.
    Hide,
    /// `exclude_vat`: shipping fees shown excluding VAT.
    ExcludeVat,
}

impl ShippingFeeMode {
    /// The form value: `""`, `hide` or `exclude_vat`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::IncludeVat => "",
            Self::Hide => "hide",
            Self::ExcludeVat => "exclude_vat",
        }
    }
}

/// The customer's name and postal address: the form's required `customer_fn`, `customer_ln`,
/// `customer_addr`, `customer_pc` and `customer_city`. Sent as given, even when empty (the
/// existing clients send empty names when the cart has none yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutCustomer {
    /// `customer_fn`: first name.
    pub first_name: String,
    /// `customer_ln`: last name.
    pub last_name: String,
    /// `customer_addr`: street address.
    pub address: String,
    /// `customer_pc`: postal code.
    pub postal_code: String,
    /// `customer_city`: postal city.
    pub city: String,
}

/// One product line of the order (`products_N_*`, N from 0 in the order added). Only the id
/// and the amount are required, and only if Logitrail already knows the product; the docs
/// recommend passing everything.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckoutProduct {
    id: String,
    amount: u32,
    name: Option<String>,
    weight_grams: Option<u64>,
    gtin: Option<String>,
    dimensions_mm: Option<[u32; 3]>,
    price: Option<f64>,
    tax_percent: Option<f64>,
}

impl CheckoutProduct {
    /// A line of `amount` items (`products_N_amount`) of the merchant's product `id`
    /// (`products_N_id`).
    pub fn new(id: impl Into<String>, amount: u32) -> Self {
        Self {
            id: id.into(),
            amount,
            name: None,
            weight_grams: None,
            gtin: None,
            dimensions_mm: None,
            price: None,
            tax_percent: None,
        }
    }

    /// `products_N_name`: the merchant's product name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `products_N_weight`: the weight of one item, in grams.
    pub fn weight_grams(mut self, grams: u64) -> Self {
        self.weight_grams = Some(grams);
        self
    }

    /// `products_N_gtin`: the product's EAN/GTIN.
    pub fn gtin(mut self, gtin: impl Into<String>) -> Self {
        self.gtin = Some(gtin.into());
        self
    }

    /// `products_N_dimensions`: one item's width, height and depth in millimetres, sent as the
    /// documented `"<width> x <height> x <depth>"` (e.g. `60 x 30 x 30`).
    pub fn dimensions_mm(mut self, width: u32, height: u32, depth: u32) -> Self {
        self.dimensions_mm = Some([width, height, depth]);
        self
    }

    /// `products_N_price`: the price of one item, taxes included. Sent in Rust's shortest
    /// round-trip decimal form (`12.4`, `10`); it must be finite.
    pub fn price(mut self, price: f64) -> Self {
        self.price = Some(price);
        self
    }

    /// `products_N_tax`: the product's tax percentage (`24`, `25.5`); it must be finite.
    pub fn tax_percent(mut self, percent: f64) -> Self {
        self.tax_percent = Some(percent);
        self
    }
}

/// Why a [`CheckoutRequest`] cannot be made into a form.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckoutFormError {
    /// A decimal field (price, tax, volume, total sum) is NaN or infinite.
    #[error("the checkout field `{field}` is not a finite number")]
    NotFinite {
        /// The form field's name.
        field: String,
    },
    /// An [`extra_field`](CheckoutRequest::extra_field) name is not usable.
    #[error("`{name}` cannot be an extra checkout field: {reason}")]
    InvalidFieldName {
        /// The name given.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Two fields have the same name (an extra field repeating a modelled one).
    #[error("the checkout field `{name}` is given twice")]
    DuplicateField {
        /// The repeated name.
        name: String,
    },
}

/// A Logitrail Checkout order (the form's `request=new_order`), built with the documented
/// fields and made into a signed [`CheckoutForm`] by [`CheckoutRequest::form`].
///
/// `Debug` shows the merchant id and the order, never the secret.
#[derive(Clone, Debug)]
pub struct CheckoutRequest {
    credentials: Credentials,
    order_id: String,
    customer: CheckoutCustomer,
    country: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    weight_grams: Option<u64>,
    volume_m3: Option<f64>,
    layout: Option<String>,
    language: Option<String>,
    shipping_fee_mode: Option<ShippingFeeMode>,
    tags: Vec<String>,
    pricelist: Option<String>,
    total_sum: Option<f64>,
    ok_url: Option<String>,
    error_url: Option<String>,
    cancel_url: Option<String>,
    products: Vec<CheckoutProduct>,
    extra: Vec<(String, String)>,
}

impl CheckoutRequest {
    /// The order `order_id` (the merchant's own id) of `customer`, signed with the merchant's
    /// `credentials` (the same Merchant ID, sent as `merchant`, and secret as the API's).
    pub fn new(
        credentials: Credentials,
        order_id: impl Into<String>,
        customer: CheckoutCustomer,
    ) -> Self {
        Self {
            credentials,
            order_id: order_id.into(),
            customer,
            country: None,
            email: None,
            phone: None,
            weight_grams: None,
            volume_m3: None,
            layout: None,
            language: None,
            shipping_fee_mode: None,
            tags: Vec::new(),
            pricelist: None,
            total_sum: None,
            ok_url: None,
            error_url: None,
            cancel_url: None,
            products: Vec::new(),
            extra: Vec::new(),
        }
    }

    /// `customer_country`: ISO 3166 two-letter code; Logitrail assumes `FI` when absent.
    pub fn customer_country(mut self, country: impl Into<String>) -> Self {
        self.country = Some(country.into());
        self
    }

    /// `customer_email`.
    pub fn customer_email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// `customer_phone`, in international format.
    pub fn customer_phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    /// `weight`: the order's total weight in grams (optional when the products have weights).
    pub fn weight_grams(mut self, grams: u64) -> Self {
        self.weight_grams = Some(grams);
        self
    }

    /// `volume`: the order's total volume in cubic metres; it must be finite.
    pub fn volume_m3(mut self, volume: f64) -> Self {
        self.volume_m3 = Some(volume);
        self
    }

    /// `layout`: the key of a custom checkout layout made in the merchant portal (`default`
    /// is used when absent).
    pub fn layout(mut self, layout: impl Into<String>) -> Self {
        self.layout = Some(layout.into());
        self
    }

    /// `language`: the checkout's language, ISO 639-1 (`fi`, `en`, `sv`).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// `shipping_fee_mode`: how shipping fees are shown.
    pub fn shipping_fee_mode(mut self, mode: ShippingFeeMode) -> Self {
        self.shipping_fee_mode = Some(mode);
        self
    }

    /// Adds a tag to the order: the first tag is `tags_0`, the next `tags_1`, and so on.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// `pricelist`: forces the shipping fee price list with this name
    /// (<https://logitrail-integration.readthedocs.io/en/latest/shipping_methods/rules.html>).
    pub fn pricelist(mut self, pricelist: impl Into<String>) -> Self {
        self.pricelist = Some(pricelist.into());
        self
    }

    /// `total_sum`: the order's total, overriding the sum of the product lines' prices; it
    /// must be finite.
    pub fn total_sum(mut self, total: f64) -> Self {
        self.total_sum = Some(total);
        self
    }

    /// `ok_url`: where Checkout returns the customer after a completed selection. Not in the
    /// docs' field table; Logitrail's own example bridge script sends it, with `error_url` and
    /// `cancel_url`.
    pub fn ok_url(mut self, url: impl Into<String>) -> Self {
        self.ok_url = Some(url.into());
        self
    }

    /// `error_url`: where Checkout sends the customer after an error (see
    /// [`ok_url`](Self::ok_url)).
    pub fn error_url(mut self, url: impl Into<String>) -> Self {
        self.error_url = Some(url.into());
        self
    }

    /// `cancel_url`: where Checkout sends a customer who cancels (see
    /// [`ok_url`](Self::ok_url)).
    pub fn cancel_url(mut self, url: impl Into<String>) -> Self {
        self.cancel_url = Some(url.into());
        self
    }

    /// Adds a product line; lines are numbered from 0 in the order they are added.
    pub fn product(mut self, product: CheckoutProduct) -> Self {
        self.products.push(product);
        self
    }

    /// A field this type does not model, sent and signed like the others. The name must be
    /// ASCII letters, digits and `_`, start with a letter, not be `mac`, and not repeat another
    /// field (checked by [`form`](Self::form)).
    pub fn extra_field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.push((name.into(), value.into()));
        self
    }

    /// The signed form for `environment`: every field that was set, sorted by name, then
    /// `mac`.
    ///
    /// # Errors
    /// [`CheckoutFormError::NotFinite`] for a NaN or infinite decimal;
    /// [`CheckoutFormError::InvalidFieldName`] and [`CheckoutFormError::DuplicateField`] for an
    /// unusable [`extra_field`](Self::extra_field).
    pub fn form(
        &self,
        environment: CheckoutEnvironment,
    ) -> Result<CheckoutForm, CheckoutFormError> {
        let mut fields = self.unsigned_fields()?;
        fields.sort_by(|(left, _), (right, _)| left.cmp(right));
        if let Some(pair) = fields.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            return Err(CheckoutFormError::DuplicateField {
                name: pair[0].0.clone(),
            });
        }
        let signature = mac(
            fields
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
            self.credentials.secret(),
        );
        fields.push(("mac".to_owned(), signature));
        Ok(CheckoutForm {
            action_url: environment.action_url(),
            fields,
        })
    }

    /// Every field but `mac`, unsorted.
    fn unsigned_fields(&self) -> Result<Vec<(String, String)>, CheckoutFormError> {
        let mut fields = FieldList::default();
        fields.text("merchant", self.credentials.merchant_id());
        fields.text("request", "new_order");
        fields.text("order_id", &self.order_id);
        fields.text("customer_fn", &self.customer.first_name);
        fields.text("customer_ln", &self.customer.last_name);
        fields.text("customer_addr", &self.customer.address);
        fields.text("customer_pc", &self.customer.postal_code);
        fields.text("customer_city", &self.customer.city);
        fields.optional_text("customer_country", self.country.as_deref());
        fields.optional_text("customer_email", self.email.as_deref());
        fields.optional_text("customer_phone", self.phone.as_deref());
        fields.optional_integer("weight", self.weight_grams);
        fields.optional_decimal("volume", self.volume_m3)?;
        fields.optional_text("layout", self.layout.as_deref());
        fields.optional_text("language", self.language.as_deref());
        fields.optional_text(
            "shipping_fee_mode",
            self.shipping_fee_mode.map(ShippingFeeMode::as_str),
        );
        for (index, tag) in self.tags.iter().enumerate() {
            fields.text(format!("tags_{index}"), tag);
        }
        fields.optional_text("pricelist", self.pricelist.as_deref());
        fields.optional_decimal("total_sum", self.total_sum)?;
        fields.optional_text("ok_url", self.ok_url.as_deref());
        fields.optional_text("error_url", self.error_url.as_deref());
        fields.optional_text("cancel_url", self.cancel_url.as_deref());
        for (index, product) in self.products.iter().enumerate() {
            let prefix = format!("products_{index}_");
            let name = |field: &str| format!("{prefix}{field}");
            fields.text(name("id"), &product.id);
            fields.integer(name("amount"), product.amount);
            fields.optional_text(name("name"), product.name.as_deref());
            fields.optional_integer(name("weight"), product.weight_grams);
            fields.optional_text(name("gtin"), product.gtin.as_deref());
            if let Some([width, height, depth]) = product.dimensions_mm {
                fields.text(name("dimensions"), &format!("{width} x {height} x {depth}"));
            }
            fields.optional_decimal(name("price"), product.price)?;
            fields.optional_decimal(name("tax"), product.tax_percent)?;
        }
        for (name, value) in &self.extra {
            check_extra_name(name)?;
            fields.text(name.as_str(), value);
        }
        Ok(fields.0)
    }
}

/// The form's fields as they are collected.
#[derive(Default)]
struct FieldList(Vec<(String, String)>);

impl FieldList {
    fn text(&mut self, name: impl Into<String>, value: &str) {
        self.0.push((name.into(), value.to_owned()));
    }

    fn optional_text(&mut self, name: impl Into<String>, value: Option<&str>) {
        if let Some(value) = value {
            self.text(name, value);
        }
    }

    fn integer(&mut self, name: impl Into<String>, value: impl fmt::Display) {
        self.0.push((name.into(), value.to_string()));
    }

    fn optional_integer(&mut self, name: impl Into<String>, value: Option<impl fmt::Display>) {
        if let Some(value) = value {
            self.integer(name, value);
        }
    }

    fn optional_decimal(
        &mut self,
        name: impl Into<String>,
        value: Option<f64>,
    ) -> Result<(), CheckoutFormError> {
        let Some(value) = value else { return Ok(()) };
        let name = name.into();
        if !value.is_finite() {
            return Err(CheckoutFormError::NotFinite { field: name });
        }
        // `-0.0` would print as `-0`.
        let value = if value == 0.0 { 0.0 } else { value };
        self.0.push((name, value.to_string()));
        Ok(())
    }
}

fn check_extra_name(name: &str) -> Result<(), CheckoutFormError> {
    let invalid = |reason| CheckoutFormError::InvalidFieldName {
        name: name.to_owned(),
        reason,
    };
    if name == "mac" {
        return Err(invalid("the mac is computed over the other fields"));
    }
    if !name.starts_with(|first: char| first.is_ascii_alphabetic()) {
        return Err(invalid("it must start with an ASCII letter"));
    }
    if !name
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_')
    {
        return Err(invalid("only ASCII letters, digits and `_` are allowed"));
    }
    Ok(())
}

/// The `mac` of a checkout form's `fields` (name, value): the standard, padded base64 of
/// SHA-512 over the values sorted by name (byte order, as PHP's `ksort` orders these names:
/// `products_10_id` before `products_2_id`), each followed by `|`, then the `secret`. A field
/// named `mac` is left out; an empty value counts (as nothing between two `|`). Values are
/// hashed as their UTF-8 bytes. Names should be unique; values with the same name keep the
/// order they are given in.
///
/// [`CheckoutRequest::form`] signs with it; it is public for checking a form built elsewhere.
/// The concatenated message, which contains the secret, is never assembled in memory.
pub fn mac<'a>(
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
    secret: &SecretString,
) -> String {
    let mut fields: Vec<(&str, &str)> = fields
        .into_iter()
        .filter(|(name, _)| *name != "mac")
        .collect();
    fields.sort_by_key(|(name, _)| *name);
    let parts = fields
        .iter()
        .flat_map(|(_, value)| [value.as_bytes(), b"|".as_slice()])
        .chain([secret.expose_secret().as_bytes()]);
    STANDARD.encode(sha512(parts))
}

/// A signed Logitrail Checkout form: where to post it and its fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutForm {
    action_url: &'static str,
    fields: Vec<(String, String)>,
}

impl CheckoutForm {
    /// The form's action (`method="post"`).
    pub fn action_url(&self) -> &'static str {
        self.action_url
    }

    /// The fields to post, `(name, value)`: sorted by name, then `mac`.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// The fields, owned.
    pub fn into_fields(self) -> Vec<(String, String)> {
        self.fields
    }

    /// The `mac` field's value.
    pub fn mac(&self) -> &str {
        self.fields.last().map_or("", |(_, value)| value.as_str())
    }

    /// A complete UTF-8 HTML page that posts the form to Logitrail as soon as it loads: what
    /// the bridge URL given to `Logitrail.checkout()` should answer
    /// (<https://logitrail-integration.readthedocs.io/en/latest/checkout.html>). Every name,
    /// value and the action are HTML-escaped. The page declares UTF-8 and the form
    /// `accept-charset="utf-8"`, so the browser posts the values as the UTF-8 the mac was
    /// computed over. The inline script needs `script-src 'unsafe-inline'` (or a nonce added
    /// by you) under a Content Security Policy; without scripts, a button submits the form.
    pub fn auto_submit_html(&self) -> String {
        let mut html = String::from(
            "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n\
             <title>Logitrail Checkout</title>\n</head>\n<body>\n",
        );
        html.push_str(
            "<form id=\"logitrail-checkout\" method=\"post\" accept-charset=\"utf-8\" action=\"",
        );
        push_escaped(&mut html, self.action_url);
        html.push_str("\">\n");
        for (name, value) in &self.fields {
            html.push_str("<input type=\"hidden\" name=\"");
            push_escaped(&mut html, name);
            html.push_str("\" value=\"");
            push_escaped(&mut html, value);
            html.push_str("\">\n");
        }
        html.push_str(
            "<noscript><button type=\"submit\">Continue</button></noscript>\n</form>\n\
             <script>document.getElementById(\"logitrail-checkout\").submit();</script>\n\
             </body>\n</html>\n",
        );
        html
    }
}

/// Appends `text` escaped for an HTML attribute value or text: `&`, `<`, `>`, `"`, `'`.
fn push_escaped(html: &mut String, text: &str) {
    for character in text.chars() {
        match character {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            other => html.push(other),
        }
    }
}
