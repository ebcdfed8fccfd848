//! Generates the client from `openapi.yaml` (a link to `specs/` in the workspace; a copy in
//! the published package). Re-runs only when that spec changes.
fn main() {
    ordergate_codegen::build_script("openapi.yaml");
}
