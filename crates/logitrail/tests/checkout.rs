//! The checkout form and its mac, against vectors computed outside this crate.
//!
//! Every expected mac below was computed with Python 3, transcribing the PHP that Logitrail's
//! example bridge script and the Codaone clients run (`ksort`, the values without `mac`, the
//! secret appended, `join('|', ...)`, `base64_encode(hash('sha512', ..., true))`):
//!
//! ```text
//! mac = lambda fields, secret: base64.b64encode(hashlib.sha512("|".join(
//!     [v for k, v in sorted(fields.items()) if k != "mac"] + [secret]).encode()).digest()).decode()
//! ```
//!
//! Each test's comment gives the `fields` dict it was called with.

use ordergate_logitrail::Credentials;
use ordergate_logitrail::SecretString;
use ordergate_logitrail::checkout::{
    CheckoutCustomer, CheckoutEnvironment, CheckoutFormError, CheckoutProduct, CheckoutRequest,
    PRODUCTION_CHECKOUT_URL, ShippingFeeMode, TEST_CHECKOUT_URL, mac,
};

fn customer(first_name: &str, last_name: &str, address: &str, city: &str) -> CheckoutCustomer {
    CheckoutCustomer {
        first_name: first_name.to_owned(),
        last_name: last_name.to_owned(),
        address: address.to_owned(),
        postal_code: "00100".to_owned(),
        city: city.to_owned(),
    }
}

/// merchant `shop.example`, order `1001`, customer A B, `C 1`, 00100 Helsinki.
fn basic_request(secret: &str) -> CheckoutRequest {
    CheckoutRequest::new(
        Credentials::new("shop.example", secret),
        "1001",
        customer("A", "B", "C 1", "Helsinki"),
    )
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect()
}

fn names(fields: &[(String, String)]) -> Vec<&str> {
    fields.iter().map(|(name, _)| name.as_str()).collect()
}

#[test]
fn logitrail_example_bridge_script_fields_and_mac() {
    // The fields of https://github.com/logitrail/php-integration-examples/blob/master/checkout/js_bridge.php
    // (merchant, secret `hyvis`, country, return URLs and layout verbatim; the session's
    // contact details and weight filled in):
    // {"merchant": "testi.verkkokauppavarasto.fi", "request": "new_order",
    //  "order_id": "TEST-0123456789abcdef", "customer_fn": "Matti", "customer_ln": "Meikäläinen",
    //  "customer_addr": "Testikatu 1", "customer_pc": "00100", "customer_city": "Helsinki",
    //  "customer_country": "FI", "customer_email": "matti@example.com",
    //  "customer_phone": "+358401234567", "ok_url": "...?return=ok",
    //  "error_url": "...?return=error", "cancel_url": "...?return=cancel", "weight": "1500",
    //  "layout": "default"}, secret "hyvis"
    let request = CheckoutRequest::new(
        Credentials::new("testi.verkkokauppavarasto.fi", "hyvis"),
        "TEST-0123456789abcdef",
        customer("Matti", "Meikäläinen", "Testikatu 1", "Helsinki"),
    )
    .customer_country("FI")
    .customer_email("matti@example.com")
    .customer_phone("+358401234567")
    .ok_url("https://help.logitrail.com/php-integration-examples/return.php?return=ok")
    .error_url("https://help.logitrail.com/php-integration-examples/return.php?return=error")
    .cancel_url("https://help.logitrail.com/php-integration-examples/return.php?return=cancel")
    .weight_grams(1500)
    .layout("default");
    let form = request
        .form(CheckoutEnvironment::Production)
        .expect("a valid form");

    assert_eq!(form.action_url(), "https://checkout.logitrail.com/go");
    assert_eq!(
        pairs(form.fields()),
        [
            (
                "cancel_url",
                "https://help.logitrail.com/php-integration-examples/return.php?return=cancel"
            ),
            ("customer_addr", "Testikatu 1"),
            ("customer_city", "Helsinki"),
            ("customer_country", "FI"),
            ("customer_email", "matti@example.com"),
            ("customer_fn", "Matti"),
            ("customer_ln", "Meikäläinen"),
            ("customer_pc", "00100"),
            ("customer_phone", "+358401234567"),
            (
                "error_url",
                "https://help.logitrail.com/php-integration-examples/return.php?return=error"
            ),
            ("layout", "default"),
            ("merchant", "testi.verkkokauppavarasto.fi"),
            (
                "ok_url",
                "https://help.logitrail.com/php-integration-examples/return.php?return=ok"
            ),
            ("order_id", "TEST-0123456789abcdef"),
            ("request", "new_order"),
            ("weight", "1500"),
            (
                "mac",
                "IUv8MPMHO8MFBr3AwjLniqlYdEQq73Ia5pZhdYfVpNkT4cP//vpZBz5R2NLdOMazJymK/mxfzK0hlQvVD+k2bg=="
            ),
        ]
    );
    assert_eq!(form.mac(), form.fields()[16].1);
}

