//! Every README, read as a newcomer reads it: each Rust snippet is a complete program with no
//! hidden lines whose crates a `cargo add` line of that README names; each runnable example
//! is listed with the command that runs it (and a provider crate's first snippet is its
//! example, word for word); every link resolves, from the repository and from the published
//! package.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Every hand-written or generated README of the repository, relative to the root: the root
/// one, `specs/README.md` and each crate's.
fn readmes() -> Vec<PathBuf> {
    let root = root();
    let mut found = vec![PathBuf::from("README.md"), PathBuf::from("specs/README.md")];
    let mut crates: Vec<PathBuf> = fs::read_dir(root.join("crates"))
        .expect("crates/ is readable")
        .filter_map(|entry| entry.ok())
        .map(|entry| {
            PathBuf::from("crates")
                .join(entry.file_name())
                .join("README.md")
        })
        .filter(|readme| root.join(readme).is_file())
        .collect();
    crates.sort();
    found.extend(crates);
    found.retain(|readme| root.join(readme).is_file());
    assert!(found.len() >= 10, "{found:?}");
    found
}

fn read(relative: &Path) -> String {
    fs::read_to_string(root().join(relative))
        .unwrap_or_else(|error| panic!("{}: {error}", relative.display()))
}

// ---------------------------------------------------------------------------------------------
// Code blocks

/// A fenced code block: its info string, its first line's number (1-based) and its lines.
#[derive(Debug)]
struct Block {
    info: String,
    line: usize,
    lines: Vec<String>,
}

impl Block {
    /// Whether rustdoc compiles it as Rust: no info string, `rust`, or only rustdoc's
    /// attributes (`no_run`, `ignore`, ...).
    fn is_rust(&self) -> bool {
        const ATTRIBUTES: [&str; 6] = [
            "no_run",
            "ignore",
            "should_panic",
            "compile_fail",
            "test_harness",
            "edition2024",
        ];
        let first = self.info.split(',').next().unwrap_or("").trim();
        first.is_empty() || first == "rust" || ATTRIBUTES.contains(&first)
    }

    fn is_shell(&self) -> bool {
        matches!(self.info.trim(), "sh" | "bash" | "shell" | "console")
    }

    fn text(&self) -> String {
        let mut text = self.lines.join("\n");
        text.push('\n');
        text
    }
}

/// The fenced code blocks of a Markdown text (backtick fences; none nest).
fn blocks(markdown: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<Block> = None;
    for (index, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        match open.take() {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    open = Some(Block {
                        info: info.trim().to_owned(),
                        line: index + 1,
                        lines: Vec::new(),
                    });
                }
            }
            Some(mut block) => {
                if trimmed.starts_with("```") {
                    found.push(block);
                } else {
                    block.lines.push(line.to_owned());
                    open = Some(block);
                }
            }
        }
    }
    assert!(open.is_none(), "an unclosed code fence");
    found
}

/// The Rust snippets of a README.
fn rust_snippets(markdown: &str) -> Vec<Block> {
    blocks(markdown)
        .into_iter()
        .filter(Block::is_rust)
        .collect()
}

/// The lines of a snippet that rustdoc hides: `#` alone or `# ` and more (after indentation).
fn hidden_lines(snippet: &Block) -> Vec<usize> {
    snippet
        .lines
        .iter()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim_start();
            line == "#" || line.starts_with("# ")
        })
        .map(|(index, _)| snippet.line + 1 + index)
        .collect()
}

/// The crates the `cargo add` lines of a README's shell blocks add, by library name
/// (`ordergate_fuuffy`), each with the features the line enables.
fn cargo_added(markdown: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut added: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for block in blocks(markdown).iter().filter(|block| block.is_shell()) {
        for line in &block.lines {
            let line = line.split('#').next().unwrap_or("");
            let Some(arguments) = line.trim().strip_prefix("cargo add ") else {
                continue;
            };
            let mut names = Vec::new();
            let mut features = BTreeSet::new();
            let mut words = arguments.split_whitespace();
            while let Some(word) = words.next() {
                match word {
                    "--features" | "-F" => {
                        let list = words.next().unwrap_or("");
                        features.extend(
                            list.split([',', ' '])
                                .filter(|feature| !feature.is_empty())
                                .map(str::to_owned),
                        );
                    }
                    "--rename" | "--path" | "--git" | "--branch" | "--tag" | "--rev"
                    | "--registry" | "--package" | "-p" | "--target" => {
                        words.next();
                    }
                    flag if flag.starts_with('-') => {}
                    name => names.push(name.split('@').next().unwrap_or(name).replace('-', "_")),
                }
            }
            for name in names {
                added
                    .entry(name)
                    .or_default()
                    .extend(features.iter().cloned());
            }
        }
    }
    added
}

