//! Shows compiled claims as claim-language text (the primitives spelled as
//! `not`, `and`, `witness V(…)` and `forall x in Q(…): …`), with values
//! decoded by the types the registry and the definitions give them.

use super::check::{DefInfo, Program};
use crate::logic::claim::{Claim, Term};
use crate::logic::registry::ParamType;
use crate::logic::value::{Type, Value};

impl Program {
    /// Renders a compiled claim as text.
    pub fn show(&self, claim: &Claim) -> String {
        Shower {
            p: self,
            params: &[],
        }
        .show_at(claim, &mut Vec::new())
    }

    /// Renders a definition's compiled body, with its parameters by name.
    pub fn show_def(&self, def: &DefInfo) -> String {
        Shower {
            p: self,
            params: &def.params,
        }
        .show_at(&def.template, &mut Vec::new())
    }
}

/// Rendering context: the program, and the parameters of the template shown.
struct Shower<'a> {
    p: &'a Program,
    params: &'a [(String, Type)],
}

impl Shower<'_> {
    fn show_at(&self, c: &Claim, binders: &mut Vec<Type>) -> String {
        match c {
            Claim::Not(p) => format!("not {}", self.operand(p, binders)),
            Claim::And(ps) => ps
                .iter()
                .map(|p| self.operand(p, binders))
                .collect::<Vec<_>>()
                .join(" and "),
            Claim::Witness { verifier, args } => match self.p.registry.verifier_by_id(verifier) {
                Some(v) => {
                    let params: Vec<ParamType> = v.params().into_iter().map(|(_, p)| p).collect();
                    let args = self.args(args, &params, binders);
                    format!("witness {}({args})", v.name())
                }
                None => format!(
                    "witness <unknown verifier {:#x}>({})",
                    verifier.0,
                    self.args(args, &[], binders)
                ),
            },
            Claim::Forall {
                quantifier,
                args,
                body,
            } => {
                let (name, params, elem) = match self.p.registry.quantifier_by_id(quantifier) {
                    Some(q) => (
                        q.name().to_string(),
                        q.params().into_iter().map(|(_, p)| p).collect::<Vec<_>>(),
                        Some(q.element_type()),
                    ),
                    None => (
                        format!("<unknown quantifier {:#x}>", quantifier.0),
                        vec![],
                        None,
                    ),
                };
                let args = self.args(args, &params, binders);
                let var = format!("x{}", binders.len());
                binders.push(elem.unwrap_or(Type::Bytes));
                let body = self.show_at(body, binders);
                binders.pop();
                format!("forall {var} in {name}({args}): {body}")
            }
            Claim::Call { group, index, args } => {
                let name = self.p.def_name(group, *index);
                let params: Vec<ParamType> = name
                    .and_then(|n| self.p.defs.get(n))
                    .map(|d| {
                        d.params
                            .iter()
                            .map(|(_, t)| ParamType::Is(t.clone()))
                            .collect()
                    })
                    .unwrap_or_default();
                let args = self.args(args, &params, binders);
                match name {
                    Some(n) => format!("{n}({args})"),
                    None => format!("<definition {index} of group {group:#x}>({args})"),
                }
            }
        }
    }

    fn operand(&self, c: &Claim, binders: &mut Vec<Type>) -> String {
        let s = self.show_at(c, binders);
        match c {
            Claim::Witness { .. } | Claim::Call { .. } | Claim::Not(_) => s,
            _ => format!("({s})"),
        }
    }

    fn args(&self, args: &[Term], params: &[ParamType], binders: &[Type]) -> String {
        // `Any` parameters share the type of whichever argument has a known one.
        let any = args.iter().zip(params).find_map(|(a, p)| match (a, p) {
            (Term::Lit(_), _) | (_, ParamType::Is(_)) => None,
            (t, ParamType::Any) => self.term_type(t, binders),
        });
        args.iter()
            .enumerate()
            .map(|(i, a)| {
                let ty = match params.get(i) {
                    Some(ParamType::Is(t)) => Some(t.clone()),
                    _ => any.clone(),
                };
                self.term(a, ty.as_ref(), binders)
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn term_type(&self, t: &Term, binders: &[Type]) -> Option<Type> {
        let (mut ty, path) = match t {
            Term::Var { index, path } => (
                binders
                    .get(binders.len().checked_sub(*index as usize + 1)?)?
                    .clone(),
                path,
            ),
            Term::Param { index, path } => (self.params.get(*index as usize)?.1.clone(), path),
            _ => return None,
        };
        for i in path {
            ty = ty.element(*i as usize)?.clone();
        }
        Some(ty)
    }

    fn term(&self, t: &Term, ty: Option<&Type>, binders: &[Type]) -> String {
        match t {
            Term::Lit(b) => match ty.and_then(|ty| Value::decode(ty, b).ok().map(|v| (v, ty))) {
                Some((v, ty)) => v.display(Some(ty)),
                None => format!("0x{}", hex::encode(b)),
            },
            Term::Var { index, path } => {
                let level = binders.len() as i64 - *index as i64 - 1;
                let mut s = format!("x{level}");
                let mut cur = binders.get(level.max(0) as usize).cloned();
                for i in path {
                    match &cur {
                        Some(Type::Struct(st)) => {
                            s.push('.');
                            s.push_str(st.fields.get(*i as usize).map_or("?", |f| f.0.as_str()));
                        }
                        _ => s.push_str(&format!(".{i}")),
                    }
                    cur = cur.and_then(|c| c.element(*i as usize).cloned());
                }
                s
            }
            Term::Param { index, path } => {
                let (mut s, mut cur) = match self.params.get(*index as usize) {
                    Some((n, t)) => (n.clone(), Some(t.clone())),
                    None => (format!("param{index}"), None),
                };
                for i in path {
                    match &cur {
                        Some(Type::Struct(st)) => {
                            s.push('.');
                            s.push_str(st.fields.get(*i as usize).map_or("?", |f| f.0.as_str()));
                        }
                        _ => s.push_str(&format!(".{i}")),
                    }
                    cur = cur.and_then(|c| c.element(*i as usize).cloned());
                }
                s
            }
            Term::Tuple(ts) => {
                let parts: Vec<String> = ts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| self.term(t, ty.and_then(|ty| ty.element(i)), binders))
                    .collect();
                match ty {
                    Some(Type::Struct(st)) => {
                        let fields: Vec<String> = st
                            .fields
                            .iter()
                            .zip(&parts)
                            .map(|((n, _), p)| format!("{n}: {p}"))
                            .collect();
                        format!("{} {{ {} }}", st.name, fields.join(", "))
                    }
                    Some(Type::Array(_)) => format!("[{}]", parts.join(", ")),
                    _ => format!("({})", parts.join(", ")),
                }
            }
        }
    }
}