#[test]
fn product_fields_sort_as_strings_so_products_10_come_before_products_1() {
    // {**basic, "products_N_id": "SKU-N", "products_N_amount": str(N + 1) for N in 0..=10},
    // secret "s3cret"
    let request = (0..=10u32).fold(basic_request("s3cret"), |request, index| {
        request.product(CheckoutProduct::new(format!("SKU-{index}"), index + 1))
    });
    let form = request
        .form(CheckoutEnvironment::Production)
        .expect("a valid form");

    let names = names(form.fields());
    assert_eq!(
        names[6..14],
        [
            "order_id",
            "products_0_amount",
            "products_0_id",
            "products_10_amount",
            "products_10_id",
            "products_1_amount",
            "products_1_id",
            "products_2_amount",
        ]
    );
    assert_eq!(
        names[names.len() - 3..],
        ["products_9_id", "request", "mac"]
    );
    assert_eq!(
        form.mac(),
        "D2nmIsfzK7HpQEI/qFkkmSKYehBMXD9+k7cUZHnWjYwu7rfIpczbzG4F/5ZhGvXseLm4ZlejfbWoQbdYYc/MQQ=="
    );
}

#[test]
fn unicode_values_and_secret_are_hashed_as_utf8() {
    // {**basic, "customer_fn": "Åsa", "customer_ln": "Öberg-Ñúñez",
    //  "customer_city": "Hämeenlinna", "products_0_id": "T-1", "products_0_amount": "1",
    //  "products_0_name": "Kahvikuppi ☕ 日本"}, secret "sëcret✓"
    let request = CheckoutRequest::new(
        Credentials::new("shop.example", "sëcret✓"),
        "1001",
        customer("Åsa", "Öberg-Ñúñez", "C 1", "Hämeenlinna"),
    )
    .product(CheckoutProduct::new("T-1", 1).name("Kahvikuppi ☕ 日本"));
    let form = request
        .form(CheckoutEnvironment::Production)
        .expect("a valid form");
    assert_eq!(
        form.mac(),
        "qjvIC9epeHXdthyqSS6/H4J6cLkQTTo7xgGM3omC8a573shFxr2/W457MDSJgnHv72fPvg2yUDtmYyJSWHYfGw=="
    );
}

/// What the Codaone WooCommerce client's `getForm` posts from a cart: empty names, e-mail and
/// phone, `language`, `total_sum`, and a product without a barcode (`false`, joined as "").
fn codaone_cart(email: Option<&str>, phone: Option<&str>, gtin: Option<&str>) -> CheckoutRequest {
    let mut product = CheckoutProduct::new("MUG-1", 2)
        .name("Muki")
        .weight_grams(250)
        .price(12.4)
        .tax_percent(24.0);
    if let Some(gtin) = gtin {
        product = product.gtin(gtin);
    }
    let mut request = CheckoutRequest::new(
        Credentials::new("shop.example", "s3cret"),
        "1f3870be274f6c49b3e31a0c6728957f",
        customer("", "", "Mannerheimintie 1", "Helsinki"),
    )
    .customer_country("FI")
    .language("fi")
    .total_sum(24.8)
    .product(product);
    if let Some(email) = email {
        request = request.customer_email(email);
    }
    if let Some(phone) = phone {
        request = request.customer_phone(phone);
    }
    request
}

