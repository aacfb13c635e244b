//! The shape of `src/`: its modules import each other without a cycle (issue 17), so
//! each can be read, tested and changed after the ones it uses.
//!
//! The graph is read from the `use crate::...` and `use super::...` lines of every
//! non-test source file (a module's `#[cfg(test)]` part is left out), at the
//! granularity of files.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, tests left out.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if path.is_dir() {
            if name != "tests" {
                sources(&path, out);
            }
        } else if name.ends_with(".rs") && name != "tests.rs" {
            out.push(path);
        }
    }
}

/// `src/sql/walk/mod.rs` is `sql::walk`, `src/lib.rs` the crate root `""`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).expect("under src").with_extension("");
    let mut parts: Vec<String> =
        relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The trees of every `use` declaration in `code` (`crate::a::{b, c}`), whatever its
/// visibility, indentation or attributes.
fn use_trees(code: &str) -> Vec<String> {
    let mut trees = Vec::new();
    let mut current: Option<String> = None;
    for line in code.lines() {
        let line = line.trim();
        if current.is_none() {
            let start = ["use ", "pub use ", "pub(crate) use ", "pub(super) use "]
                .iter()
                .find_map(|prefix| line.strip_prefix(prefix));
            current = start.map(|_| String::new());
        }
        if let Some(tree) = current.as_mut() {
            tree.push_str(line);
            tree.push(' ');
            if line.ends_with(';') {
                let text = current.take().unwrap_or_default();
                let text = text.trim().trim_end_matches(';');
                let tree = text.split_once("use ").map_or(text, |(_, t)| t);
                trees.push(tree.to_owned());
            }
        }
    }
    trees
}

/// The module paths a `use` tree names, resolved from `module` (`crate::a::{b, c::d}`).
fn used_paths(module: &[String], tree: &str) -> Vec<Vec<String>> {
    let tree: String = tree.split_whitespace().collect();
    let (mut base, mut rest) = if let Some(rest) = tree.strip_prefix("crate::") {
        (Vec::new(), rest.to_owned())
    } else if tree.starts_with("super::") {
        let mut base = module.to_vec();
        let mut rest = tree.as_str();
        while let Some(after) = rest.strip_prefix("super::") {
            base.pop();
            rest = after;
        }
        (base, rest.to_owned())
    } else {
        return Vec::new();
    };
    // Only the prefix before a brace matters for which modules are named, and each
    // item in the braces adds its own path.
    let mut paths = Vec::new();
    if let Some(open) = rest.find('{') {
        let prefix: Vec<String> =
            rest[..open].split("::").filter(|p| !p.is_empty()).map(str::to_owned).collect();
        base.extend(prefix);
        let inner = rest[open + 1..rest.rfind('}').unwrap_or(rest.len())].to_owned();
        let mut depth = 0;
        let mut item = String::new();
        for c in inner.chars().chain([',']) {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    let mut path = base.clone();
                    path.extend(
                        item.split('{')
                            .next()
                            .unwrap_or_default()
                            .split("::")
                            .filter(|p| !p.is_empty())
                            .map(str::to_owned),
                    );
                    paths.push(path);
                    item.clear();
                    continue;
                }
                _ => {}
            }
            item.push(c);
        }
    } else {
        rest = rest.trim_end_matches(';').to_owned();
        base.extend(rest.split("::").map(str::to_owned));
        paths.push(base);
    }
    paths
}

#[test]
fn the_modules_of_src_import_each_other_without_a_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeMap<Vec<String>, PathBuf> =
        files.iter().map(|f| (module_of(&src, f), f.clone())).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, file) in &modules {
        let text = std::fs::read_to_string(file).expect("source");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let deps = edges.entry(module.clone()).or_default();
        for tree in use_trees(code) {
            for path in used_paths(module, &tree) {
                // The longest prefix that is a module of its own, other than this one.
                if let Some(dep) = (1..=path.len())
                    .rev()
                    .map(|k| path[..k].to_vec())
                    .find(|p| modules.contains_key(p) && p != module)
                {
                    deps.insert(dep);
                }
            }
        }
    }
    assert!(edges.len() > 20, "only {} modules read", edges.len());
    // Depth-first search for a back edge.
    fn visit(
        node: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, bool>,
        stack: &mut Vec<Vec<String>>,
        cycles: &mut Vec<String>,
    ) {
        state.insert(node.clone(), false);
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            match state.get(next) {
                Some(false) => {
                    let start = stack.iter().position(|m| m == next).unwrap_or(0);
                    let cycle: Vec<String> =
                        stack[start..].iter().chain([next]).map(|m| m.join("::")).collect();
                    cycles.push(cycle.join(" -> "));
                }
                Some(true) => {}
                None => visit(next, edges, state, stack, cycles),
            }
        }
        stack.pop();
        state.insert(node.clone(), true);
    }
    let mut state = BTreeMap::new();
    let mut cycles = Vec::new();
    for module in edges.keys() {
        if !state.contains_key(module) {
            visit(module, &edges, &mut state, &mut Vec::new(), &mut cycles);
        }
    }
    assert!(cycles.is_empty(), "import cycles in src/: {cycles:#?}");
}
