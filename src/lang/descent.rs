//! The descent rule for recursive definitions: every call cycle must shrink an argument.
//!
//! A dispute over a recursive claim walks down its unfoldings: each counter-claim is built
//! from its target's body and one quantifier element. If some walk can come back to a claim
//! it started from (`def r(x, hi) := forall i in range(x, hi): r(i, hi)` at `i = x`), the
//! claims on the walk can hold each other's challenges open forever and lock their bonds.
//! The rule here excludes every such walk by a well-founded measure (a simple size-change
//! argument): each member `f` of a group gets one parameter `m(f)` and an [`Order`], such
//! that every call `f → g` inside the group passes to `m(g)` either `m(f)` itself or a part
//! of a quantifier element that the quantifier's [`Descent`] makes smaller than `m(f)`, and
//! the calls that pass `m(f)` unchanged form no cycle. Then every cycle of calls shrinks the
//! measure at least once and never grows it, so no unfolding walk repeats a call.
//!
//! A claim made of no calls is a finite tree and its counter-claims are smaller trees, so
//! the measure on calls is the only thing that could fail to descend.

use super::ast::{self, Expr, FieldRef, Formula};
use crate::logic::registry::{Order, Registry};
use petgraph::graph::DiGraph;

/// One projection step of a place: `.0` or `.name`.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Index(u32),
    Field(String),
}

/// A caller's parameter projected along a path (`p`, `p.0`, `u.nonce`).
type Place = (usize, Vec<Step>);

/// How a value passed in a call relates to the caller's parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Rel {
    /// Exactly this place of the caller's parameters.
    Same(Place),
    /// A value smaller than this place, in `Order`.
    Smaller(Place, Order),
}

/// What a name in scope stands for.
#[derive(Clone, Debug)]
enum Binding {
    /// The caller's parameter `k`.
    Param(usize),
    /// A quantified variable; when its quantifier descends from a place of the caller's
    /// parameters: that place, the element parts that are smaller, and the order.
    Quantified(Option<(Place, &'static [&'static [u32]], Order)>),
}

/// Names in scope, innermost last.
type Scope<'a> = Vec<(&'a str, Binding)>;

/// One call from member `from` to member `to` of the group.
struct Edge<'a> {
    from: usize,
    to: usize,
    /// The call's arguments, and the names in scope there.
    args: &'a [Expr],
    scope: Scope<'a>,
    span: ast::Span,
}

impl Edge<'_> {
    /// How the value at `place` of the callee's parameters relates to the caller's.
    fn rel_at(&self, place: &Place) -> Option<Rel> {
        let mut e = self.args.get(place.0)?;
        let mut rest = place.1.as_slice();
        // Through literal tuples and structs built in the call.
        while let Some(step) = rest.first() {
            e = match (e, step) {
                (Expr::Tuple(es, _), Step::Index(i)) => es.get(*i as usize)?,
                (Expr::Struct(_, fs, _), Step::Field(f)) => {
                    &fs.iter().find(|(n, _)| n.name == *f)?.1
                }
                _ => break,
            };
            rest = &rest[1..];
        }
        match rel(e, &self.scope)? {
            Rel::Same((k, mut path)) => {
                path.extend(rest.iter().cloned());
                Some(Rel::Same((k, path)))
            }
            // A part of a smaller value need not be smaller.
            r @ Rel::Smaller(..) if rest.is_empty() => Some(r),
            Rel::Smaller(..) => None,
        }
    }
}

/// A call cycle that the rule cannot show to descend.
#[derive(Debug)]
pub(crate) struct NoDescent {
    /// Index (into the member list) of the caller of the reported call.
    pub(crate) member: usize,
    /// The members on the cycle, starting at `member`.
    pub(crate) cycle: Vec<usize>,
    /// The reported call (one that shrinks nothing, when there is one).
    pub(crate) span: ast::Span,
}

/// Groups are a handful of small definitions; past this many measure choices, refuse.
const MAX_TRIES: usize = 1 << 16;