#[test]
fn empty_fields_are_signed_as_the_codaone_client_signs_them() {
    // {"merchant": "shop.example", "request": "new_order",
    //  "order_id": "1f3870be274f6c49b3e31a0c6728957f", "customer_fn": "", "customer_ln": "",
    //  "customer_addr": "Mannerheimintie 1", "customer_pc": "00100", "customer_city": "Helsinki",
    //  "customer_country": "FI", "customer_email": "", "customer_phone": "", "language": "fi",
    //  "total_sum": "24.8", "products_0_id": "MUG-1", "products_0_name": "Muki",
    //  "products_0_amount": "2", "products_0_weight": "250", "products_0_price": "12.4",
    //  "products_0_tax": "24", "products_0_gtin": ""}, secret "s3cret"
    let form = codaone_cart(Some(""), Some(""), Some(""))
        .form(CheckoutEnvironment::Test)
        .expect("a valid form");
    assert_eq!(form.action_url(), "http://checkout.test.logitrail.com/go");
    assert_eq!(
        pairs(form.fields()),
        [
            ("customer_addr", "Mannerheimintie 1"),
            ("customer_city", "Helsinki"),
            ("customer_country", "FI"),
            ("customer_email", ""),
            ("customer_fn", ""),
            ("customer_ln", ""),
            ("customer_pc", "00100"),
            ("customer_phone", ""),
            ("language", "fi"),
            ("merchant", "shop.example"),
            ("order_id", "1f3870be274f6c49b3e31a0c6728957f"),
            ("products_0_amount", "2"),
            ("products_0_gtin", ""),
            ("products_0_id", "MUG-1"),
            ("products_0_name", "Muki"),
            ("products_0_price", "12.4"),
            ("products_0_tax", "24"),
            ("products_0_weight", "250"),
            ("request", "new_order"),
            ("total_sum", "24.8"),
            (
                "mac",
                "GgVvvj/ERiVU59E4Ql2Jyiv++5kI2GgPH2oH6j8wUZd3QeHdpDUPMb9xr3JNxEjjrodoIjT6OUP8OrJoduhZLQ=="
            ),
        ]
    );
}

#[test]
fn absent_fields_are_left_out_of_the_mac_unlike_empty_ones() {
    // The dict of the test above without "customer_email", "customer_phone" and
    // "products_0_gtin", secret "s3cret"
    let form = codaone_cart(None, None, None)
        .form(CheckoutEnvironment::Production)
        .expect("a valid form");
    let names = names(form.fields());
    for absent in ["customer_email", "customer_phone", "products_0_gtin"] {
        assert!(!names.contains(&absent), "{absent} is not sent");
    }
    assert_eq!(
        form.mac(),
        "VVHJmnwBzNXH/a/B6CQzTEnBOgbw2duMgD1WuBZTAzPQGAwJi46kjGs9DkKeL5ZKvVaQvS1wga5T1RpwuR2QMg=="
    );
}

#[test]
fn a_pipe_inside_a_value_is_hashed_as_it_is() {
    // {**basic, "customer_addr": "Katu 1 | B 2"}, secret "s3cret": the hashed message is
    // "Katu 1 | B 2|Helsinki|A|B|00100|shop.example|1001|new_order|s3cret"
    let form = CheckoutRequest::new(
        Credentials::new("shop.example", "s3cret"),
        "1001",
        customer("A", "B", "Katu 1 | B 2", "Helsinki"),
    )
    .form(CheckoutEnvironment::Production)
    .expect("a valid form");
    assert_eq!(
        form.mac(),
        "NhCycmNDOwpbaJYMETaU2hixAuRleNl4m/txkf3ZmqwfoBedYVHTaDiv2q9FBbNe0UGGmQ4TQ3d90xxFPbIV1Q=="
    );
}

