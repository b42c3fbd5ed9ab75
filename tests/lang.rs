//! The claim language: the fixture corpus (with snapshots of what each file
//! compiles to or of its diagnostics), parser robustness and the
//! print → parse round trip.

use ogs::lang::ast::*;
use ogs::lang::parser::{parse_file, parse_formula, RESERVED};
use ogs::lang::printer::print_file;
use ogs::lang::{check_files, check_source};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn corpus(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(Path::new("tests/lang").join(dir))
        .unwrap_or_else(|e| panic!("tests/lang/{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ogs"))
        .collect();
    v.sort();
    v
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string()
}

fn snapshot(name: &str, body: &str) {
    insta::with_settings!({ snapshot_path => "lang/snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, body);
    });
}

/// Every file under ok/ checks, and what it compiles to is pinned.
#[test]
fn corpus_ok() {
    let files = corpus("ok");
    assert!(files.len() >= 20, "the ok corpus has {} files", files.len());
    for f in files {
        let p = check_files(std::slice::from_ref(&f), &ogs::systems::standard())
            .unwrap_or_else(|e| panic!("{} should check:\n{}", f.display(), e.render(false)));
        let mut out = String::new();
        for (name, d) in &p.defs {
            // Only definitions of this file, not of what it `use`s.
            if p.sources.get(d.file).name != f.display().to_string() {
                continue;
            }
            let kind = match d.recursive {
                Some((g, i)) => format!("recursive: group {g:#x} #{i}"),
                None => "inlined".into(),
            };
            out.push_str(&format!("{name} [{kind}]\n    {}\n", p.show_def(d)));
        }
        snapshot(&format!("ok__{}", stem(&f)), &out);
    }
}

/// Every file under fail/ is rejected, all its errors reported together; the
/// rendered diagnostics (snippet, label, hint) are pinned.
#[test]
fn corpus_fail() {
    let files = corpus("fail");
    assert!(
        files.len() >= 20,
        "the fail corpus has {} files",
        files.len()
    );
    for f in files {
        let e = match check_files(std::slice::from_ref(&f), &ogs::systems::standard()) {
            Ok(_) => panic!("{} should fail to check", f.display()),
            Err(e) => e,
        };
        assert!(!e.diagnostics.is_empty());
        for d in &e.diagnostics {
            assert!(!d.message.is_empty() && !d.label.is_empty() || d.code == "ogs::io");
        }
        snapshot(&format!("fail__{}", stem(&f)), &e.render(false));
    }
}

