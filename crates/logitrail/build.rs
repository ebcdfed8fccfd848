//! Generates the client from `openapi.json`, the copy of `specs/<provider>.yaml` that
//! `cargo xtask codegen` writes (a build needs no YAML parser). In the workspace the YAML is
//! watched too, and a copy it no longer matches stops the build. Re-runs only when they change.
fn main() {
    ordergate_codegen::build_script("openapi.json");
}