#[test]
fn every_documented_optional_field_is_named_and_formatted_as_documented() {
    // {**basic, "customer_country": "FI", "weight": "1200", "volume": "0.015",
    //  "layout": "dark", "language": "en", "shipping_fee_mode": "", "tags_0": "gift",
    //  "tags_1": "rush", "pricelist": "vip", "total_sum": "99.9", "products_0_id": "BOX",
    //  "products_0_amount": "3", "products_0_name": "Box", "products_0_weight": "400",
    //  "products_0_gtin": "6410000000001", "products_0_dimensions": "60 x 30 x 30",
    //  "products_0_price": "33.3", "products_0_tax": "25.5"}, secret "s3cret"
    let form = basic_request("s3cret")
        .customer_country("FI")
        .weight_grams(1200)
        .volume_m3(0.015)
        .layout("dark")
        .language("en")
        .shipping_fee_mode(ShippingFeeMode::IncludeVat)
        .tag("gift")
        .tag("rush")
        .pricelist("vip")
        .total_sum(99.9)
        .product(
            CheckoutProduct::new("BOX", 3)
                .name("Box")
                .weight_grams(400)
                .gtin("6410000000001")
                .dimensions_mm(60, 30, 30)
                .price(33.3)
                .tax_percent(25.5),
        )
        .form(CheckoutEnvironment::Production)
        .expect("a valid form");
    let fields = pairs(form.fields());
    for expected in [
        ("shipping_fee_mode", ""),
        ("tags_0", "gift"),
        ("tags_1", "rush"),
        ("volume", "0.015"),
        ("total_sum", "99.9"),
        ("products_0_dimensions", "60 x 30 x 30"),
        ("products_0_tax", "25.5"),
    ] {
        assert!(fields.contains(&expected), "{expected:?} in {fields:?}");
    }
    assert_eq!(fields.len(), 27, "26 fields and the mac");
    assert_eq!(
        form.mac(),
        "fJ2PcRM+lDAMgkoKT47aggaiPSkJHl9OiFjHUrdvjxzDeZAfbjDXNJXZ6DgYZacZsF6IMe+MqCPjfJ1o9ewMvg=="
    );
}

#[test]
fn shipping_fee_modes_are_the_documented_values() {
    for (mode, value) in [
        (ShippingFeeMode::Hide, "hide"),
        (ShippingFeeMode::ExcludeVat, "exclude_vat"),
        (ShippingFeeMode::IncludeVat, ""),
    ] {
        let form = basic_request("s3cret")
            .shipping_fee_mode(mode)
            .form(CheckoutEnvironment::Production)
            .expect("a valid form");
        assert!(
            pairs(form.fields()).contains(&("shipping_fee_mode", value)),
            "{mode:?}"
        );
    }
}

#[test]
fn the_environments_post_to_the_documented_urls() {
    assert_eq!(
        CheckoutEnvironment::Production.action_url(),
        PRODUCTION_CHECKOUT_URL
    );
    assert_eq!(CheckoutEnvironment::Test.action_url(), TEST_CHECKOUT_URL);
    assert_eq!(PRODUCTION_CHECKOUT_URL, "https://checkout.logitrail.com/go");
    assert_eq!(TEST_CHECKOUT_URL, "http://checkout.test.logitrail.com/go");
}

#[test]
fn mac_of_given_fields_ignores_their_order_and_a_mac_field() {
    // python3: mac({"merchant": "shop.example", "request": "new_order", "order_id": "1001",
    //   "customer_fn": "A", "customer_ln": "B", "customer_addr": "C 1", "customer_pc": "00100",
    //   "customer_city": "Helsinki"}, "s3cret")
    let expected =
        "Afq1cX3FPJOmFkCp/R9tX7N6FfZZyzhq3Wzfuw4jZSeQge6wS7sHvvSj/b1Q/hWcYAFreSJABrbYBHEjTmr6og==";
    let secret = SecretString::from("s3cret");
    let shuffled = [
        ("request", "new_order"),
        ("mac", "anything"),
        ("customer_pc", "00100"),
        ("merchant", "shop.example"),
        ("customer_fn", "A"),
        ("order_id", "1001"),
        ("customer_city", "Helsinki"),
        ("customer_ln", "B"),
        ("customer_addr", "C 1"),
    ];
    assert_eq!(mac(shuffled, &secret), expected);
    let form = basic_request("s3cret")
        .form(CheckoutEnvironment::Production)
        .expect("a valid form");
    assert_eq!(form.mac(), expected);
    // Checking a form as received: its own mac field is left out.
    assert_eq!(mac(pairs(form.fields()), &secret), expected);
}

