//! The repository is self-contained: no test, bench, fuzz target, script or
//! example reads the project's reference documents beside it (`../shared`), so a
//! plain clone passes `npm test`. Only the conformance layer may name them: the
//! optional suite in tests/conformance, its gate in tests/common/mod.rs, and
//! scripts/test.mjs, which runs that suite when the folder is there.
//!
//! CI also runs the suites with `ORDERHOOK_SHARED` pointing at a missing folder
//! (.ci/run); this test catches what that cannot: a path written out by hand.

use std::path::{Path, PathBuf};

/// Folders never scanned: build output, dependencies, generated fuzz data, and
/// the conformance suite itself.
const SKIP_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    "target",
    "pkg",
    ".tools",
    "fuzz/corpus",
    "fuzz/artifacts",
    "fuzz/coverage",
    "fuzz/logs",
    "tests/conformance",
];

/// Files of the conformance layer, allowed to name the folder.
const ALLOWED: &[&str] = &["tests/common/mod.rs", "scripts/test.mjs", ".ci/run", "tests/self_contained.rs"];

/// Code and data files; prose (`.md`) may talk about the folder.
const EXTENSIONS: &[&str] = &["rs", "mjs", "js", "cjs", "ts", "sh", "toml", "json", "capnp", "html", "txt"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let root = root();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy();
            if !SKIP_DIRS.contains(&rel.as_str()) && !SKIP_DIRS.contains(&name.as_ref()) {
                files(&path, out);
            }
        } else {
            let ext = path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
            let in_ci = rel.starts_with(".ci/");
            if (EXTENSIONS.contains(&ext.as_str()) || in_ci) && !ALLOWED.contains(&rel.as_str()) {
                out.push(path);
            }
        }
    }
}

/// What a reference to the folder looks like: `../shared`, a `"shared"` path
/// segment, `shared/seeds` and the like, or the variable that moves it.
fn names_the_folder(line: &str) -> bool {
    line.contains("../shared")
        || line.contains("..\\shared")
        || line.contains("\"shared\"")
        || line.contains("'shared'")
        || ["shared/seeds", "shared/reference", "shared/providers", "shared/hooks"].iter().any(|p| line.contains(p))
        || line.contains("ORDERHOOK_SHARED")
}

#[test]
fn nothing_outside_the_conformance_layer_reads_the_reference_documents() {
    let mut all = Vec::new();
    files(&root(), &mut all);
    assert!(all.len() > 50, "the walk found too few files: {all:?}");
    let mut found = Vec::new();
    for path in all {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for (n, line) in text.lines().enumerate() {
            if names_the_folder(line) {
                let rel = path.strip_prefix(root()).unwrap().display().to_string();
                found.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "these lines depend on ../shared; read tests/fixtures or examples/samples instead \
         (or move the test into tests/conformance):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_recognises_each_way_of_naming_the_folder() {
    for line in [
        r#"let dir = root.join("../shared");"#,
        r#"path.resolve(root, "..", "shared")"#,
        r#"path.join(root, '..', 'shared', 'seeds')"#,
        "for f in $dir/shared/reference/*; do",
        "ORDERHOOK_SHARED=/elsewhere cargo test",
    ] {
        assert!(names_the_folder(line), "{line}");
    }
    for line in ["// Small helpers shared by the project scripts", "let shared = a + b;", "shared_secret"] {
        assert!(!names_the_folder(line), "{line}");
    }
}