#[test]
fn and_or_never_mix_silently() {
    let (f, diags) = parse_formula("eq(1, 1) and eq(2, 2) or eq(3, 3)", 0);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0].message.contains("cannot be mixed"));
    // The recovered tree keeps the chain the user wrote as one operand: no three-way AND.
    assert!(matches!(f, None | Some(Formula::Or(..))));
    let (f, diags) = parse_formula("(eq(1, 1) and eq(2, 2)) or eq(3, 3)", 0);
    assert!(diags.is_empty());
    match f {
        Some(Formula::Or(ps, _)) => assert!(matches!(ps[0], Formula::And(..))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn all_errors_are_reported_at_once() {
    let src =
        "def a() := eq(1,\ndef b(x: nope) := lt(x, 1)\ndef c() := foo(1)\ndef d() := eq(1, 2\n";
    let e = check_source("multi.ogs", src, &ogs::systems::standard())
        .err()
        .expect("must fail");
    assert!(e.diagnostics.len() >= 3, "{}", e.render(false));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let src = format!(
        "def a() := {}eq(1, 1){}",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let (_, diags) = parse_file(&src, 0);
    assert!(diags.iter().any(|d| d.message.contains("nesting too deep")));
    let src = format!("def a() := {}eq(1, 1)", "not ".repeat(100_000));
    let (_, diags) = parse_file(&src, 0);
    assert!(diags.iter().any(|d| d.message.contains("nesting too deep")));
}

#[test]
fn library_channel_checks() {
    let p = check_source("x.ogs", "use \"channel.ogs\";", &ogs::systems::standard())
        .expect("library checks");
    assert!(p.defs.contains_key("channel_exit"));
    assert_eq!(
        p.show_def(&p.defs["channel_exit"]),
        "forall x0 in higher_nonce(u): not witness all_signed(x0)"
    );
}

#[test]
fn desugaring_follows_the_spec() {
    let reg = ogs::systems::standard();
    let p = check_source(
        "d.ogs",
        "def or_(a: uint256, b: uint256) := eq(a, b) or lt(a, b)\n\
         def ex(n: uint256) := exists x in below(n): eq(x, 3)\n\
         def dn(a: uint256) := not not eq(a, 1)\n\
         def flat(a: uint256) := (eq(a, 1) and eq(a, 2)) and eq(a, 3)",
        &reg,
    )
    .expect("checks");
    let show = |n: &str| p.show_def(&p.defs[n]);
    // P or Q = NOT(AND(NOT P, NOT Q))
    assert_eq!(
        show("or_"),
        "not (not witness eq(a, b) and not witness lt(a, b))"
    );
    // exists x in Q: P = NOT(UQ(Q, x => NOT P))
    assert_eq!(
        show("ex"),
        "not (forall x0 in below(n): not witness eq(x0, 3))"
    );
    // double negation removed
    assert_eq!(show("dn"), "witness eq(a, 1)");
    // AND flattened
    assert_eq!(
        show("flat"),
        "witness eq(a, 1) and witness eq(a, 2) and witness eq(a, 3)"
    );
}

#[test]
fn recursive_definitions_are_grouped_and_content_addressed() {
    let reg = ogs::systems::standard();
    let src = "def even(n: uint256) := eq(n, 0) or (lt(0, n) and forall m in range(0, n): not eq(m, 0) or odd(m))\n\
               def odd(n: uint256) := lt(0, n) and even(n)";
    let p = check_source("r.ogs", src, &reg).expect("checks");
    let (ge, ie) = p.defs["even"].recursive.expect("even is recursive");
    let (go, io) = p.defs["odd"].recursive.expect("odd is recursive");
    assert_eq!(ge, go, "mutually recursive definitions share a group");
    assert_ne!(ie, io);
    assert_eq!(p.groups[&ge].members, vec!["even", "odd"]);
    // The id is the hash of the group's canonical encoding, and it decodes back.
    assert_eq!(alloy_primitives::keccak256(&p.groups[&ge].encoding), ge);
    let decoded = ogs::logic::encode::decode_group(&p.groups[&ge].encoding).expect("decodes");
    assert_eq!(decoded, p.groups[&ge].templates);
    // Renaming a variable does not change the group (de Bruijn indices).
    let p2 = check_source(
        "r2.ogs",
        &src.replace("m in", "k in")
            .replace("eq(m", "eq(k")
            .replace("odd(m)", "odd(k)"),
        &reg,
    )
    .expect("checks");
    assert_eq!(p2.defs["even"].recursive.map(|x| x.0), Some(ge));
}

// ------------------------------------------------------------------ proptests

fn ident() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_]{0,6}".prop_filter("not reserved", |s| !RESERVED.contains(&s.as_str()))
}

fn id() -> impl Strategy<Value = Ident> {
    ident().prop_map(|name| Ident {
        name,
        span: Span::default(),
    })
}

fn literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        "[0-9]{1,20}".prop_map(Literal::Dec),
        "[0-9a-f]{1,64}".prop_map(Literal::Hex),
        any::<bool>().prop_map(Literal::Bool),
    ]
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        literal().prop_map(|l| Expr::Lit(l, Span::default())),
        id().prop_map(Expr::Var),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            (inner.clone(), id()).prop_map(|(e, f)| Expr::Field(Box::new(e), FieldRef::Named(f))),
            (inner.clone(), 0u32..5)
                .prop_map(|(e, i)| Expr::Field(Box::new(e), FieldRef::Index(i, Span::default()))),
            (id(), prop::collection::vec((id(), inner.clone()), 0..3))
                .prop_map(|(n, fs)| Expr::Struct(n, fs, Span::default())),
            prop::collection::vec(inner.clone(), 0..3)
                .prop_map(|es| Expr::Array(es, Span::default())),
            prop::collection::vec(inner, 2..4).prop_map(|es| Expr::Tuple(es, Span::default())),
        ]
    })
}

fn call() -> impl Strategy<Value = Call> {
    (id(), prop::collection::vec(expr(), 0..3)).prop_map(|(name, args)| Call {
        name,
        args,
        span: Span::default(),
    })
}

