//! The checker and compiler: AST → [`Program`] of typed, desugared claims.
//!
//! It resolves names (parameters, bound variables, structs, definitions,
//! registered verifiers and quantifiers), checks arity and types, and
//! compiles formulas to the four primitives of SEMANTICS.md §1:
//!
//! - `P or Q` ⇒ `NOT(AND(NOT P, NOT Q))`; `exists x in Q(a): P` ⇒ `NOT(UQ(Q, a, x ⇒ NOT P))`;
//! - atomic tests `V(args)` and `witness V(args)` ⇒ `WITNESS_EXISTS(V, args)`;
//! - double negation is removed and `AND` chains are flattened;
//! - calls to non-recursive definitions are inlined; definitions that are part
//!   of a call cycle are grouped (one group per strongly connected component,
//!   found with `petgraph`), content-addressed, and called through
//!   `CALL` nodes that the runtime unfolds one level at a time.
//!
//! Every problem becomes a [`Diagnostic`]; checking continues after errors so
//! all of them are reported together.

use super::ast::{self, Expr, FieldRef, Formula, Item, Literal};
use super::diag::{Diagnostic, FileId, SourceMap};
use super::parser::{parse_file, parse_formula};
use crate::logic::claim::{Claim, Definitions, Name, Term};
use crate::logic::encode::encode_group;
use crate::logic::registry::{ParamType, Registry};
use crate::logic::value::{StructType, Type, Value};
use alloy_primitives::{Address, B256, U256};
use petgraph::graph::DiGraph;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The predicate library shipped with ogs, usable with `use "name.ogs"` from anywhere.
pub(crate) const LIBRARY: &[(&str, &str)] = &[
    ("channel.ogs", include_str!("../../predicates/channel.ogs")),
    ("plasma.ogs", include_str!("../../predicates/plasma.ogs")),
    ("rollup.ogs", include_str!("../../predicates/rollup.ogs")),
];

/// A checked definition.
#[derive(Clone, Debug)]
pub struct DefInfo {
    /// Name.
    pub name: String,
    /// Parameters and their types.
    pub params: Vec<(String, Type)>,
    /// The body compiled with parameters as `PARAM` terms.
    pub template: Claim,
    /// For definitions on a call cycle: their group id and index in the group.
    pub recursive: Option<(B256, u32)>,
    /// The definition as written.
    pub ast: ast::Def,
    /// File it was written in.
    pub file: FileId,
}

/// A group of mutually recursive definitions, content-addressed.
#[derive(Clone, Debug)]
pub struct Group {
    /// `keccak256(encoding)`.
    pub id: B256,
    /// Member names, in index order (sorted by name).
    pub members: Vec<String>,
    /// `(arity, template)` per member.
    pub templates: Vec<(u32, Claim)>,
    /// `abi.encode(Definition[])`.
    pub encoding: Vec<u8>,
}

/// The result of checking a set of files: everything needed to compile and
/// evaluate claims over them.
#[derive(Clone)]
pub struct Program {
    /// All source text read.
    pub sources: SourceMap,
    /// Struct types by name (including built-ins).
    pub structs: BTreeMap<String, Type>,
    /// Definitions by name.
    pub defs: BTreeMap<String, DefInfo>,
    /// Recursive definition groups by id.
    pub groups: HashMap<B256, Group>,
    /// The registry names were resolved against.
    pub registry: Registry,
}

impl Definitions for Program {
    fn template(&self, group: B256, index: u32) -> Option<(&Claim, usize)> {
        let g = self.groups.get(&group)?;
        g.templates
            .get(index as usize)
            .map(|(a, t)| (t, *a as usize))
    }
}

/// Compilation failed; the diagnostics say why.
#[derive(Debug)]
pub struct CheckFailed {
    /// Every source read (for rendering).
    pub sources: SourceMap,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Display for CheckFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for CheckFailed {}

impl CheckFailed {
    /// Renders the diagnostics with snippets.
    pub fn render(&self, color: bool) -> String {
        super::diag::render(&self.sources, &self.diagnostics, color)
    }
}

/// Loads, parses and checks files (and what they `use`).
pub fn check_files(paths: &[PathBuf], registry: &Registry) -> Result<Program, CheckFailed> {
    let mut loader = Loader::default();
    for p in paths {
        loader.load_root(p);
    }
    loader.finish(registry)
}

/// Checks one source text given by name (tests, the library, the CLI).
/// `use` items are resolved against the predicate library only.
pub fn check_source(name: &str, text: &str, registry: &Registry) -> Result<Program, CheckFailed> {
    let mut loader = Loader::default();
    loader.add_text(name.to_string(), None, text.to_string());
    loader.finish(registry)
}

#[derive(Default)]
struct Loader {
    sources: SourceMap,
    diags: Vec<Diagnostic>,
    /// (file, parsed) in load order.
    files: Vec<(FileId, ast::File)>,
    seen: HashSet<String>,
}

impl Loader {
    fn load_root(&mut self, path: &Path) {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let key = canonical_key(path);
                if self.seen.insert(key) {
                    self.add_text(
                        path.display().to_string(),
                        path.parent().map(Path::to_path_buf),
                        text,
                    );
                }
            }
            Err(e) => {
                let f = self.sources.add(path.display().to_string(), "");
                self.diags.push(
                    Diagnostic::new(
                        "ogs::io",
                        f,
                        ast::Span::default(),
                        format!("cannot read {}: {e}", path.display()),
                        "",
                    )
                    .help("check the path"),
                );
            }
        }
    }

    fn add_text(&mut self, name: String, dir: Option<PathBuf>, text: String) {
        let file = self.sources.add(name, text.as_str());
        let (ast, diags) = parse_file(&text, file);
        self.diags.extend(diags);
        let uses: Vec<ast::UseItem> = ast
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Use(u) => Some(u.clone()),
                _ => None,
            })
            .collect();
        self.files.push((file, ast));
        for u in uses {
            self.resolve_use(file, dir.as_deref(), &u);
        }
    }

    fn resolve_use(&mut self, from: FileId, dir: Option<&Path>, u: &ast::UseItem) {
        if let Some(dir) = dir {
            let p = dir.join(&u.path);
            if p.is_file() {
                let key = canonical_key(&p);
                if self.seen.insert(key) {
                    match std::fs::read_to_string(&p) {
                        Ok(text) => self.add_text(
                            p.display().to_string(),
                            p.parent().map(Path::to_path_buf),
                            text,
                        ),
                        Err(e) => self.diags.push(Diagnostic::new(
                            "ogs::use",
                            from,
                            u.span,
                            format!("cannot read {}: {e}", p.display()),
                            "used here",
                        )),
                    }
                }
                return;
            }
        }
        // The library answers to its bare file names only: `use "x/channel.ogs"`
        // names a file of the user's, and must not silently load the library's.
        if let Some((name, text)) = LIBRARY.iter().find(|(n, _)| *n == u.path) {
            if self.seen.insert(format!("<library>/{name}")) {
                self.add_text(format!("<library>/{name}"), None, text.to_string());
            }
            return;
        }
        let names: Vec<&str> = LIBRARY.iter().map(|(n, _)| *n).collect();
        self.diags.push(
            Diagnostic::new(
                "ogs::use",
                from,
                u.span,
                format!("cannot find `{}`", u.path),
                "no such file next to this one, and not in the predicate library",
            )
            .help(format!(
                "paths are relative to the file that uses them; the library has: {}",
                names.join(", ")
            )),
        );
    }

    fn finish(self, registry: &Registry) -> Result<Program, CheckFailed> {
        let mut c = Checker {
            registry: registry.clone(),
            diags: self.diags,
            structs: BTreeMap::new(),
            struct_spans: HashMap::new(),
            resolved_structs: HashSet::new(),
            broken_structs: HashSet::new(),
            defs: BTreeMap::new(),
            groups: HashMap::new(),
            ast_defs: BTreeMap::new(),
            recursive_members: HashMap::new(),
            report: true,
            cur_file: 0,
            inline_stack: Vec::new(),
            inline_too_deep: false,
        };
        c.collect(&self.files);
        c.check_all();
        if c.diags.is_empty() {
            Ok(Program {
                sources: self.sources,
                structs: c.structs,
                defs: c.defs,
                groups: c.groups,
                registry: c.registry,
            })
        } else {
            Err(CheckFailed {
                sources: self.sources,
                diagnostics: c.diags,
            })
        }
    }
}