/// `code` without comments, string and character literals (replaced by a space), so that
/// what looks like a path inside them is not read as one.
fn code_only(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
            out.push(' ');
            continue;
        }
        // Raw strings: r"..", r#".."#, br#".."#.
        let raw_start = if c == 'r' {
            Some(i + 1)
        } else if c == 'b' && next == Some('r') {
            Some(i + 2)
        } else {
            None
        };
        let previous_is_ident = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if let Some(start) = raw_start.filter(|_| !previous_is_ident) {
            let mut j = start;
            while chars.get(j) == Some(&'#') {
                j += 1;
            }
            if chars.get(j) == Some(&'"') {
                let hashes = j - start;
                j += 1;
                while j < chars.len() {
                    if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                i = j;
                out.push(' ');
                continue;
            }
        }
        if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push(' ');
            continue;
        }
        if c == '\'' {
            // A character literal ('x', '\n', '\u{e4}'), not a lifetime ('static).
            if next == Some('\\') {
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                out.push(' ');
                continue;
            }
            if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push(' ');
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The first segment of every path in `code` (`ordergate_fuuffy` of
/// `ordergate_fuuffy::types::Order`, `tokio` of `#[tokio::main]`), and the names `use`
/// brings into scope (which may start paths of their own: `types::Order`).
fn path_roots(code: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let code = code_only(code);
    let chars: Vec<char> = code.chars().collect();
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut roots = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        if is_ident(chars[i]) && (i == 0 || (!is_ident(chars[i - 1]) && chars[i - 1] != ':')) {
            let start = i;
            while i < chars.len() && is_ident(chars[i]) {
                i += 1;
            }
            let before = chars[..start].iter().rev().find(|c| !c.is_whitespace());
            let is_path = chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':');
            // Not a path's start: a method (`.get::<T>()`) or a turbofish (`f::<T>()`).
            if is_path && before != Some(&'.') && chars.get(i + 2) != Some(&'<') {
                roots.insert(chars[start..i].iter().collect::<String>());
            }
            continue;
        }
        i += 1;
    }
    // Names imported by `use` (the last segment of each path of each use tree, or its
    // `as` name) and local modules, which are not crates.
    let mut imported = BTreeSet::new();
    for statement in code.split(';') {
        let statement = statement.trim();
        let body = statement
            .strip_prefix("pub use ")
            .or_else(|| statement.strip_prefix("use "));
        if let Some(body) = body {
            for part in body.split([',', '{', '}']) {
                let part = part.trim();
                let name = part
                    .rsplit(" as ")
                    .next()
                    .unwrap_or(part)
                    .rsplit("::")
                    .next()
                    .unwrap_or("")
                    .trim();
                if !name.is_empty() && name != "self" {
                    imported.insert(name.to_owned());
                }
                if part.ends_with("::self") || part == "self" {
                    // `use a::b::{self, ...}` imports `b`.
                    if let Some(module) =
                        body.split("::{").next().and_then(|p| p.rsplit("::").next())
                    {
                        imported.insert(module.trim().to_owned());
                    }
                }
            }
        }
        if let Some(module) = statement
            .split_whitespace()
            .skip_while(|w| *w != "mod")
            .nth(1)
        {
            imported.insert(module.trim_matches(|c: char| !is_ident(c)).to_owned());
        }
    }
    (roots, imported)
}