/// Checks the descent rule for one group (`members` with their definitions, in index order).
/// `Ok` when some measure works; else the cycle to report.
pub(crate) fn check(defs: &[&ast::Def], registry: &Registry) -> Result<(), NoDescent> {
    let mut edges = Vec::new();
    for (i, d) in defs.iter().enumerate() {
        let mut scope: Scope = d
            .params
            .iter()
            .enumerate()
            .map(|(k, p)| (p.name.name.as_str(), Binding::Param(k)))
            .collect();
        calls(&d.body, defs, i, registry, &mut scope, &mut edges);
    }
    // Candidate measures: every place something is smaller than, and every whole parameter.
    let mut places: Vec<Place> = Vec::new();
    for e in &edges {
        for a in e.args {
            smaller_places(a, &e.scope, &mut places);
        }
    }
    let arity = defs.iter().map(|d| d.params.len()).max().unwrap_or(0);
    for k in 0..arity {
        if !places.contains(&(k, Vec::new())) {
            places.push((k, Vec::new()));
        }
    }
    let choices: Vec<Vec<(Place, Order)>> = defs
        .iter()
        .map(|d| {
            places
                .iter()
                .filter(|(k, _)| *k < d.params.len())
                .flat_map(|p| [(p.clone(), Order::Numeric), (p.clone(), Order::Commitment)])
                .collect()
        })
        .collect();
    let total = choices
        .iter()
        .try_fold(1usize, |a, c| a.checked_mul(c.len()))
        .unwrap_or(usize::MAX);
    if total == 0 || total > MAX_TRIES {
        return Err(report(&edges, defs.len()));
    }
    let mut pick = vec![0usize; defs.len()];
    loop {
        let m: Vec<&(Place, Order)> = pick.iter().zip(&choices).map(|(&p, c)| &c[p]).collect();
        if descends(&edges, &m, defs.len()) {
            return Ok(());
        }
        // Next combination (odometer).
        let mut i = 0;
        loop {
            if i == pick.len() {
                return Err(report(&edges, defs.len()));
            }
            pick[i] += 1;
            if pick[i] < choices[i].len() {
                break;
            }
            pick[i] = 0;
            i += 1;
        }
    }
}

/// Whether measure `m` makes every edge non-increasing and the non-shrinking edges acyclic.
fn descends(edges: &[Edge], m: &[&(Place, Order)], n: usize) -> bool {
    let mut same = DiGraph::<(), ()>::new();
    let nodes: Vec<_> = (0..n).map(|_| same.add_node(())).collect();
    for e in edges {
        let (pf, of) = m[e.from];
        let (pt, ot) = m[e.to];
        if of != ot {
            return false;
        }
        match e.rel_at(pt) {
            Some(Rel::Same(p)) if p == *pf => {
                same.add_edge(nodes[e.from], nodes[e.to], ());
            }
            Some(Rel::Smaller(p, o)) if p == *pf && o == *of => {}
            _ => return false,
        }
    }
    !petgraph::algo::is_cyclic_directed(&same)
}

/// The cycle to report when no measure works: a cycle of the call graph, preferring one
/// through a call that shrinks nothing at all.
fn report(edges: &[Edge], n: usize) -> NoDescent {
    let mut g = DiGraph::<usize, usize>::new();
    let nodes: Vec<_> = (0..n).map(|i| g.add_node(i)).collect();
    for (i, e) in edges.iter().enumerate() {
        g.add_edge(nodes[e.from], nodes[e.to], i);
    }
    let shrinks_nothing = |e: &Edge| {
        let mut found = Vec::new();
        e.args
            .iter()
            .for_each(|a| smaller_places(a, &e.scope, &mut found));
        found.is_empty()
    };
    // Calls on a cycle, those that shrink nothing first, then in source order.
    let mut best: Option<(bool, usize)> = None;
    for scc in petgraph::algo::tarjan_scc(&g) {
        let set: Vec<usize> = scc.iter().map(|x| g[*x]).collect();
        for (i, e) in edges.iter().enumerate() {
            let on_cycle =
                set.contains(&e.from) && set.contains(&e.to) && (set.len() > 1 || e.from == e.to);
            if !on_cycle {
                continue;
            }
            let better = match best {
                None => true,
                Some((b, j)) => {
                    (shrinks_nothing(e), std::cmp::Reverse(i)) > (b, std::cmp::Reverse(j))
                }
            };
            if better {
                best = Some((shrinks_nothing(e), i));
            }
        }
    }
    let Some((_, i)) = best else {
        // Unreachable for a group (it has a cycle); report its first member.
        return NoDescent {
            member: 0,
            cycle: vec![0],
            span: ast::Span::default(),
        };
    };
    let e = &edges[i];
    // The cycle: the reported call, then a shortest way back from its callee.
    let mut cycle = vec![e.from];
    if e.to != e.from {
        let back = petgraph::algo::astar(&g, nodes[e.to], |x| x == nodes[e.from], |_| 1, |_| 0);
        if let Some((_, path)) = back {
            cycle.extend(path[..path.len() - 1].iter().map(|x| g[*x]));
        }
    }
    NoDescent {
        member: e.from,
        cycle,
        span: e.span,
    }
}

