//! The surface syntax tree produced by the parser.
//!
//! Every node carries a [`Span`]. Spans are *not* part of a node's identity:
//! two trees that differ only in where they came from compare equal, which is
//! what "print → parse is the identity on the AST" means.

use std::fmt;

/// A byte range `start..end` in one source file.
#[derive(Clone, Copy, Default)]
pub struct Span {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    /// Whether the span is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl PartialEq for Span {
    /// Spans never distinguish nodes (see the module docs).
    fn eq(&self, _: &Span) -> bool {
        true
    }
}
impl Eq for Span {}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.start, s.len()).into()
    }
}

/// An identifier with its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    /// The identifier text.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A parsed source file.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct File {
    /// Items in source order.
    pub items: Vec<Item>,
}

/// A top-level item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// `use "path.ogs";`
    Use(UseItem),
    /// `struct Name { field: type, … }`
    Struct(StructDef),
    /// `def name(p: type, …) := formula;`
    Def(Def),
}

/// `use "path";`: brings another file's structs and definitions into scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UseItem {
    /// The path as written (relative to the using file, or a library name).
    pub path: String,
    /// Span of the whole item.
    pub span: Span,
}

/// A named record type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructDef {
    /// Type name.
    pub name: Ident,
    /// Fields in declaration order (their order is their ABI order).
    pub fields: Vec<Param>,
    /// Span of the whole item.
    pub span: Span,
}

/// A typed name: a definition parameter or a struct field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// The name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
}

/// A definition: a named claim template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Def {
    /// Definition name.
    pub name: Ident,
    /// Parameters.
    pub params: Vec<Param>,
    /// The body.
    pub body: Formula,
    /// Span of the whole item.
    pub span: Span,
}

/// A type as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeExpr {
    /// `address`, `bytes32`, `uint256`, `bytes`, `bool`, or a struct name.
    Named(Ident),
    /// `T[]`
    Array(Box<TypeExpr>, Span),
    /// `(T1, T2, …)` with at least two elements.
    Tuple(Vec<TypeExpr>, Span),
}

impl TypeExpr {
    /// Where the type was written.
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Named(i) => i.span,
            TypeExpr::Array(_, s) | TypeExpr::Tuple(_, s) => *s,
        }
    }
}

/// A formula (a claim or claim template).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Formula {
    /// `not P`
    Not(Box<Formula>, Span),
    /// `P and Q and …` (two or more operands, one chain).
    And(Vec<Formula>, Span),
    /// `P or Q or …` (two or more operands, one chain).
    Or(Vec<Formula>, Span),
    /// `forall x in Q(args): P`
    Forall(Box<Quant>),
    /// `exists x in Q(args): P`
    Exists(Box<Quant>),
    /// `witness V(args)`: explicit WITNESS_EXISTS.
    Witness(Call),
    /// `name(args)`: a definition or an atomic test.
    Call(Call),
}

impl Formula {
    /// Where the formula was written.
    pub fn span(&self) -> Span {
        match self {
            Formula::Not(_, s) | Formula::And(_, s) | Formula::Or(_, s) => *s,
            Formula::Forall(q) | Formula::Exists(q) => q.span,
            Formula::Witness(c) | Formula::Call(c) => c.span,
        }
    }
}

/// The shared shape of `forall` and `exists`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quant {
    /// The bound variable.
    pub var: Ident,
    /// The quantifier and its arguments.
    pub domain: Call,
    /// The body, in which `var` is bound.
    pub body: Formula,
    /// Span of the whole formula.
    pub span: Span,
}

/// `name(arg, …)`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// Callee.
    pub name: Ident,
    /// Arguments.
    pub args: Vec<Expr>,
    /// Span of the whole call.
    pub span: Span,
}

/// A value expression (an argument).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// A literal.
    Lit(Literal, Span),
    /// A parameter or bound variable.
    Var(Ident),
    /// `e.field` or `e.0`
    Field(Box<Expr>, FieldRef),
    /// `Name { field: e, … }`
    Struct(Ident, Vec<(Ident, Expr)>, Span),
    /// `[e, …]`
    Array(Vec<Expr>, Span),
    /// `(e1, e2, …)` with at least two elements.
    Tuple(Vec<Expr>, Span),
}

impl Expr {
    /// Where the expression was written.
    pub fn span(&self) -> Span {
        match self {
            Expr::Lit(_, s) | Expr::Struct(_, _, s) | Expr::Array(_, s) | Expr::Tuple(_, s) => *s,
            Expr::Var(i) => i.span,
            Expr::Field(e, f) => e.span().join(f.span()),
        }
    }
}

/// The right-hand side of a projection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldRef {
    /// `.name`
    Named(Ident),
    /// `.0`, `.1`, …
    Index(u32, Span),
}

impl FieldRef {
    /// Where the projection was written.
    pub fn span(&self) -> Span {
        match self {
            FieldRef::Named(i) => i.span,
            FieldRef::Index(_, s) => *s,
        }
    }
}

/// A literal as written. Hex literals keep their digits: whether `0x05` is an
/// integer, an address or bytes is decided by the checker from context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    /// A decimal integer (digits only, arbitrary length; range-checked later).
    Dec(String),
    /// `0x…` hex digits (lower-cased, without the prefix).
    Hex(String),
    /// `true` / `false`
    Bool(bool),
}