/// The external crates a snippet names: path roots that are lower-case, neither the
/// language's own (`std`, `crate`, ...) nor imported by the snippet's `use`s.
fn external_crates(code: &str) -> BTreeSet<String> {
    const BUILT_IN: [&str; 7] = ["std", "core", "alloc", "crate", "self", "super", "Self"];
    let (roots, imported) = path_roots(code);
    roots
        .into_iter()
        .filter(|root| root.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter(|root| !BUILT_IN.contains(&root.as_str()) && !imported.contains(root))
        .collect()
}

/// The problem of a hidden line, after its place.
const HIDDEN: &str = ": a hidden line (`# ...`): a pasted snippet must be the whole program";

/// What is wrong with one README's snippets, one line each.
fn snippet_problems(name: &str, markdown: &str) -> Vec<String> {
    let added = cargo_added(markdown);
    let mut problems = Vec::new();
    for snippet in rust_snippets(markdown) {
        let at = format!("{name}:{}", snippet.line);
        for line in hidden_lines(&snippet) {
            problems.push(format!("{name}:{line}{HIDDEN}"));
        }
        let code = code_only(&snippet.text());
        if !code.contains("fn main(") {
            problems.push(format!("{at}: no `fn main`: not a complete program"));
        }
        for krate in external_crates(&snippet.text()) {
            if !added.contains_key(&krate) {
                problems.push(format!(
                    "{at}: uses the crate `{krate}`, which no `cargo add` line of this README names"
                ));
            }
        }
        let runtime = if code.contains("#[tokio::main]") {
            Some("rt-multi-thread")
        } else if code.contains("#[tokio::main(flavor = \"current_thread\")]") {
            Some("rt")
        } else {
            None
        };
        if let Some(runtime) = runtime {
            let features = added.get("tokio").cloned().unwrap_or_default();
            for needed in ["macros", runtime] {
                if !features.contains(needed) && !features.contains("full") {
                    problems.push(format!(
                        "{at}: `#[tokio::main]` needs tokio's `{needed}` feature in the `cargo add tokio` line"
                    ));
                }
            }
        }
    }
    problems
}

#[test]
fn every_readme_snippet_is_a_whole_program_whose_crates_are_added() {
    let mut problems = Vec::new();
    let mut count = 0;
    for readme in readmes() {
        let markdown = read(&readme);
        count += rust_snippets(&markdown).len();
        problems.extend(snippet_problems(&readme.display().to_string(), &markdown));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    println!("{count} Rust snippets checked");
    assert!(count >= 15, "only {count} Rust snippets found");
}

/// The version requirement of each `[workspace.dependencies]` entry of the root manifest
/// (`httpmock` → `0.8.3`), the versions the snippets are built and tested with.
fn workspace_versions(manifest: &str) -> BTreeMap<String, String> {
    let mut versions = BTreeMap::new();
    let mut in_table = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_table = line == "[workspace.dependencies]";
            continue;
        }
        let Some((name, value)) = line.split_once(" = ").filter(|_| in_table) else {
            continue;
        };
        let value = value.trim();
        let version = match value.strip_prefix('{') {
            Some(table) => table
                .split_once("version = \"")
                .and_then(|(_, rest)| rest.split('"').next()),
            None => value
                .strip_prefix('"')
                .and_then(|rest| rest.split('"').next()),
        };
        if let Some(version) = version {
            versions.insert(name.to_owned(), version.to_owned());
        }
    }
    versions
}

/// The third-party crates of a README's `cargo add` lines whose version a paste would get
/// wrong: a pre-1.0 crate (where `0.8` → `0.9` breaks) that names no version, or another
/// than the workspace builds with, and a crate the workspace does not build with at all.
/// (`cargo add httpmock` takes the newest release, whose `MockServer` the `mock` helpers,
/// written for the workspace's `httpmock`, do not extend.)
fn version_problems(
    name: &str,
    markdown: &str,
    versions: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for block in blocks(markdown).iter().filter(|block| block.is_shell()) {
        for (index, line) in block.lines.iter().enumerate() {
            let line = line.split('#').next().unwrap_or("");
            let Some(arguments) = line.trim().strip_prefix("cargo add ") else {
                continue;
            };
            let at = format!("{name}:{}", block.line + 1 + index);
            let mut words = arguments.split_whitespace();
            while let Some(word) = words.next() {
                if matches!(
                    word,
                    "--features" | "-F" | "--rename" | "--path" | "--package" | "-p"
                ) {
                    words.next();
                    continue;
                }
                if word.starts_with('-') || word.starts_with("ordergate") {
                    continue;
                }
                let (krate, named) = match word.split_once('@') {
                    Some((krate, version)) => (krate, Some(version)),
                    None => (word, None),
                };
                let Some(built) = versions.get(krate) else {
                    problems.push(format!(
                        "{at}: `{krate}` is not a workspace dependency: no test builds the snippet with the version a paste gets"
                    ));
                    continue;
                };
                let Some(minor) = built
                    .strip_prefix("0.")
                    .map(|rest| format!("0.{}", rest.split('.').next().unwrap_or("")))
                else {
                    continue;
                };
                if named != Some(minor.as_str()) {
                    problems.push(format!(
                        "{at}: `{word}`: the workspace builds with {krate} {built}, a pre-1.0 version: write `{krate}@{minor}`"
                    ));
                }
            }
        }
    }
    problems
}

