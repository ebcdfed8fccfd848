//! `ordergate-codegen`: the one place that knows progenitor.
//!
//! Every provider crate's `build.rs` and `cargo xtask codegen` call into this crate, so what the
//! xtask validates is exactly what builds:
//!
//! 1. [`Spec::load`] reads an OpenAPI 3.0 file: the YAML spec (feature `yaml`), or the JSON
//!    copy of it that `cargo xtask codegen` writes for a build script ([`Spec::json_copy`]).
//! 2. [`check`] enforces the house rules (see `specs/README.md`) that keep progenitor 0.15 from
//!    panicking, and reports each violation with the file, path and operation it concerns.
//! 3. [`generate`] runs progenitor with the house settings and adds what progenitor lacks:
//!    forward-compatible enums, one description per operation (`operations::*`: idempotent,
//!    paging, inferred, request bounds) and the provider's `CONVENTIONS`, the transport hooks, the base-URL constants taken from the spec's `servers`, a doc on
//!    every type (a shape the spec marks `x-ordergate-inferred` says so in its doc), slice
//!    accessors for optional lists, and edits to progenitor's output (simple
//!    patterns checked without a regex engine, progenitor's `api-version` header never
//!    built, ...), each counted so that a progenitor upgrade
//!    that changes what they match fails generation loudly.
//! 4. [`api_summary`] renders the generated public API as Markdown, checked in beside each crate
//!    so that a spec change shows up as an API diff in review.
//!
//! A `build.rs` only needs [`build_script`].

mod codes;
mod docs;
mod drift;
mod error;
#[cfg(feature = "validate")]
pub mod examples;
mod generate;
mod inferred;
mod lists;
mod members;
mod open_enum;
mod operations;
mod rewrite;
mod rules;
mod sources;
mod spec;
mod summary;

pub use error::{CodegenError, Violation};
pub use generate::{Generated, generate};
pub use rules::check;
pub use spec::{COPY_KEY, HTTP_METHODS, Spec};
pub use summary::api_summary;

/// The README's snippets, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

use std::path::Path;

/// Entry point for a provider crate's `build.rs`.
///
/// Reads the spec at `spec_path` (relative to the crate's manifest directory; the JSON copy
/// `openapi.json`, so that no YAML parser is built), checks it, generates the client into
/// `$OUT_DIR/client.rs` and the typed httpmock helpers into `$OUT_DIR/mock.rs`. Cargo re-runs
/// the script only when that spec changes, or, when the YAML spec the copy was made from is at
/// hand (in the workspace, not in a published package), when that YAML changes. A copy that no
/// longer matches its YAML is a warning ([`CodegenError::StaleCopy`]: run `cargo xtask
/// codegen`), not an error: `cargo xtask codegen`, which rewrites the copies, is itself built
/// on the provider crates, so it must build after a spec was edited (and `cargo xtask codegen
/// --check`, in CI, refuses a stale copy). On any error it prints the problems (file, path,
/// operation) and exits with status 1 instead of panicking.
pub fn build_script(spec_path: &str) {
    println!("cargo:rerun-if-changed={spec_path}");
    println!("cargo:rerun-if-changed=build.rs");
    if let Err(error) = build_into_out_dir(Path::new(spec_path)) {
        eprintln!("error: ordergate-codegen could not generate a client from {spec_path}:");
        eprintln!("{error}");
        std::process::exit(1);
    }
}

fn build_into_out_dir(spec_path: &Path) -> Result<(), CodegenError> {
    let out_dir = std::env::var_os("OUT_DIR").ok_or(CodegenError::MissingOutDir)?;
    let text = std::fs::read_to_string(spec_path).map_err(|source| CodegenError::Io {
        path: spec_path.to_path_buf(),
        source,
    })?;
    check_copy_is_current(spec_path, &text);
    let spec = Spec::parse(spec_path, &text)?;
    let generated = generate(&spec)?;
    let out_dir = Path::new(&out_dir);
    write(&out_dir.join("client.rs"), &generated.client)?;
    write(&out_dir.join("mock.rs"), &generated.mock)?;
    Ok(())
}

/// If `text` is a JSON copy whose YAML source exists (in the workspace), watches that YAML too
/// and warns of a copy made from another version of it (see [`build_script`]). A missing
/// source (a published package) is not watched: cargo would re-run the script on every build.
fn check_copy_is_current(copy: &Path, text: &str) {
    let Some((source, recorded)) = spec::recorded_source(text) else {
        return;
    };
    let source = copy.parent().unwrap_or(Path::new("")).join(source);
    let Ok(yaml) = std::fs::read(&source) else {
        return;
    };
    println!("cargo:rerun-if-changed={}", source.display());
    if spec::fnv1a64_hex(&yaml) != recorded {
        let stale = CodegenError::StaleCopy {
            copy: copy.to_path_buf(),
            spec: source,
        };
        println!("cargo:warning={stale} (this build uses the copy)");
    }
}

fn write(path: &Path, contents: &str) -> Result<(), CodegenError> {
    std::fs::write(path, contents).map_err(|source| CodegenError::Io {
        path: path.to_path_buf(),
        source,
    })
}