#[test]
fn the_secret_never_appears_in_debug_or_in_the_form() {
    let secret = "do-not-print-me-7f3a";
    let request = basic_request(secret);
    let debug = format!("{request:?} {request:#?}");
    assert!(!debug.contains(secret), "{debug}");
    assert!(
        debug.contains("shop.example"),
        "the merchant id is shown: {debug}"
    );
    let form = request
        .form(CheckoutEnvironment::Production)
        .expect("a valid form");
    let everything = format!("{form:?} {}", form.auto_submit_html());
    assert!(!everything.contains(secret));
}

#[test]
fn html_escapes_hostile_values_and_posts_every_field() {
    let hostile = "\"><script>alert('x')</script>&amp;";
    let form = CheckoutRequest::new(
        Credentials::new("shop.example", "s3cret"),
        "1001",
        customer(hostile, "B", "C 1", "Helsinki"),
    )
    .product(CheckoutProduct::new("<b>", 1).name("O'Brien & Sons"))
    .form(CheckoutEnvironment::Production)
    .expect("a valid form");
    let html = form.auto_submit_html();

    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the submitting script: {html}"
    );
    assert!(html.contains(
        "name=\"customer_fn\" value=\"&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;amp;\""
    ));
    assert!(html.contains("name=\"products_0_id\" value=\"&lt;b&gt;\""));
    assert!(html.contains("name=\"products_0_name\" value=\"O&#39;Brien &amp; Sons\""));
    assert!(html.contains("action=\"https://checkout.logitrail.com/go\""));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert_eq!(
        html.matches("<input type=\"hidden\"").count(),
        form.fields().len()
    );
    let mac_input = format!("name=\"mac\" value=\"{}\"", form.mac());
    assert!(
        html.contains(&mac_input),
        "base64 has no character to escape"
    );
}

#[test]
fn extra_fields_are_signed_and_checked() {
    // {**basic, "ref": "campaign-7"}, secret "s3cret"
    let form = basic_request("s3cret")
        .extra_field("ref", "campaign-7")
        .form(CheckoutEnvironment::Production)
        .expect("a valid form");
    assert!(pairs(form.fields()).contains(&("ref", "campaign-7")));
    assert_eq!(
        form.mac(),
        "myP/kAGK46Zk8svu+bJspfHcZfe80SuNT6VQSV1RluY0uakZ3tzdrD4DN+vhsJ72g/8L+dcRiIW0MJN6l7M1WQ=="
    );

    let duplicate = basic_request("s3cret")
        .extra_field("order_id", "2002")
        .form(CheckoutEnvironment::Production);
    assert_eq!(
        duplicate,
        Err(CheckoutFormError::DuplicateField {
            name: "order_id".to_owned()
        })
    );
    for name in ["mac", "", "1st", "bad name", "ä"] {
        let result = basic_request("s3cret")
            .extra_field(name, "x")
            .form(CheckoutEnvironment::Production);
        assert!(
            matches!(result, Err(CheckoutFormError::InvalidFieldName { name: ref given, .. }) if given == name),
            "{name:?}: {result:?}"
        );
    }
}

#[test]
fn a_decimal_that_is_not_finite_is_refused_with_its_field() {
    let cases = [
        (basic_request("s").total_sum(f64::NAN), "total_sum"),
        (basic_request("s").volume_m3(f64::INFINITY), "volume"),
        (
            basic_request("s")
                .product(CheckoutProduct::new("A", 1))
                .product(CheckoutProduct::new("B", 1).price(f64::NEG_INFINITY)),
            "products_1_price",
        ),
        (
            basic_request("s").product(CheckoutProduct::new("A", 1).tax_percent(f64::NAN)),
            "products_0_tax",
        ),
    ];
    for (request, field) in cases {
        assert_eq!(
            request.form(CheckoutEnvironment::Production),
            Err(CheckoutFormError::NotFinite {
                field: field.to_owned()
            })
        );
    }
}

#[test]
fn negative_zero_is_sent_as_zero() {
    let form = basic_request("s3cret")
        .total_sum(-0.0)
        .form(CheckoutEnvironment::Production)
        .expect("a valid form");
    assert!(pairs(form.fields()).contains(&("total_sum", "0")));
}
