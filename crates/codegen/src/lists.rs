//! Optional lists read as lists.
//!
//! An optional array property is generated as `foo: Option<Vec<T>>` (the spec as progenitor
//! sees it makes it nullable, so a provider's `null` decodes; see `generate::tolerant`). Read
//! directly, every caller then writes `.as_deref().unwrap_or_default()` or indexes an `Option`.
//! The house answer, as aws-sdk-rust's: for each such field, the struct gets an accessor
//!
//! ```text
//! pub fn foo(&self) -> &[T]   // empty when the provider left `foo` out or sent `null`
//! ```
//!
//! and the field stays. Why an accessor rather than a `Vec<T>` that decodes `null` and a
//! missing key as empty:
//! - what the provider sent stays visible where the difference matters (`None`: absent or
//!   `null`; `Some(vec![])`: an explicit empty list), and re-serializing a response keeps
//!   leaving out what the provider left out;
//! - it needs no `deserialize_with` patch on typify's output, only an added `impl` block, so a
//!   typify upgrade cannot silently change how a list decodes;
//! - the common read, `data.confirmed_orders().first()`, is as short as with a bare `Vec`.
//!
//! [`add_accessors`] adds the accessors; generation fails when their number differs from the
//! number of optional arrays in the spec (typify changing how it maps them would otherwise drop
//! them silently).

use quote::{ToTokens, quote};

/// Adds `pub fn <field>(&self) -> &[T]` for every `Option<Vec<T>>` field of every struct of the
/// generated `types` module. Returns how many accessors it added, or the `Type::field` whose
/// name is already taken by a method of that type.
pub(crate) fn add_accessors(file: &mut syn::File) -> Result<usize, String> {
    let Some(types) = crate::docs::module_mut(&mut file.items, "types") else {
        return Ok(0);
    };
    let mut added = Vec::new();
    for item in types.iter() {
        let syn::Item::Struct(structure) = item else {
            continue;
        };
        let syn::Fields::Named(fields) = &structure.fields else {
            continue;
        };
        let name = &structure.ident;
        let methods: Vec<syn::ImplItemFn> = fields
            .named
            .iter()
            .filter_map(|field| {
                let ident = field.ident.as_ref()?;
                let element = optional_vec_element(&field.ty)?;
                let what = crate::docs::doc_text(&field.attrs)
                    .lines()
                    .next()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(|line| format!(" {line}"))
                    .unwrap_or_default();
                let doc = format!(
                    " The `{ident}` list as a slice, empty when it is absent or `null`.{what}"
                );
                let field_doc = format!(
                    " The field `{ident}` itself tells an absent or `null` list (`None`) from an \
                     empty one (`Some(vec![])`)."
                );
                Some(syn::parse_quote! {
                    #[doc = #doc]
                    #[doc = ""]
                    #[doc = #field_doc]
                    pub fn #ident(&self) -> &[#element] {
                        self.#ident.as_deref().unwrap_or_default()
                    }
                })
            })
            .collect();
        if !methods.is_empty() {
            added.push((name.clone(), methods));
        }
    }
    let mut count = 0;
    for (name, methods) in added {
        for method in &methods {
            if has_method(types, &name, &method.sig.ident) {
                return Err(format!("{name}::{}", method.sig.ident));
            }
        }
        count += methods.len();
        types.push(syn::parse_quote! {
            impl #name {
                #(#methods)*
            }
        });
    }
    Ok(count)
}

/// `T` of `::std::option::Option<::std::vec::Vec<T>>` (or the unqualified spelling).
fn optional_vec_element(ty: &syn::Type) -> Option<&syn::Type> {
    fn single_argument<'a>(ty: &'a syn::Type, name: &str) -> Option<&'a syn::Type> {
        let syn::Type::Path(path) = ty else {
            return None;
        };
        let last = path.path.segments.last()?;
        if last.ident != name {
            return None;
        }
        let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
            return None;
        };
        match arguments.args.first()? {
            syn::GenericArgument::Type(inner) if arguments.args.len() == 1 => Some(inner),
            _ => None,
        }
    }
    single_argument(single_argument(ty, "Option")?, "Vec")
}

/// Whether an inherent `impl name` among `items` already has a method `method`.
fn has_method(items: &[syn::Item], name: &syn::Ident, method: &syn::Ident) -> bool {
    items.iter().any(|item| {
        match item {
        syn::Item::Impl(block) => {
            block.trait_.is_none()
                && block.self_ty.to_token_stream().to_string() == quote!(#name).to_string()
                && block.items.iter().any(|member| {
                    matches!(member, syn::ImplItem::Fn(function) if function.sig.ident == *method)
                })
        }
        _ => false,
    }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_optional_vec_field_gets_a_slice_accessor() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct ConfirmOrderData {
                    ///List of confirmed order objects.
                    pub confirmed_orders: ::std::option::Option<::std::vec::Vec<ConfirmedOrder>>,
                    pub message: ::std::option::Option<::std::string::String>,
                    pub tags: ::std::vec::Vec<::std::string::String>,
                }
                impl ConfirmOrderData {
                    pub fn builder() -> builder::ConfirmOrderData {
                        Default::default()
                    }
                }
                pub struct Unit;
            }
        };
        assert_eq!(add_accessors(&mut file), Ok(1));
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains("pub fn confirmed_orders(&self) -> &[ConfirmedOrder] {\n            self.confirmed_orders.as_deref().unwrap_or_default()"),
            "{code}"
        );
        assert!(
            code.contains("absent or `null`. List of confirmed order objects."),
            "{code}"
        );
        assert!(!code.contains("fn message"), "{code}");
        assert!(!code.contains("fn tags"), "{code}");
    }

    #[test]
    fn a_field_named_like_an_existing_method_is_refused() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Odd {
                    pub builder: ::std::option::Option<::std::vec::Vec<u8>>,
                }
                impl Odd {
                    pub fn builder() -> builder::Odd {
                        Default::default()
                    }
                }
            }
        };
        assert_eq!(add_accessors(&mut file), Err("Odd::builder".to_owned()));
    }
}