#[test]
fn every_cargo_add_line_gets_the_versions_the_snippets_are_tested_with() {
    let versions = workspace_versions(&read(Path::new("Cargo.toml")));
    assert_eq!(versions.get("httpmock").map(String::as_str), Some("0.8.3"));
    assert_eq!(versions.get("tokio").map(String::as_str), Some("1"));
    let mut problems = Vec::new();
    for readme in readmes() {
        problems.extend(version_problems(
            &readme.display().to_string(),
            &read(&readme),
            &versions,
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // What a paste breaks on: the newest httpmock, an unpinned 0.x crate, a crate no test builds.
    let versions = BTreeMap::from([
        ("httpmock".to_owned(), "0.8.3".to_owned()),
        ("tokio".to_owned(), "1".to_owned()),
    ]);
    let markdown = "```sh\ncargo add ordergate-fuuffy --features mock\ncargo add httpmock tokio --features macros\ncargo add httpmock@0.9 leftpad\n```\n";
    assert_eq!(
        version_problems("V.md", markdown, &versions),
        [
            "V.md:3: `httpmock`: the workspace builds with httpmock 0.8.3, a pre-1.0 version: write `httpmock@0.8`",
            "V.md:4: `httpmock@0.9`: the workspace builds with httpmock 0.8.3, a pre-1.0 version: write `httpmock@0.8`",
            "V.md:4: `leftpad` is not a workspace dependency: no test builds the snippet with the version a paste gets",
        ]
    );
    let fixed = "```sh\ncargo add httpmock@0.8 tokio --features macros\n```\n";
    assert_eq!(
        version_problems("V.md", fixed, &versions),
        Vec::<String>::new()
    );
}

#[test]
fn the_snippet_check_fails_on_what_a_paste_breaks_on() {
    let hidden = "```sh\ncargo add ordergate-fuuffy\n```\n\n```rust,no_run\nuse ordergate_fuuffy::Client;\n\n# async fn run() {\nlet _ = 1;\n#\n# }\nfn main() {}\n```\n";
    let problems = snippet_problems("HIDDEN.md", hidden);
    let lines: Vec<&str> = problems
        .iter()
        .filter_map(|problem| problem.strip_suffix(HIDDEN))
        .collect();
    assert_eq!(
        lines,
        ["HIDDEN.md:8", "HIDDEN.md:10", "HIDDEN.md:11"],
        "{problems:?}"
    );

    let no_main = "```rust\nlet x = 1;\n```\n";
    assert_eq!(
        snippet_problems("M.md", no_main),
        ["M.md:1: no `fn main`: not a complete program"]
    );

    // `http` and `futures_util` used, only the crate itself added; tokio without its features.
    let unnamed = "```sh\ncargo add ordergate-fuuffy tokio\n```\n```rust\nuse ordergate_fuuffy::webhook;\nuse futures_util::StreamExt as _;\n#[tokio::main]\nasync fn main() { let h = http::HeaderMap::new(); let s = \"serde_json::x\"; webhook::x(); }\n```\n";
    let problems = snippet_problems("U.md", unnamed);
    assert_eq!(
        problems,
        [
            "U.md:4: uses the crate `futures_util`, which no `cargo add` line of this README names",
            "U.md:4: uses the crate `http`, which no `cargo add` line of this README names",
            "U.md:4: `#[tokio::main]` needs tokio's `macros` feature in the `cargo add tokio` line",
            "U.md:4: `#[tokio::main]` needs tokio's `rt-multi-thread` feature in the `cargo add tokio` line",
        ]
    );
    let fixed = unnamed.replace(
        "cargo add ordergate-fuuffy tokio",
        "cargo add ordergate-fuuffy http futures-util\ncargo add tokio --features macros,rt-multi-thread",
    );
    assert_eq!(snippet_problems("U.md", &fixed), Vec::<String>::new());
}

#[test]
fn the_literal_stripper_keeps_code_and_drops_strings_and_comments() {
    let code = "let a = r#\"x::y\"#; // z::w\nlet b = 'c'; let l: &'static str = \"q::r\"; m::n(); x.get::<T>(); f::<U>();";
    let (roots, _) = path_roots(code);
    assert_eq!(roots, BTreeSet::from(["m".to_owned()]));
    let (_, imported) = path_roots("use a::b::{self, C as D};\nuse e::f;");
    assert!(
        ["b", "D", "f"].iter().all(|name| imported.contains(*name)),
        "{imported:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Runnable examples

/// The provider crates and the facade, each with its directory, package and README-first
/// example.
const FIRST_EXAMPLES: [(&str, &str, &str); 5] = [
    ("crates/ordergate", "ordergate", "create_and_confirm"),
    ("crates/fuuffy", "ordergate-fuuffy", "fuuffy_create_confirm"),
    (
        "crates/logitrail",
        "ordergate-logitrail",
        "logitrail_create_confirm",
    ),
    ("crates/onemg", "ordergate-onemg", "onemg_create_confirm"),
    (
        "crates/fastpod",
        "ordergate-fastpod",
        "fastpod_create_submit",
    ),
];

/// An example's source without its leading `//!` header and the blank line after it.
fn without_header(source: &str) -> String {
    let body: Vec<&str> = source
        .lines()
        .skip_while(|line| line.starts_with("//!"))
        .skip_while(|line| line.trim().is_empty())
        .collect();
    let mut body = body.join("\n");
    body.push('\n');
    body
}

#[test]
fn each_provider_and_facade_readme_starts_with_its_example_word_for_word() {
    for (dir, package, example) in FIRST_EXAMPLES {
        let readme = read(&Path::new(dir).join("README.md"));
        let source = read(
            &Path::new(dir)
                .join("examples")
                .join(format!("{example}.rs")),
        );
        let first = rust_snippets(&readme)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{dir}/README.md has no Rust snippet"));
        assert_eq!(
            first.text(),
            without_header(&source),
            "{dir}/README.md's first snippet is not examples/{example}.rs"
        );
        let sandbox_at = readme.find("sandbox").unwrap_or(usize::MAX);
        let first_code_at = readme.find("```rust").unwrap_or(0);
        assert!(
            sandbox_at < first_code_at,
            "{dir}/README.md: the sandbox comes after the first snippet"
        );
        assert!(
            readme.contains(&format!("cargo run -p {package} --example {example}")),
            "{dir}/README.md does not say how to run {example}"
        );
    }
}

#[test]
fn every_example_is_listed_in_its_crates_readme_with_its_command() {
    let root = root();
    let mut listed = 0;
    for entry in fs::read_dir(root.join("crates")).expect("crates/") {
        let dir = entry.expect("an entry").path();
        let Ok(examples) = fs::read_dir(dir.join("examples")) else {
            continue;
        };
        let manifest = fs::read_to_string(dir.join("Cargo.toml")).expect("a manifest");
        let package = manifest
            .lines()
            .find_map(|line| line.strip_prefix("name = "))
            .expect("a package name")
            .trim_matches('"')
            .to_owned();
        let readme = fs::read_to_string(dir.join("README.md")).expect("a README");
        for example in examples {
            let path = example.expect("an example").path();
            if path.extension().is_some_and(|ext| ext == "rs") {
                let name = path
                    .file_stem()
                    .expect("a name")
                    .to_string_lossy()
                    .into_owned();
                let command = format!("cargo run -p {package} --example {name}");
                assert!(
                    readme.contains(&command),
                    "{}: the README does not show `{command}`",
                    dir.display()
                );
                listed += 1;
            }
        }
    }
    assert!(listed >= 5, "{listed} examples");
}

// ---------------------------------------------------------------------------------------------
// Links

/// Where a README's links may point in a published package: the crate's directory and, with
/// an `include` list, only what it includes.
struct Package {
    dir: PathBuf,
    include: Option<Vec<String>>,
}

impl Package {
    /// The package of `readme`, a crate README (`crates/<c>/README.md`); `None` for the
    /// root and `specs/` READMEs, which are not published.
    fn of(readme: &Path) -> Option<Self> {
        let dir = readme.parent()?.to_path_buf();
        let manifest = fs::read_to_string(root().join(&dir).join("Cargo.toml")).ok()?;
        let include = manifest
            .lines()
            .find_map(|line| line.strip_prefix("include = "))
            .map(|list| {
                list.trim_matches(['[', ']'])
                    .split(',')
                    .map(|entry| entry.trim().trim_matches('"').to_owned())
                    .filter(|entry| !entry.is_empty())
                    .collect()
            });
        Some(Self { dir, include })
    }

    /// Whether `path` (relative to the root) is in the package.
    fn contains(&self, path: &Path) -> bool {
        let Ok(inside) = path.strip_prefix(&self.dir) else {
            return false;
        };
        let inside = inside.to_string_lossy().replace('\\', "/");
        match &self.include {
            None => !inside.starts_with("target"),
            Some(include) => include.iter().any(|entry| match entry.strip_suffix("/**") {
                Some(dir) => inside == dir || inside.starts_with(&format!("{dir}/")),
                None => inside == *entry,
            }),
        }
    }
}

/// The link targets of a Markdown text outside code (`[text](target)`, `[label]: target`,
/// `<https://...>`), each with its line number.
fn links(markdown: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut in_fence = false;
    for (index, line) in markdown.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        // Inline code is not a link.
        let mut text = String::new();
        for (n, part) in line.split('`').enumerate() {
            if n % 2 == 0 {
                text.push_str(part);
            } else {
                text.push_str("code");
            }
        }
        let trimmed = text.trim_start();
        if trimmed.starts_with('[')
            && let Some((label, target)) = trimmed.split_once("]: ")
            && !label.contains(']')
        {
            found.push((index + 1, target.trim().to_owned()));
            continue;
        }
        let mut rest = text.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            found.push((index + 1, after[..end].trim().to_owned()));
            rest = &after[end..];
        }
        let mut rest = text.as_str();
        while let Some(at) = rest.find("<https://") {
            let after = &rest[at + 1..];
            let Some(end) = after.find('>') else { break };
            found.push((index + 1, after[..end].to_owned()));
            rest = &after[end..];
        }
    }
    found
}

/// GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown file's headings (outside code blocks).
fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence && line.starts_with('#') {
            found.insert(anchor(line.trim_start_matches('#')));
        }
    }
    found
}

const REPOSITORY: &str = "https://github.com/ordergate/ordergate";

/// What is wrong with one link of `readme` (relative to the root), if anything.
fn link_problem(readme: &Path, target: &str) -> Option<String> {
    let root = root();
    let check_anchor = |file: &Path, fragment: &str| -> Option<String> {
        if fragment.is_empty() || file.extension().is_none_or(|ext| ext != "md") {
            return None;
        }
        let markdown = fs::read_to_string(root.join(file)).ok()?;
        (!anchors(&markdown).contains(fragment))
            .then(|| format!("no heading `#{fragment}` in {}", file.display()))
    };
    if let Some(fragment) = target.strip_prefix('#') {
        return check_anchor(readme, fragment);
    }
    if let Some(rest) = target.strip_prefix(REPOSITORY) {
        if rest.is_empty() || rest == "/" {
            return None;
        }
        let path = ["/blob/main/", "/tree/main/"]
            .iter()
            .find_map(|prefix| rest.strip_prefix(prefix));
        let Some(path) = path else {
            return Some(format!(
                "{target}: a repository link must be {REPOSITORY}/blob/main/<path> or /tree/main/<path>"
            ));
        };
        let (path, fragment) = path.split_once('#').unwrap_or((path, ""));
        let file = PathBuf::from(path);
        if !root.join(&file).exists() {
            return Some(format!("{target}: no {path} in the repository"));
        }
        return check_anchor(&file, fragment);
    }
    if target.contains("://") || target.starts_with("mailto:") {
        return match reqwest::Url::parse(target) {
            Ok(url)
                if url.scheme() == "https" && url.host_str().is_some_and(|h| h.contains('.')) =>
            {
                None
            }
            Ok(_) => Some(format!("{target}: not an https URL")),
            Err(error) => Some(format!("{target}: not a URL ({error})")),
        };
    }
    // Relative to the README's directory.
    let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
    let dir = readme.parent().unwrap_or(Path::new(""));
    let mut resolved = PathBuf::new();
    for component in dir.join(path).components() {
        match component {
            std::path::Component::ParentDir => {
                if !resolved.pop() {
                    return Some(format!("{target}: leaves the repository"));
                }
            }
            std::path::Component::CurDir => {}
            other => resolved.push(other),
        }
    }
    if !root.join(&resolved).exists() {
        return Some(format!(
            "{target}: no such file ({}); a Rust item? Use a shortcut link [`Item`]",
            resolved.display()
        ));
    }
    if let Some(package) = Package::of(readme)
        && !package.contains(&resolved)
    {
        return Some(format!(
            "{target}: {} is not in the published package of {}: crates.io renders the README \
             relative to the package; link {REPOSITORY}/blob/main/{} instead",
            resolved.display(),
            package.dir.display(),
            resolved.display()
        ));
    }
    check_anchor(&resolved, fragment)
}

#[test]
fn every_readme_link_resolves_from_the_repository_and_the_package() {
    let mut problems = Vec::new();
    let mut count = 0;
    for readme in readmes() {
        let markdown = read(&readme);
        for (line, target) in links(&markdown) {
            count += 1;
            if let Some(problem) = link_problem(&readme, &target) {
                problems.push(format!("{}:{line}: {problem}", readme.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    println!("{count} links checked");
    assert!(count >= 100, "only {count} links found");
}

#[test]
fn the_link_check_refuses_what_would_not_resolve() {
    let fuuffy = Path::new("crates/fuuffy/README.md");
    let root_readme = Path::new("README.md");
    // Fine.
    for (readme, target) in [
        (root_readme, "crates/fuuffy"),
        (root_readme, "specs/README.md"),
        (root_readme, "#commands"),
        (fuuffy, "#webhooks"),
        (fuuffy, "openapi.json"),
        (
            fuuffy,
            "https://github.com/ordergate/ordergate/blob/main/specs/fuuffy.yaml",
        ),
        (
            fuuffy,
            "https://github.com/ordergate/ordergate/tree/main/crates/fuuffy",
        ),
        (fuuffy, "https://api-docs.fuuffy.com/api/orders/confirm"),
    ] {
        assert_eq!(link_problem(readme, target), None, "{target}");
    }
    // Refused.
    for (readme, target, expected) in [
        (
            root_readme,
            "#no-such-heading",
            "no heading `#no-such-heading`",
        ),
        (root_readme, "crates/nope/README.md", "no such file"),
        (fuuffy, "start_on", "no such file"),
        (
            fuuffy,
            "../../specs/README.md",
            "not in the published package",
        ),
        (fuuffy, "build.rs.orig", "no such file"),
        (
            fuuffy,
            "https://github.com/ordergate/ordergate/blob/main/nope.md",
            "no nope.md",
        ),
        (
            fuuffy,
            "https://github.com/ordergate/ordergate/issues",
            "must be",
        ),
        (fuuffy, "http://api-docs.fuuffy.com/", "not an https URL"),
        (fuuffy, "https://", "not a URL"),
    ] {
        let problem = link_problem(readme, target).unwrap_or_default();
        assert!(problem.contains(expected), "{target}: {problem:?}");
    }
    assert_eq!(anchor("Using a provider crate"), "using-a-provider-crate");
    assert_eq!(
        anchor(" `ordergate sandbox`: the fakes"),
        "ordergate-sandbox-the-fakes"
    );
    assert_eq!(
        links("see [a](b.md) and `[c](d)`, <https://e.example/f>\n[g]: h.md\n```\n[i](j)\n```\n"),
        [
            (1, "b.md".to_owned()),
            (1, "https://e.example/f".to_owned()),
            (2, "h.md".to_owned())
        ]
    );
}
