//! The pretty-printer: AST → canonical claim text.
//!
//! Printing then parsing gives back the same tree (spans aside). Parentheses
//! are added wherever the grammar needs them to keep the tree's shape: around
//! every compound operand of `and`/`or`/`not`, and around quantifiers that are
//! not the last thing in their context.

use super::ast::*;
use std::fmt::Write;

/// Prints a whole file, one item per paragraph.
pub fn print_file(f: &File) -> String {
    let mut out = String::new();
    for (n, item) in f.items.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        match item {
            Item::Use(u) => {
                let _ = writeln!(out, "use \"{}\";", u.path);
            }
            Item::Struct(s) => {
                let _ = writeln!(out, "struct {} {{", s.name.name);
                for p in &s.fields {
                    let _ = writeln!(out, "    {}: {},", p.name.name, print_type(&p.ty));
                }
                out.push_str("}\n");
            }
            Item::Def(d) => {
                let params: Vec<String> = d
                    .params
                    .iter()
                    .map(|p| format!("{}: {}", p.name.name, print_type(&p.ty)))
                    .collect();
                let _ = writeln!(
                    out,
                    "def {}({}) :=\n    {};",
                    d.name.name,
                    params.join(", "),
                    print_formula(&d.body)
                );
            }
        }
    }
    out
}

/// Prints a type.
pub(crate) fn print_type(t: &TypeExpr) -> String {
    match t {
        TypeExpr::Named(i) => i.name.clone(),
        TypeExpr::Array(t, _) => format!("{}[]", print_type(t)),
        TypeExpr::Tuple(ts, _) => {
            let v: Vec<String> = ts.iter().map(print_type).collect();
            format!("({})", v.join(", "))
        }
    }
}

/// Prints a formula.
pub(crate) fn print_formula(f: &Formula) -> String {
    match f {
        Formula::Not(p, _) => format!("not {}", operand(p)),
        Formula::And(ps, _) => chain(ps, " and "),
        Formula::Or(ps, _) => chain(ps, " or "),
        Formula::Forall(q) => quant("forall", q),
        Formula::Exists(q) => quant("exists", q),
        Formula::Witness(c) => format!("witness {}", print_call(c)),
        Formula::Call(c) => print_call(c),
    }
}

fn chain(ps: &[Formula], sep: &str) -> String {
    let v: Vec<String> = ps.iter().map(operand).collect();
    v.join(sep)
}

/// An operand of `not`, `and` or `or`: anything but a call or `witness` is parenthesised.
fn operand(f: &Formula) -> String {
    match f {
        Formula::Call(_) | Formula::Witness(_) => print_formula(f),
        Formula::Not(..) => print_formula(f),
        _ => format!("({})", print_formula(f)),
    }
}

fn quant(kw: &str, q: &Quant) -> String {
    format!(
        "{kw} {} in {}: {}",
        q.var.name,
        print_call(&q.domain),
        print_formula(&q.body)
    )
}

/// Prints a call.
pub(crate) fn print_call(c: &Call) -> String {
    let v: Vec<String> = c.args.iter().map(print_expr).collect();
    format!("{}({})", c.name.name, v.join(", "))
}

/// Prints an expression.
pub(crate) fn print_expr(e: &Expr) -> String {
    match e {
        Expr::Lit(l, _) => print_literal(l),
        Expr::Var(i) => i.name.clone(),
        Expr::Field(e, FieldRef::Named(f)) => format!("{}.{}", print_expr(e), f.name),
        Expr::Field(e, FieldRef::Index(n, _)) => format!("{}.{}", print_expr(e), n),
        Expr::Struct(name, fields, _) => {
            let v: Vec<String> = fields
                .iter()
                .map(|(f, e)| format!("{}: {}", f.name, print_expr(e)))
                .collect();
            format!("{} {{ {} }}", name.name, v.join(", "))
        }
        Expr::Array(es, _) => {
            let v: Vec<String> = es.iter().map(print_expr).collect();
            format!("[{}]", v.join(", "))
        }
        Expr::Tuple(es, _) => {
            let v: Vec<String> = es.iter().map(print_expr).collect();
            format!("({})", v.join(", "))
        }
    }
}

/// Prints a literal exactly as the parser stores it.
pub(crate) fn print_literal(l: &Literal) -> String {
    match l {
        Literal::Dec(d) => d.clone(),
        Literal::Hex(h) => format!("0x{h}"),
        Literal::Bool(b) => b.to_string(),
    }
}
