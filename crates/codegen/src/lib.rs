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
/// --check`, in CI, refuses a stale copy). For the same reason the house rules are warnings
/// for a stale copy (a new rule would otherwise stop the build that rewrites it). On any error it prints the problems (file, path,
/// operation) and exits with status 1 instead of panicking.
pub fn build_script(spec_path: &str) {
    println!("cargo:rerun-if-changed={spec_path}");
    println!("cargo:rerun-if-changed=build.rs");
    let built = std::env::var_os("OUT_DIR")
        .ok_or(CodegenError::MissingOutDir)
        .and_then(|out_dir| build_into(Path::new(&out_dir), Path::new(spec_path)));
    if let Err(error) = built {
        eprintln!("error: ordergate-codegen could not generate a client from {spec_path}:");
        eprintln!("{error}");
        std::process::exit(1);
    }
}

/// Generates `out_dir/client.rs` and `out_dir/mock.rs` from the spec at `spec_path`.
fn build_into(out_dir: &Path, spec_path: &Path) -> Result<(), CodegenError> {
    let text = std::fs::read_to_string(spec_path).map_err(|source| CodegenError::Io {
        path: spec_path.to_path_buf(),
        source,
    })?;
    let (spec, copy_of) = Spec::parse_copy(spec_path, &text)?;
    let stale = copy_of
        .as_ref()
        .is_some_and(|record| copy_is_stale(spec_path, record));
    let generated = if stale {
        // A stale copy was written by an earlier `cargo xtask codegen`, perhaps under rules
        // that have changed since: what the current rules say of it is a warning, so that the
        // xtask which rewrites the copies still builds. `codegen --check` checks the rewrite.
        if let Err(CodegenError::Rules(violations)) = check(&spec) {
            for violation in violations {
                println!(
                    "cargo:warning={} (not checked: the copy is stale)",
                    violation.to_string().replace('\n', " ")
                );
            }
        }
        generate::generate_unchecked(&spec)?
    } else {
        generate(&spec)?
    };
    write(&out_dir.join("client.rs"), &generated.client)?;
    write(&out_dir.join("mock.rs"), &generated.mock)?;
    Ok(())
}

/// If the YAML source a JSON copy's `record` ([`COPY_KEY`]) names exists (in the workspace),
/// watches that YAML too and warns of a copy made from another version of it (see
/// [`build_script`]); says whether it was. A missing source (a published package) is not
/// watched: cargo would re-run the script on every build.
fn copy_is_stale(copy: &Path, record: &serde_json::Value) -> bool {
    let Some((source, recorded)) = spec::recorded_source_of(record) else {
        return false;
    };
    let source = copy.parent().unwrap_or(Path::new("")).join(source);
    let Ok(yaml) = std::fs::read(&source) else {
        return false;
    };
    println!("cargo:rerun-if-changed={}", source.display());
    if spec::fnv1a64_hex(&yaml) == recorded {
        return false;
    }
    let stale = CodegenError::StaleCopy {
        copy: copy.to_path_buf(),
        spec: source,
    };
    println!("cargo:warning={stale} (this build uses the copy)");
    true
}

fn write(path: &Path, contents: &str) -> Result<(), CodegenError> {
    std::fs::write(path, contents).map_err(|source| CodegenError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"openapi: 3.0.3
info: {title: t, version: "1"}
servers:
  - url: https://example.test
    x-ordergate-environment: production
paths:
  /status:
    get:
      operationId: get_status
      description: The status.
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Holder'}}}}
components:
  schemas:
    Holder:
      type: object
      description: Holds.
      properties:
        status: {$ref: '#/components/schemas/Status'}
    Status: {type: string, description: A status., enum: [a, b]}
"#;

    /// A copy that the current rules refuse (a mark beside a `$ref`, as copies written before
    /// that rule had) stops the build while it is current, and is only warned of once it is
    /// stale, so that the xtask that rewrites it still builds.
    #[test]
    fn a_stale_copy_is_built_despite_the_rules_and_a_current_one_is_not() {
        let root = std::env::temp_dir().join(format!(
            "ordergate-codegen-copy-{}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
        ));
        let (specs, crate_dir, out) = (root.join("specs"), root.join("crates/t"), root.join("out"));
        for dir in [&specs, &crate_dir, &out] {
            std::fs::create_dir_all(dir).expect("temporary directories");
        }
        std::fs::write(specs.join("t.yaml"), SPEC).expect("spec written");
        let spec = Spec::parse(Path::new("specs/t.yaml"), SPEC)
            .expect("parses")
            .with_sources();
        let copy = spec
            .json_copy("../../specs/t.yaml", SPEC.as_bytes())
            .expect("copy");
        let mut copy: serde_json::Value = serde_json::from_str(&copy).expect("JSON");
        copy["components"]["schemas"]["Holder"]["properties"]["status"]["x-ordergate-inferred"] =
            "Beside a reference.".into();
        let copy_path = crate_dir.join("openapi.json");
        std::fs::write(&copy_path, copy.to_string()).expect("copy written");

        match build_into(&out, &copy_path) {
            Err(CodegenError::Rules(found)) => {
                assert!(
                    found[0].to_string().contains("beside a `$ref`"),
                    "{found:?}"
                );
            }
            other => panic!("a current copy that breaks a rule must fail, got {other:?}"),
        }
        assert!(!out.join("client.rs").exists());

        std::fs::write(specs.join("t.yaml"), format!("{SPEC}# edited\n")).expect("spec edited");
        build_into(&out, &copy_path).expect("a stale copy still builds");
        let client = std::fs::read_to_string(out.join("client.rs")).expect("client written");
        assert!(client.contains("get_status"), "{client}");
        let _ = std::fs::remove_dir_all(&root);
    }
}