/// Collects the in-group calls of `f` (in member `from`'s body).
fn calls<'a>(
    f: &'a Formula,
    defs: &[&ast::Def],
    from: usize,
    registry: &Registry,
    scope: &mut Scope<'a>,
    out: &mut Vec<Edge<'a>>,
) {
    match f {
        Formula::Not(p, _) => calls(p, defs, from, registry, scope, out),
        Formula::And(ps, _) | Formula::Or(ps, _) => ps
            .iter()
            .for_each(|p| calls(p, defs, from, registry, scope, out)),
        Formula::Forall(q) | Formula::Exists(q) => {
            let descent = registry.quantifier(&q.domain.name.name).and_then(|qq| {
                let d = qq.descent()?;
                // The argument is a place of the parameters, or (transitively) smaller than one.
                match rel(q.domain.args.get(d.arg)?, scope)? {
                    Rel::Same(p) => Some((p, d.parts, d.order)),
                    Rel::Smaller(p, o) if o == d.order => Some((p, d.parts, d.order)),
                    Rel::Smaller(..) => None,
                }
            });
            scope.push((q.var.name.as_str(), Binding::Quantified(descent)));
            calls(&q.body, defs, from, registry, scope, out);
            scope.pop();
        }
        Formula::Witness(_) => {}
        Formula::Call(c) => {
            if let Some(to) = defs.iter().position(|d| d.name.name == c.name.name) {
                out.push(Edge {
                    from,
                    to,
                    args: &c.args,
                    scope: scope.clone(),
                    span: c.name.span,
                });
            }
        }
    }
}

/// How expression `e` relates to the caller's parameters, if it is a projection of a name.
fn rel(e: &Expr, scope: &Scope) -> Option<Rel> {
    let mut path = Vec::new();
    let mut cur = e;
    while let Expr::Field(inner, field) = cur {
        path.push(match field {
            FieldRef::Index(i, _) => Step::Index(*i),
            FieldRef::Named(n) => Step::Field(n.name.clone()),
        });
        cur = inner;
    }
    path.reverse();
    let Expr::Var(v) = cur else { return None };
    // The innermost binding of the name decides.
    match &scope.iter().rev().find(|(n, _)| *n == v.name)?.1 {
        Binding::Param(k) => Some(Rel::Same((*k, path))),
        Binding::Quantified(d) => {
            let (place, parts, order) = d.as_ref()?;
            let indices: Option<Vec<u32>> = path
                .iter()
                .map(|s| match s {
                    Step::Index(i) => Some(*i),
                    Step::Field(_) => None,
                })
                .collect();
            let indices = indices?;
            parts
                .contains(&indices.as_slice())
                .then(|| Rel::Smaller(place.clone(), *order))
        }
    }
}

/// The places of the caller's parameters that some part of `e` is smaller than.
fn smaller_places(e: &Expr, scope: &Scope, out: &mut Vec<Place>) {
    match e {
        Expr::Tuple(es, _) | Expr::Array(es, _) => {
            es.iter().for_each(|e| smaller_places(e, scope, out))
        }
        Expr::Struct(_, fs, _) => fs.iter().for_each(|(_, e)| smaller_places(e, scope, out)),
        _ => {
            if let Some(Rel::Smaller(p, _)) = rel(e, scope) {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
    }
}