fn canonical_key(p: &Path) -> String {
    std::fs::canonicalize(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

/// What a name in scope stands for.
#[derive(Clone, Debug)]
enum Binding {
    /// A quantifier variable bound at binder level `level` (0 = outermost).
    Bound(u32),
    /// A known term, valid at binder depth `depth`.
    Term(Term, u32),
}

#[derive(Clone, Debug, Default)]
struct Env {
    vars: Vec<(String, Type, Binding)>,
}

impl Env {
    fn lookup(&self, name: &str) -> Option<&(String, Type, Binding)> {
        self.vars.iter().rev().find(|(n, _, _)| n == name)
    }
    fn with(&self, name: &str, ty: Type, b: Binding) -> Env {
        let mut e = self.clone();
        e.vars.push((name.to_string(), ty, b));
        e
    }
}

fn shift(t: &Term, by: u32) -> Term {
    match t {
        Term::Var { index, path } => Term::Var {
            index: index + by,
            path: path.clone(),
        },
        Term::Tuple(ts) => Term::Tuple(ts.iter().map(|t| shift(t, by)).collect()),
        other => other.clone(),
    }
}

fn project(t: Term, i: u32) -> Option<Term> {
    match t {
        Term::Lit(v) => {
            let parts = crate::logic::value::decode_list(&v).ok()?;
            parts.into_iter().nth(i as usize).map(Term::Lit)
        }
        Term::Var { index, mut path } => {
            path.push(i);
            Some(Term::Var { index, path })
        }
        Term::Param { index, mut path } => {
            path.push(i);
            Some(Term::Param { index, path })
        }
        Term::Tuple(ts) => ts.into_iter().nth(i as usize),
    }
}

struct Checker {
    registry: Registry,
    diags: Vec<Diagnostic>,
    structs: BTreeMap<String, Type>,
    struct_spans: HashMap<String, (FileId, ast::Span)>,
    resolved_structs: HashSet<String>,
    /// Structs with a field of unknown type: uses of them are not reported again.
    broken_structs: HashSet<String>,
    defs: BTreeMap<String, DefInfo>,
    groups: HashMap<B256, Group>,
    ast_defs: BTreeMap<String, (FileId, ast::Def)>,
    /// Definitions on a call cycle → the member names of their component.
    recursive_members: HashMap<String, Vec<String>>,
    /// Whether to emit diagnostics (off while re-compiling already checked bodies).
    report: bool,
    cur_file: FileId,
    /// Definitions being inlined (guards against runaway inlining).
    inline_stack: Vec<String>,
    /// Set when inlining hit `MAX_INLINE_DEPTH` (reported by the definition being checked).
    inline_too_deep: bool,
}

impl Checker {
    fn err(
        &mut self,
        span: ast::Span,
        code: &'static str,
        msg: impl Into<String>,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diags
            .push(Diagnostic::new(code, self.cur_file, span, msg, label));
        let n = self.diags.len() - 1;
        &mut self.diags[n]
    }

    fn error(
        &mut self,
        span: ast::Span,
        code: &'static str,
        msg: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        if !self.report {
            return;
        }
        let d = self.err(span, code, msg, label);
        d.help = help;
    }

    // ------------------------------------------------------------ collection

    fn collect(&mut self, files: &[(FileId, ast::File)]) {
        for t in self.registry.structs().to_vec() {
            if let Type::Struct(s) = &t {
                self.structs.insert(s.name.clone(), t.clone());
            }
        }
        // Structs first (two passes so fields may name structs declared later).
        let mut pending: Vec<(FileId, &ast::StructDef)> = Vec::new();
        for (file, f) in files {
            for item in &f.items {
                if let Item::Struct(s) = item {
                    self.cur_file = *file;
                    if self.structs.contains_key(&s.name.name) {
                        let builtin = !self.struct_spans.contains_key(&s.name.name);
                        self.error(
                            s.name.span,
                            "ogs::duplicate",
                            format!("struct `{}` is defined twice", s.name.name),
                            "second definition",
                            Some(if builtin {
                                format!("`{}` is built in; pick another name", s.name.name)
                            } else {
                                "rename one of them".into()
                            }),
                        );
                        continue;
                    }
                    // Placeholder so later structs can refer to it; fields resolved below.
                    self.structs.insert(
                        s.name.name.clone(),
                        Type::Struct(Arc::new(StructType {
                            name: s.name.name.clone(),
                            fields: vec![],
                        })),
                    );
                    self.struct_spans
                        .insert(s.name.name.clone(), (*file, s.name.span));
                    pending.push((*file, s));
                }
            }
        }
        // Resolve struct fields in dependency order; cycles are errors.
        let mut resolving = HashSet::new();
        for (file, s) in &pending {
            self.resolve_struct(*file, s, &pending, &mut resolving);
        }
        // Definitions.
        for (file, f) in files {
            for item in &f.items {
                if let Item::Def(d) = item {
                    self.cur_file = *file;
                    let n = &d.name.name;
                    if self.ast_defs.contains_key(n) {
                        self.error(
                            d.name.span,
                            "ogs::duplicate",
                            format!("definition `{n}` is defined twice"),
                            "second definition",
                            Some("rename one of them".into()),
                        );
                        continue;
                    }
                    if self.registry.verifier(n).is_some() || self.registry.quantifier(n).is_some()
                    {
                        self.error(
                            d.name.span,
                            "ogs::duplicate",
                            format!("`{n}` is a registered verifier or quantifier"),
                            "this definition would hide it",
                            Some("pick another name".into()),
                        );
                        continue;
                    }
                    let mut seen = HashSet::new();
                    for p in &d.params {
                        if !seen.insert(p.name.name.clone()) {
                            self.error(
                                p.name.span,
                                "ogs::duplicate",
                                format!("parameter `{}` appears twice", p.name.name),
                                "second parameter with this name",
                                None,
                            );
                        }
                    }
                    self.ast_defs.insert(n.clone(), (*file, d.clone()));
                }
            }
        }
    }

    fn resolve_struct(
        &mut self,
        file: FileId,
        s: &ast::StructDef,
        all: &[(FileId, &ast::StructDef)],
        resolving: &mut HashSet<String>,
    ) {
        let name = s.name.name.clone();
        if self.resolved_structs.contains(&name) {
            return;
        }
        if !resolving.insert(name.clone()) {
            return;
        }
        self.cur_file = file;
        let mut fields = Vec::new();
        let mut seen = HashSet::new();
        for f in &s.fields {
            if !seen.insert(f.name.name.clone()) {
                self.error(
                    f.name.span,
                    "ogs::duplicate",
                    format!("field `{}` appears twice", f.name.name),
                    "second field with this name",
                    None,
                );
            }
            // Resolve struct-typed fields first.
            for dep in struct_names(&f.ty) {
                if dep == name || resolving.contains(&dep) {
                    self.cur_file = file;
                    self.error(
                        f.ty.span(),
                        "ogs::type",
                        format!("struct `{name}` contains itself"),
                        "this field makes the type infinite",
                        Some("structs cannot be recursive".into()),
                    );
                    resolving.remove(&name);
                    return;
                }
                if let Some((df, ds)) = all.iter().find(|(_, x)| x.name.name == dep) {
                    self.resolve_struct(*df, ds, all, resolving);
                }
            }
            self.cur_file = file;
            match self.resolve_type(&f.ty) {
                Some(t) => fields.push((f.name.name.clone(), t)),
                None => {
                    self.broken_structs.insert(name.clone());
                }
            }
        }
        self.structs.insert(
            name.clone(),
            Type::Struct(Arc::new(StructType {
                name: name.clone(),
                fields,
            })),
        );
        resolving.remove(&name);
        self.resolved_structs.insert(name);
    }

    fn resolve_type(&mut self, t: &ast::TypeExpr) -> Option<Type> {
        match t {
            ast::TypeExpr::Named(i) => Some(match i.name.as_str() {
                "address" => Type::Address,
                "bytes32" => Type::Bytes32,
                "uint256" => Type::Uint256,
                "bytes" => Type::Bytes,
                "bool" => Type::Bool,
                n => match self.structs.get(n) {
                    Some(t) => t.clone(),
                    None => {
                        let cands: Vec<String> = ["address", "bytes32", "uint256", "bytes", "bool"]
                            .iter()
                            .map(|s| s.to_string())
                            .chain(self.structs.keys().cloned())
                            .collect();
                        let help = suggest(n, &cands).map_or_else(
                            || "types are address, bytes32, uint256, bytes, bool, struct names, T[] and (T1, T2)".to_string(),
                            |s| format!("did you mean `{s}`?"),
                        );
                        self.error(
                            i.span,
                            "ogs::unknown-type",
                            format!("unknown type `{n}`"),
                            "not a type",
                            Some(help),
                        );
                        return None;
                    }
                },
            }),
            ast::TypeExpr::Array(t, _) => Some(Type::Array(Box::new(self.resolve_type(t)?))),
            ast::TypeExpr::Tuple(ts, _) => {
                let ts: Vec<Option<Type>> = ts.iter().map(|t| self.resolve_type(t)).collect();
                Some(Type::Tuple(ts.into_iter().collect::<Option<Vec<_>>>()?))
            }
        }
    }

    // --------------------------------------------------------------- checking

    fn check_all(&mut self) {
        // Call graph between definitions.
        let names: Vec<String> = self.ast_defs.keys().cloned().collect();
        let mut g = DiGraph::<String, ()>::new();
        let idx: HashMap<String, petgraph::graph::NodeIndex> = names
            .iter()
            .map(|n| (n.clone(), g.add_node(n.clone())))
            .collect();
        for (n, (_, d)) in &self.ast_defs {
            let mut callees = Vec::new();
            calls_in(&d.body, &mut callees);
            for c in callees {
                if let Some(&to) = idx.get(&c) {
                    g.update_edge(idx[n], to, ());
                }
            }
        }
        // Components come callees-first.
        let sccs = petgraph::algo::tarjan_scc(&g);
        for scc in &sccs {
            let mut members: Vec<String> = scc.iter().map(|i| g[*i].clone()).collect();
            members.sort();
            let cyclic = members.len() > 1 || g.contains_edge(scc[0], scc[0]);
            if cyclic {
                for m in &members {
                    self.recursive_members.insert(m.clone(), members.clone());
                }
            }
        }
        for scc in sccs {
            let mut members: Vec<String> = scc.iter().map(|i| g[*i].clone()).collect();
            members.sort();
            if self.recursive_members.contains_key(&members[0]) {
                self.check_group(&members);
            } else {
                self.check_def(&members[0], None);
            }
        }
    }

    fn params_of(&mut self, d: &ast::Def) -> Option<Vec<(String, Type)>> {
        let mut out = Vec::new();
        let mut ok = true;
        for p in &d.params {
            match self.resolve_type(&p.ty) {
                Some(t) => out.push((p.name.name.clone(), t)),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// Checks one definition, compiling its body as a template.
    fn check_def(&mut self, name: &str, group: Option<(B256, u32)>) -> Option<Claim> {
        let (file, d) = self.ast_defs.get(name)?.clone();
        self.cur_file = file;
        let params = self.params_of(&d)?;
        let env = Env {
            vars: params
                .iter()
                .enumerate()
                .map(|(i, (n, t))| {
                    (
                        n.clone(),
                        t.clone(),
                        Binding::Term(
                            Term::Param {
                                index: i as u32,
                                path: vec![],
                            },
                            0,
                        ),
                    )
                })
                .collect(),
        };
        self.inline_too_deep = false;
        let template = self.formula(&d.body, &env, 0);
        if std::mem::take(&mut self.inline_too_deep) {
            self.error(
                d.name.span,
                "ogs::too-deep",
                format!("`{name}` inlines definitions more than {MAX_INLINE_DEPTH} levels deep"),
                "this definition",
                Some("calls to non-recursive definitions are inlined; flatten the chain of definitions".into()),
            );
            return None;
        }
        let template = template?;
        let size = claim_size(&template);
        if size > MAX_CLAIM_NODES {
            self.error(
                d.name.span,
                "ogs::too-large",
                format!("`{name}` compiles to a claim of {size} nodes, more than the limit of {MAX_CLAIM_NODES}"),
                "this definition",
                Some("calls to non-recursive definitions are inlined, so using one several times copies it each time; factor the repetition into a quantifier".into()),
            );
            return None;
        }
        self.defs.insert(
            name.to_string(),
            DefInfo {
                name: name.to_string(),
                params,
                template: template.clone(),
                recursive: group,
                ast: d,
                file,
            },
        );
        Some(template)
    }

    /// Checks a group of mutually recursive definitions and content-addresses it.
    fn check_group(&mut self, members: &[String]) {
        // Check every member (so all errors are reported), then give up if any failed.
        let mut templates = Vec::new();
        let mut ok = true;
        for (i, m) in members.iter().enumerate() {
            // Group id unknown yet: in-group calls use the zero id.
            match self.check_def(m, Some((B256::ZERO, i as u32))) {
                Some(t) => templates.push((self.defs[m].params.len() as u32, t)),
                None => ok = false,
            }
        }
        if !ok || !self.recursion_descends(members) {
            return;
        }
        let refs: Vec<(u32, &Claim)> = templates.iter().map(|(a, t)| (*a, t)).collect();
        let (id, encoding) = encode_group(&refs);
        for (i, m) in members.iter().enumerate() {
            if let Some(d) = self.defs.get_mut(m) {
                d.recursive = Some((id, i as u32));
            }
        }
        self.groups.insert(
            id,
            Group {
                id,
                members: members.to_vec(),
                templates,
                encoding,
            },
        );
    }

    /// The descent rule (`lang::descent`): every call cycle inside a group shrinks an
    /// argument along a well-founded order, so no dispute can reach the same claim again and
    /// lock bonds in a cycle — e.g. `def liar(x: uint256) := not liar(x)`, `forall i in
    /// below(x): stuck(x)`, or `forall i in range(x, hi): r(i, hi)`, whose instance `i = x`
    /// reproduces the claim. One error per group that breaks it.
    fn recursion_descends(&mut self, members: &[String]) -> bool {
        let defs: Vec<&ast::Def> = members.iter().map(|m| &self.ast_defs[m].1).collect();
        let Err(bad) = super::descent::check(&defs, &self.registry) else {
            return true;
        };
        let shrinking: Vec<String> = self
            .registry
            .quantifiers()
            .filter_map(|q| {
                let d = q.descent()?;
                let (arg, _) = q.params().get(d.arg).cloned()?;
                Some(format!("`{}` (than `{arg}`)", q.name()))
            })
            .collect();
        let shrinking = shrinking.join(", ");
        let names: Vec<&str> = bad.cycle.iter().map(|i| members[*i].as_str()).collect();
        let cycle = if names.len() == 1 {
            format!("`{}` calls itself", names[0])
        } else {
            format!("`{}` call each other", names.join("` → `"))
        };
        let (file, _) = self.ast_defs[&members[bad.member]].clone();
        self.cur_file = file;
        self.error(
            bad.span,
            "ogs::recursion",
            format!("{cycle}, and no parameter shrinks on every cycle: a dispute over it could reach the same claim again and lock bonds in a cycle"),
            "this call does not pass a smaller value of the parameter the cycle needs",
            Some(format!("recursion must descend: pass a part of a quantifier element that is smaller than the caller's parameter (the one the quantifier is given), on every cycle; the quantifiers whose elements are smaller than an argument are {shrinking}")),
        );
        false
    }

    // --------------------------------------------------------------- formulas

    fn formula(&mut self, f: &Formula, env: &Env, depth: u32) -> Option<Claim> {
        match f {
            Formula::Not(p, _) => Some(self.formula(p, env, depth)?.negate()),
            Formula::And(ps, _) | Formula::Or(ps, _) => {
                let parts: Vec<Option<Claim>> =
                    ps.iter().map(|p| self.formula(p, env, depth)).collect();
                let parts: Vec<Claim> = parts.into_iter().collect::<Option<_>>()?;
                Some(if matches!(f, Formula::And(..)) {
                    Claim::and(parts)
                } else {
                    Claim::and(parts.into_iter().map(Claim::negate).collect()).negate()
                })
            }
            Formula::Forall(q) | Formula::Exists(q) => {
                let exists = matches!(f, Formula::Exists(_));
                let (qname, args, elem) = self.quantifier_call(&q.domain, env, depth)?;
                let inner = env.with(&q.var.name, elem, Binding::Bound(depth));
                let body = self.formula(&q.body, &inner, depth + 1)?;
                let body = if exists { body.negate() } else { body };
                let c = Claim::Forall {
                    quantifier: Name::of(&qname),
                    args,
                    body: Box::new(body),
                };
                Some(if exists { c.negate() } else { c })
            }
            Formula::Witness(c) => {
                let n = &c.name.name;
                if self.registry.verifier(n).is_none() {
                    let help = if self.ast_defs.contains_key(n) {
                        format!("`{n}` is a definition; call it without `witness`")
                    } else {
                        self.verifier_help(n)
                    };
                    self.error(
                        c.name.span,
                        "ogs::unknown-verifier",
                        format!("unknown verifier `{n}`"),
                        "`witness` needs a registered verifier",
                        Some(help),
                    );
                    return None;
                }
                self.verifier_call(c, env, depth)
            }
            Formula::Call(c) => {
                let n = c.name.name.as_str();
                if self.ast_defs.contains_key(n) {
                    self.def_call(c, env, depth)
                } else if self.registry.verifier(n).is_some() {
                    self.verifier_call(c, env, depth)
                } else if self.registry.quantifier(n).is_some() {
                    self.error(
                        c.name.span,
                        "ogs::not-a-formula",
                        format!("`{n}` is a quantifier, not a formula"),
                        "a quantifier names a domain",
                        Some(format!(
                            "use it as `forall x in {n}(…): …` or `exists x in {n}(…): …`"
                        )),
                    );
                    None
                } else if let Some((_, ty, _)) = env.lookup(n) {
                    let help = if *ty == Type::Bool {
                        format!("to test a bool, write `eq({n}, true)`")
                    } else {
                        format!("`{n}` has type {ty}; test it with a verifier such as `eq({n}, …)` or `lt({n}, …)`")
                    };
                    self.error(
                        c.name.span,
                        "ogs::not-a-formula",
                        format!("`{n}` is a value, not a formula"),
                        "cannot be called",
                        Some(help),
                    );
                    None
                } else {
                    let mut cands: Vec<String> = self.ast_defs.keys().cloned().collect();
                    cands.extend(self.registry.verifiers().map(|v| v.name().to_string()));
                    let help = suggest(n, &cands).map_or_else(
                        || "define it with `def`, `use` the file that defines it, or call a registered verifier (`ogs registry` lists them)".to_string(),
                        |s| format!("did you mean `{s}`?"),
                    );
                    self.error(
                        c.name.span,
                        "ogs::unknown-name",
                        format!("unknown name `{n}`"),
                        "not a definition or a registered verifier",
                        Some(help),
                    );
                    None
                }
            }
        }
    }

    fn verifier_help(&self, n: &str) -> String {
        let cands: Vec<String> = self
            .registry
            .verifiers()
            .map(|v| v.name().to_string())
            .collect();
        suggest(n, &cands).map_or_else(
            || format!("registered verifiers: {}", cands.join(", ")),
            |s| format!("did you mean `{s}`?"),
        )
    }

    fn arity(&mut self, c: &ast::Call, what: &str, expected: usize) -> bool {
        if c.args.len() != expected {
            self.error(
                c.span,
                "ogs::arity",
                format!(
                    "{what} `{}` takes {expected} argument{}, got {}",
                    c.name.name,
                    if expected == 1 { "" } else { "s" },
                    c.args.len()
                ),
                format!(
                    "{} argument{} here",
                    c.args.len(),
                    if c.args.len() == 1 { "" } else { "s" }
                ),
                None,
            );
            return false;
        }
        true
    }

    /// Checks arguments against a registry signature.
    fn registry_args(
        &mut self,
        c: &ast::Call,
        params: &[(&'static str, ParamType)],
        env: &Env,
        depth: u32,
    ) -> Option<Vec<Term>> {
        // `Any` parameters share one type: infer it from the arguments that have
        // one by themselves, preferring anything over literals (whose type is a guess).
        let mut any_ty: Option<Type> = None;
        let any_args: Vec<&Expr> = c
            .args
            .iter()
            .zip(params)
            .filter(|(_, (_, p))| *p == ParamType::Any)
            .map(|(a, _)| a)
            .collect();
        let (lits, others): (Vec<&Expr>, Vec<&Expr>) =
            any_args.iter().partition(|a| matches!(a, Expr::Lit(..)));
        for a in others.iter().chain(&lits) {
            let was = self.report;
            self.report = false;
            any_ty = self.expr(a, None, env, depth).map(|(_, t)| t);
            self.report = was;
            if any_ty.is_some() {
                break;
            }
        }
        if any_ty.is_none() && !others.is_empty() {
            // A typed expression failed by itself: report its own error, not an inference failure.
            for a in &others {
                let _ = self.expr(a, None, env, depth);
            }
            return None;
        }
        if any_ty.is_none() && params.iter().any(|(_, p)| *p == ParamType::Any) {
            let help = if c
                .args
                .iter()
                .any(|a| matches!(a, Expr::Array(es, _) if es.is_empty()))
            {
                "an empty array `[]` has no element type by itself; compare it against a typed value or parameter"
            } else if c
                .args
                .iter()
                .any(|a| matches!(a, Expr::Lit(Literal::Hex(_), _)))
            {
                "hex literals other than 40-digit addresses and 64-digit bytes32 have no type by themselves; compare against a typed value or parameter"
            } else {
                "give one of the arguments a known type, e.g. a parameter or a struct value"
            };
            self.error(
                c.span,
                "ogs::type",
                format!("cannot infer the argument type of `{}`", c.name.name),
                "no argument here has a known type",
                Some(help.into()),
            );
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (a, (_, p)) in c.args.iter().zip(params) {
            let want = match p {
                ParamType::Is(t) => t.clone(),
                ParamType::Any => any_ty.clone()?,
            };
            match self.expr(a, Some(&want), env, depth) {
                Some((t, _)) => out.push(t),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn verifier_call(&mut self, c: &ast::Call, env: &Env, depth: u32) -> Option<Claim> {
        let v = self.registry.verifier(&c.name.name)?.clone();
        let params = v.params();
        if !self.arity(c, "verifier", params.len()) {
            return None;
        }
        let args = self.registry_args(c, &params, env, depth)?;
        Some(Claim::Witness {
            verifier: Name::of(v.name()),
            args,
        })
    }

    fn quantifier_call(
        &mut self,
        c: &ast::Call,
        env: &Env,
        depth: u32,
    ) -> Option<(String, Vec<Term>, Type)> {
        let n = &c.name.name;
        let Some(q) = self.registry.quantifier(n).cloned() else {
            let cands: Vec<String> = self
                .registry
                .quantifiers()
                .map(|q| q.name().to_string())
                .collect();
            let help = if self.ast_defs.contains_key(n) || self.registry.verifier(n).is_some() {
                format!(
                    "`{n}` is not a quantifier; registered quantifiers: {}",
                    cands.join(", ")
                )
            } else {
                suggest(n, &cands).map_or_else(
                    || format!("registered quantifiers: {}", cands.join(", ")),
                    |s| format!("did you mean `{s}`?"),
                )
            };
            self.error(
                c.name.span,
                "ogs::unknown-quantifier",
                format!("unknown quantifier `{n}`"),
                "not a registered quantifier",
                Some(help),
            );
            return None;
        };
        let params = q.params();
        if !self.arity(c, "quantifier", params.len()) {
            return None;
        }
        let args = self.registry_args(c, &params, env, depth)?;
        Some((q.name().to_string(), args, q.element_type()))
    }

    fn def_call(&mut self, c: &ast::Call, env: &Env, depth: u32) -> Option<Claim> {
        let n = c.name.name.clone();
        let (dfile, d) = self.ast_defs.get(&n)?.clone();
        let caller_file = self.cur_file;
        // The definition's own check reports problems with its parameters.
        let params = match self.defs.get(&n) {
            Some(info) => Some(info.params.clone()),
            None => {
                let was = self.report;
                self.report = false;
                self.cur_file = dfile;
                let p = self.params_of(&d);
                self.cur_file = caller_file;
                self.report = was;
                p
            }
        };
        let params = params?;
        if !self.arity(c, "definition", params.len()) {
            return None;
        }
        let mut args = Vec::new();
        let mut ok = true;
        for (a, (_, t)) in c.args.iter().zip(&params) {
            match self.expr(a, Some(t), env, depth) {
                Some((term, _)) => args.push(term),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        if self.recursive_members.contains_key(&n) {
            // Called through its group; the group may still be being compiled.
            let (group, index) = match self.defs.get(&n).and_then(|d| d.recursive) {
                Some(gi) => gi,
                None => {
                    let members = &self.recursive_members[&n];
                    (
                        B256::ZERO,
                        members.iter().position(|m| *m == n).unwrap_or(0) as u32,
                    )
                }
            };
            return Some(Claim::Call { group, index, args });
        }
        // Non-recursive: inline the body with the arguments in place of the parameters.
        // A definition that failed its own check is not inlined (its errors are reported there).
        if !self.defs.contains_key(&n) {
            return None;
        }
        if self.inline_stack.contains(&n) {
            return None;
        }
        if self.inline_stack.len() >= MAX_INLINE_DEPTH {
            self.inline_too_deep = true;
            return None;
        }
        let inner = Env {
            vars: params
                .iter()
                .zip(args)
                .map(|((pn, t), a)| (pn.clone(), t.clone(), Binding::Term(a, depth)))
                .collect(),
        };
        let was = self.report;
        // The definition was (or will be) checked on its own; don't repeat its diagnostics here.
        self.report = false;
        self.inline_stack.push(n.clone());
        self.cur_file = dfile;
        let r = self.formula(&d.body, &inner, depth);
        self.cur_file = caller_file;
        self.inline_stack.pop();
        self.report = was;
        r
    }

    // ------------------------------------------------------------ expressions

    fn mismatch(&mut self, span: ast::Span, want: &Type, found: &str) {
        self.error(
            span,
            "ogs::type",
            format!("expected {want}, found {found}"),
            format!("this is {found}"),
            None,
        );
    }

    fn expr(
        &mut self,
        e: &Expr,
        want: Option<&Type>,
        env: &Env,
        depth: u32,
    ) -> Option<(Term, Type)> {
        let (term, ty) = self.expr_inner(e, want, env, depth)?;
        if let Some(w) = want {
            if *w != ty {
                self.mismatch(e.span(), w, &format!("`{ty}`"));
                return None;
            }
        }
        Some((term, ty))
    }

    fn expr_inner(
        &mut self,
        e: &Expr,
        want: Option<&Type>,
        env: &Env,
        depth: u32,
    ) -> Option<(Term, Type)> {
        match e {
            Expr::Lit(l, span) => self
                .literal(l, *span, want)
                .map(|(v, t)| (Term::Lit(v.encode()), t)),
            Expr::Var(i) => match env.lookup(&i.name) {
                Some((_, t, b)) => {
                    let term = match b {
                        Binding::Bound(level) => Term::Var {
                            index: depth - level - 1,
                            path: vec![],
                        },
                        Binding::Term(term, at) => shift(term, depth - at),
                    };
                    Some((term, t.clone()))
                }
                None => {
                    let cands: Vec<String> = env.vars.iter().map(|(n, _, _)| n.clone()).collect();
                    let help = suggest(&i.name, &cands).map_or_else(
                        || {
                            if cands.is_empty() {
                                "nothing is in scope here; values come from parameters and quantified variables".to_string()
                            } else {
                                format!("in scope: {}", cands.join(", "))
                            }
                        },
                        |s| format!("did you mean `{s}`?"),
                    );
                    self.error(
                        i.span,
                        "ogs::unbound",
                        format!("unbound variable `{}`", i.name),
                        "not a parameter or quantified variable",
                        Some(help),
                    );
                    None
                }
            },
            Expr::Field(inner, f) => {
                let (t, ty) = self.expr(inner, None, env, depth)?;
                let (i, fty) = match (&ty, f) {
                    (Type::Struct(s), FieldRef::Named(n)) => match s.field_index(&n.name) {
                        Some(i) => (i, s.fields[i].1.clone()),
                        // Its declaration already reported the field's type.
                        None if self.broken_structs.contains(&s.name) => return None,
                        None => {
                            let names: Vec<String> =
                                s.fields.iter().map(|(n, _)| n.clone()).collect();
                            self.error(
                                n.span,
                                "ogs::field",
                                format!("`{}` has no field `{}`", s.name, n.name),
                                "unknown field",
                                Some(format!("fields of `{}`: {}", s.name, names.join(", "))),
                            );
                            return None;
                        }
                    },
                    (Type::Tuple(ts), FieldRef::Index(i, span)) => match ts.get(*i as usize) {
                        Some(t) => (*i as usize, t.clone()),
                        None => {
                            self.error(
                                *span,
                                "ogs::field",
                                format!("tuple `{ty}` has no element {i}"),
                                "out of range",
                                Some(format!("elements are numbered 0 to {}", ts.len() - 1)),
                            );
                            return None;
                        }
                    },
                    (Type::Struct(s), FieldRef::Index(_, span)) => {
                        self.error(
                            *span,
                            "ogs::field",
                            format!("`{}` is a struct: project fields by name", s.name),
                            "numeric projection",
                            None,
                        );
                        return None;
                    }
                    (_, f) => {
                        self.error(
                            f.span(),
                            "ogs::field",
                            format!("`{ty}` has no fields"),
                            "cannot project this",
                            Some("projections apply to structs (`.name`) and tuples (`.0`)".into()),
                        );
                        return None;
                    }
                };
                Some((project(t, i as u32)?, fty))
            }
            Expr::Struct(name, fields, span) => {
                let Some(Type::Struct(st)) = self.structs.get(&name.name).cloned() else {
                    let cands: Vec<String> = self.structs.keys().cloned().collect();
                    let help = suggest(&name.name, &cands).map(|s| format!("did you mean `{s}`?"));
                    self.error(
                        name.span,
                        "ogs::unknown-type",
                        format!("unknown struct `{}`", name.name),
                        "not a struct",
                        help,
                    );
                    return None;
                };
                if self.broken_structs.contains(&st.name) {
                    return None;
                }
                let mut parts: Vec<Option<Term>> = vec![None; st.fields.len()];
                let mut ok = true;
                for (f, v) in fields {
                    match st.field_index(&f.name) {
                        None => {
                            self.error(
                                f.span,
                                "ogs::field",
                                format!("`{}` has no field `{}`", st.name, f.name),
                                "unknown field",
                                None,
                            );
                            ok = false;
                        }
                        Some(i) if parts[i].is_some() => {
                            self.error(
                                f.span,
                                "ogs::duplicate",
                                format!("field `{}` given twice", f.name),
                                "second value",
                                None,
                            );
                            ok = false;
                        }
                        Some(i) => match self.expr(v, Some(&st.fields[i].1), env, depth) {
                            Some((t, _)) => parts[i] = Some(t),
                            None => ok = false,
                        },
                    }
                }
                let missing: Vec<&str> = st
                    .fields
                    .iter()
                    .zip(&parts)
                    .filter(|(_, p)| p.is_none())
                    .map(|((n, _), _)| n.as_str())
                    .collect();
                if ok && !missing.is_empty() {
                    self.error(
                        *span,
                        "ogs::field",
                        format!(
                            "missing field{} {} of `{}`",
                            if missing.len() == 1 { "" } else { "s" },
                            missing.join(", "),
                            st.name
                        ),
                        "incomplete struct value",
                        None,
                    );
                    return None;
                }
                let parts: Vec<Term> = parts.into_iter().collect::<Option<_>>()?;
                ok.then(|| (Term::tuple(parts), Type::Struct(st.clone())))
            }
            Expr::Array(es, span) => {
                let elem = match want {
                    Some(Type::Array(t)) => Some((**t).clone()),
                    _ => None,
                };
                let mut parts = Vec::new();
                let mut ety = elem;
                for x in es {
                    let (t, ty) = self.expr(x, ety.as_ref(), env, depth)?;
                    ety.get_or_insert(ty);
                    parts.push(t);
                }
                match ety {
                    Some(t) => Some((Term::tuple(parts), Type::Array(Box::new(t)))),
                    None => {
                        self.error(
                            *span,
                            "ogs::type",
                            "cannot infer the element type of an empty array",
                            "empty array",
                            Some(
                                "use it where an array type is expected, e.g. as an argument"
                                    .into(),
                            ),
                        );
                        None
                    }
                }
            }
            Expr::Tuple(es, span) => {
                let wants: Vec<Option<Type>> = match want {
                    Some(Type::Tuple(ts)) if ts.len() == es.len() => {
                        ts.iter().cloned().map(Some).collect()
                    }
                    Some(Type::Tuple(ts)) => {
                        self.error(
                            *span,
                            "ogs::type",
                            format!("expected a {}-tuple, found {} elements", ts.len(), es.len()),
                            "wrong tuple size",
                            None,
                        );
                        return None;
                    }
                    _ => vec![None; es.len()],
                };
                let mut parts = Vec::new();
                let mut tys = Vec::new();
                for (x, w) in es.iter().zip(&wants) {
                    let (t, ty) = self.expr(x, w.as_ref(), env, depth)?;
                    parts.push(t);
                    tys.push(ty);
                }
                Some((Term::tuple(parts), Type::Tuple(tys)))
            }
        }
    }

    fn literal(
        &mut self,
        l: &Literal,
        span: ast::Span,
        want: Option<&Type>,
    ) -> Option<(Value, Type)> {
        match (l, want) {
            (Literal::Bool(b), None | Some(Type::Bool)) => Some((Value::Bool(*b), Type::Bool)),
            (Literal::Bool(_), Some(w)) => {
                self.mismatch(span, w, "a bool literal");
                None
            }
            (Literal::Dec(d), None | Some(Type::Uint256)) => match U256::from_str_radix(d, 10) {
                Ok(u) => Some((Value::Uint(u), Type::Uint256)),
                Err(_) => {
                    self.error(
                        span,
                        "ogs::literal",
                        "integer literal out of range",
                        "does not fit in uint256",
                        Some("the largest uint256 is 2^256 - 1".into()),
                    );
                    None
                }
            },
            (Literal::Dec(_), Some(w)) => {
                self.mismatch(span, w, "an integer literal");
                None
            }
            (Literal::Hex(h), want) => {
                let want = match want {
                    Some(w) => w.clone(),
                    None => match h.len() {
                        40 => Type::Address,
                        64 => Type::Bytes32,
                        n => {
                            self.error(span, "ogs::type", format!("cannot tell the type of a {n}-digit hex literal"), "type unknown", Some("hex literals of 40 digits are addresses and of 64 digits bytes32; elsewhere use them where a type is expected".into()));
                            return None;
                        }
                    },
                };
                let digits = |n: usize, what: &str, this: &mut Checker| -> bool {
                    if h.len() != n {
                        this.error(
                            span,
                            "ogs::literal",
                            format!(
                                "{what} literal needs exactly {n} hex digits, found {}",
                                h.len()
                            ),
                            format!("{} digit{}", h.len(), if h.len() == 1 { "" } else { "s" }),
                            Some(format!("write {what} as 0x followed by {n} hex digits")),
                        );
                        return false;
                    }
                    true
                };
                match &want {
                    Type::Uint256 => {
                        let h = h.trim_start_matches('0');
                        if h.len() > 64 {
                            self.error(
                                span,
                                "ogs::literal",
                                "integer literal out of range",
                                "more than 64 hex digits",
                                Some("the largest uint256 is 2^256 - 1".into()),
                            );
                            return None;
                        }
                        let u = if h.is_empty() {
                            U256::ZERO
                        } else {
                            U256::from_str_radix(h, 16).ok()?
                        };
                        Some((Value::Uint(u), Type::Uint256))
                    }
                    Type::Address => {
                        if !digits(40, "an address", self) {
                            return None;
                        }
                        let b = hex::decode(h).ok()?;
                        Some((Value::Address(Address::from_slice(&b)), Type::Address))
                    }
                    Type::Bytes32 => {
                        if !digits(64, "a bytes32", self) {
                            return None;
                        }
                        let b = hex::decode(h).ok()?;
                        Some((Value::Bytes32(B256::from_slice(&b)), Type::Bytes32))
                    }
                    Type::Bytes => {
                        if h.len() % 2 == 1 {
                            self.error(
                                span,
                                "ogs::literal",
                                "a bytes literal needs an even number of hex digits",
                                format!("{} digits", h.len()),
                                Some("each byte is two hex digits; add a leading 0".into()),
                            );
                            return None;
                        }
                        Some((Value::Bytes(hex::decode(h).ok()?), Type::Bytes))
                    }
                    w => {
                        self.mismatch(span, w, "a hex literal");
                        None
                    }
                }
            }
        }
    }
}

fn struct_names(t: &ast::TypeExpr) -> Vec<String> {
    match t {
        ast::TypeExpr::Named(i) if !super::parser::SCALAR_TYPES.contains(&i.name.as_str()) => {
            vec![i.name.clone()]
        }
        ast::TypeExpr::Named(_) => vec![],
        ast::TypeExpr::Array(t, _) => struct_names(t),
        ast::TypeExpr::Tuple(ts, _) => ts.iter().flat_map(struct_names).collect(),
    }
}

/// Deepest chain of non-recursive definitions inlined into one another.
pub(crate) const MAX_INLINE_DEPTH: usize = 64;

/// Largest compiled claim (in nodes) a definition or command-line claim may have.
pub(crate) const MAX_CLAIM_NODES: usize = 10_000;

/// Number of nodes of a claim.
pub(crate) fn claim_size(c: &Claim) -> usize {
    match c {
        Claim::Not(p) => 1 + claim_size(p),
        Claim::And(ps) => 1 + ps.iter().map(claim_size).sum::<usize>(),
        Claim::Forall { body, .. } => 1 + claim_size(body),
        Claim::Witness { .. } | Claim::Call { .. } => 1,
    }
}

fn calls_in(f: &Formula, out: &mut Vec<String>) {
    match f {
        Formula::Not(p, _) => calls_in(p, out),
        Formula::And(ps, _) | Formula::Or(ps, _) => ps.iter().for_each(|p| calls_in(p, out)),
        Formula::Forall(q) | Formula::Exists(q) => calls_in(&q.body, out),
        Formula::Call(c) => out.push(c.name.name.clone()),
        Formula::Witness(_) => {}
    }
}

/// The closest candidate by edit distance, if close enough to be a likely typo.
fn suggest(name: &str, cands: &[String]) -> Option<String> {
    cands
        .iter()
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(1) && *d < c.len().max(name.len()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.clone())
}

impl Program {
    /// Compiles claim text (a formula over this program's definitions, e.g.
    /// `channel_exit(my_update())`) to a closed claim.
    pub fn compile_claim(&self, text: &str) -> Result<Claim, CheckFailed> {
        let mut sources = self.sources.clone();
        let file = sources.add("<claim>", text);
        let (f, diags) = parse_formula(text, file);
        let fail = |diagnostics| CheckFailed {
            sources: sources.clone(),
            diagnostics,
        };
        let Some(f) = f else {
            return Err(fail(diags));
        };
        let mut c = Checker {
            registry: self.registry.clone(),
            diags,
            structs: self.structs.clone(),
            struct_spans: HashMap::new(),
            resolved_structs: HashSet::new(),
            broken_structs: HashSet::new(),
            defs: self.defs.clone(),
            groups: HashMap::new(),
            ast_defs: self
                .defs
                .iter()
                .map(|(n, d)| (n.clone(), (d.file, d.ast.clone())))
                .collect(),
            recursive_members: self
                .groups
                .values()
                .flat_map(|g| {
                    g.members
                        .iter()
                        .map(move |m| (m.clone(), g.members.clone()))
                })
                .collect(),
            report: true,
            cur_file: file,
            inline_stack: Vec::new(),
            inline_too_deep: false,
        };
        let claim = c.formula(&f, &Env::default(), 0);
        let span = f.span();
        if c.inline_too_deep {
            c.error(
                span,
                "ogs::too-deep",
                format!("the claim inlines definitions more than {MAX_INLINE_DEPTH} levels deep"),
                "this claim",
                None,
            );
        }
        if let Some(size) = claim
            .as_ref()
            .map(claim_size)
            .filter(|n| *n > MAX_CLAIM_NODES)
        {
            c.error(
                span,
                "ogs::too-large",
                format!(
                    "the claim compiles to {size} nodes, more than the limit of {MAX_CLAIM_NODES}"
                ),
                "this claim",
                None,
            );
        }
        match claim {
            Some(claim) if c.diags.is_empty() => Ok(claim),
            _ => Err(fail(c.diags)),
        }
    }

    /// The name of a recursive definition by group and index.
    pub(crate) fn def_name(&self, group: &B256, index: u32) -> Option<&str> {
        self.groups
            .get(group)
            .and_then(|g| g.members.get(index as usize))
            .map(String::as_str)
    }

    /// An empty program (no definitions) over a registry, for evaluating decoded claims.
    pub fn empty(registry: &Registry) -> Program {
        Program {
            sources: SourceMap::default(),
            structs: registry
                .structs()
                .iter()
                .filter_map(|t| match &t {
                    Type::Struct(s) => Some((s.name.clone(), t.clone())),
                    _ => None,
                })
                .collect(),
            defs: BTreeMap::new(),
            groups: HashMap::new(),
            registry: registry.clone(),
        }
    }
}