fn formula() -> impl Strategy<Value = Formula> {
    let leaf = prop_oneof![
        call().prop_map(Formula::Call),
        call().prop_map(Formula::Witness)
    ];
    leaf.prop_recursive(5, 32, 4, |inner| {
        let quant = |inner: BoxedStrategy<Formula>| {
            (id(), call(), inner).prop_map(|(var, domain, body)| Quant {
                var,
                domain,
                body,
                span: Span::default(),
            })
        };
        prop_oneof![
            inner
                .clone()
                .prop_map(|f| Formula::Not(Box::new(f), Span::default())),
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|fs| Formula::And(fs, Span::default())),
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|fs| Formula::Or(fs, Span::default())),
            quant(inner.clone()).prop_map(|q| Formula::Forall(Box::new(q))),
            quant(inner).prop_map(|q| Formula::Exists(Box::new(q))),
        ]
    })
}

fn type_expr() -> impl Strategy<Value = TypeExpr> {
    let leaf = prop_oneof![
        prop::sample::select(vec!["address", "bytes32", "uint256", "bytes", "bool"]).prop_map(
            |n| TypeExpr::Named(Ident {
                name: n.to_string(),
                span: Span::default()
            })
        ),
        id().prop_map(TypeExpr::Named),
    ];
    leaf.prop_recursive(2, 6, 3, |inner| {
        prop_oneof![
            inner
                .clone()
                .prop_map(|t| TypeExpr::Array(Box::new(t), Span::default())),
            prop::collection::vec(inner, 2..4).prop_map(|ts| TypeExpr::Tuple(ts, Span::default())),
        ]
    })
}

fn param() -> impl Strategy<Value = Param> {
    (id(), type_expr()).prop_map(|(name, ty)| Param { name, ty })
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        "[a-z/._]{1,12}".prop_map(|path| Item::Use(UseItem {
            path,
            span: Span::default()
        })),
        (id(), prop::collection::vec(param(), 0..4)).prop_map(|(name, fields)| Item::Struct(
            StructDef {
                name,
                fields,
                span: Span::default()
            }
        )),
        (id(), prop::collection::vec(param(), 0..3), formula()).prop_map(|(name, params, body)| {
            Item::Def(Def {
                name,
                params,
                body,
                span: Span::default(),
            })
        }),
    ]
}

const TOKENS: &[&str] = &[
    "def ", "struct ", "use ", "not ", " and ", " or ", "forall ", "exists ", " in ", "witness ",
    "true", "false", "(", ")", "[", "]", "{", "}", ",", ":", ":=", ";", ".", "\"", "//", "/*",
    "*/", "\n", "x", "eq", "0x", "0xab", "12", "_", "uint256", "é", "\0", " ",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// print → parse is the identity on the AST (spans aside).
    #[test]
    fn print_parse_roundtrip(items in prop::collection::vec(item(), 0..4)) {
        let file = File { items };
        let text = print_file(&file);
        let (parsed, diags) = parse_file(&text, 0);
        prop_assert!(diags.is_empty(), "{text}\n{diags:?}");
        prop_assert_eq!(parsed, file, "{}", text);
    }

    /// The parser and checker never panic, on any input.
    #[test]
    fn never_panics_on_arbitrary_text(s in "\\PC{0,200}") {
        let _ = parse_file(&s, 0);
        let _ = parse_formula(&s, 0);
        let _ = check_source("fuzz.ogs", &s, &ogs::systems::standard());
    }

    /// Nor on token soup, which reaches deeper into the grammar than random text.
    #[test]
    fn never_panics_on_token_soup(toks in prop::collection::vec(prop::sample::select(TOKENS), 0..80)) {
        let s: String = toks.concat();
        let (_, _) = parse_file(&s, 0);
        let _ = check_source("soup.ogs", &s, &ogs::systems::standard());
    }

    /// Nor on corrupted versions of the corpus.
    #[test]
    fn never_panics_on_mutated_corpus(pick in 0usize..1000, cut in 0usize..4000, ins in prop::sample::select(TOKENS)) {
        let mut files = corpus("ok");
        files.extend(corpus("fail"));
        let f = &files[pick % files.len()];
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) { at -= 1; }
        let mutated = format!("{}{}{}", &text[..at], ins, &text[at..]);
        let _ = check_source("mutated.ogs", &mutated, &ogs::systems::standard());
        let truncated = &text[..at];
        let _ = check_source("truncated.ogs", truncated, &ogs::systems::standard());
    }
}
