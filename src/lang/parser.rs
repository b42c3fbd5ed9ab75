//! The `nom` parser: claim text → [`ast::File`](super::ast::File).
//!
//! The grammar is `grammar/ogs.ebnf`; each parser function quotes the rule it
//! implements. The parser never panics: nesting is bounded, every failure is a
//! [`Diagnostic`], and after an error it resynchronises at the next item so one
//! run reports every broken item in the file.

use super::ast::*;
use super::diag::{Diagnostic, FileId};
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char, satisfy};
use nom::combinator::{not, peek, recognize};
use nom::error::{ErrorKind, ParseError};
use nom::sequence::pair;
use nom::Parser;
use std::cell::{Cell, RefCell};

/// Words that cannot be used as names.
pub const RESERVED: &[&str] = &[
    "def", "struct", "use", "not", "and", "or", "forall", "exists", "in", "witness", "true",
    "false", "address", "bytes32", "uint256", "bytes", "bool",
];

/// The built-in scalar type names.
pub(crate) const SCALAR_TYPES: &[&str] = &["address", "bytes32", "uint256", "bytes", "bool"];

/// Deepest nesting of formulas, expressions or types the parser accepts.
pub(crate) const MAX_DEPTH: u32 = 200;

/// Parses a whole file, returning the items it could read and every error.
pub fn parse_file(src: &str, file: FileId) -> (File, Vec<Diagnostic>) {
    let p = P::new(src, file);
    let items = p.file();
    (File { items }, p.diags.into_inner())
}

/// Parses a single formula (e.g. the `--claim` text of the CLI).
pub fn parse_formula(src: &str, file: FileId) -> (Option<Formula>, Vec<Diagnostic>) {
    let p = P::new(src, file);
    let res = match p.formula(src) {
        Ok((rest, f)) => {
            let rest = p.ws(rest);
            if rest.is_empty() {
                Some(f)
            } else {
                p.report(PErr::at(
                    p.off(rest),
                    "unexpected text after the claim",
                    "the claim should end here",
                ));
                None
            }
        }
        Err(e) => {
            p.report_nom(e);
            None
        }
    };
    (res, p.diags.into_inner())
}

/// A parse failure at one place.
#[derive(Debug, Clone)]
pub(crate) struct PErr {
    pos: usize,
    end: usize,
    message: String,
    label: String,
    help: Option<String>,
}

impl PErr {
    fn at(pos: usize, message: impl Into<String>, label: impl Into<String>) -> Self {
        PErr {
            pos,
            end: pos,
            message: message.into(),
            label: label.into(),
            help: None,
        }
    }
    fn help(mut self, h: impl Into<String>) -> Self {
        self.help = Some(h.into());
        self
    }
    fn to(mut self, end: usize) -> Self {
        self.end = end;
        self
    }
}

/// `nom` needs its error type to be constructible from an input; we only keep
/// a placeholder, because every place that can fail names its own expectation.
impl<'a> ParseError<&'a str> for PErr {
    fn from_error_kind(input: &'a str, kind: ErrorKind) -> Self {
        PErr {
            pos: usize::MAX - input.len(),
            end: usize::MAX - input.len(),
            message: format!("unexpected input ({kind:?})"),
            label: "here".into(),
            help: None,
        }
    }
    fn append(_: &'a str, _: ErrorKind, other: Self) -> Self {
        other
    }
}

type R<'a, T> = Result<(&'a str, T), nom::Err<PErr>>;

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}
fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

struct P<'a> {
    src: &'a str,
    file: FileId,
    diags: RefCell<Vec<Diagnostic>>,
    depth: Cell<u32>,
    comment_reported: Cell<bool>,
}

impl<'a> P<'a> {
    fn new(src: &'a str, file: FileId) -> Self {
        P {
            src,
            file,
            diags: RefCell::new(Vec::new()),
            depth: Cell::new(0),
            comment_reported: Cell::new(false),
        }
    }

    fn off(&self, i: &str) -> usize {
        self.src.len() - i.len()
    }

    fn span(&self, start: usize, rest: &str) -> Span {
        Span::new(start, self.off(rest))
    }

    /// Turns a `nom` placeholder error position (see `from_error_kind`) into an offset.
    fn fix_pos(&self, pos: usize) -> usize {
        if pos > self.src.len() {
            self.src.len() - (usize::MAX - pos)
        } else {
            pos
        }
    }

    fn report(&self, e: PErr) {
        let mut pos = self.fix_pos(e.pos).min(self.src.len());
        let end = self.fix_pos(e.end).clamp(pos, self.src.len());
        let mut label = e.label;
        // Point at one character at least, so the snippet shows something; at
        // the end of the input, at the last character, saying so.
        let end = if end > pos {
            end
        } else if let Some(c) = self.src[pos..].chars().next() {
            pos + c.len_utf8()
        } else if let Some(c) = self.src.chars().next_back() {
            pos = self.src.len() - c.len_utf8();
            label = format!("the input ends here; {label}");
            self.src.len()
        } else {
            pos
        };
        let mut d = Diagnostic::new(
            "ogs::parse",
            self.file,
            Span::new(pos, end),
            e.message,
            label,
        );
        d.help = e.help;
        self.diags.borrow_mut().push(d);
    }

    fn report_nom(&self, e: nom::Err<PErr>) {
        match e {
            nom::Err::Error(e) | nom::Err::Failure(e) => self.report(e),
            nom::Err::Incomplete(_) => self.report(PErr::at(
                self.src.len(),
                "unexpected end of input",
                "input ends here",
            )),
        }
    }

    fn fail<T>(&self, i: &str, message: &str, label: &str) -> R<'a, T> {
        Err(nom::Err::Error(PErr::at(self.off(i), message, label)))
    }

    fn enter(&self, i: &str) -> Result<(), nom::Err<PErr>> {
        let d = self.depth.get() + 1;
        self.depth.set(d);
        if d > MAX_DEPTH {
            Err(nom::Err::Failure(
                PErr::at(
                    self.off(i),
                    "nesting too deep",
                    "nesting limit reached here",
                )
                .help(format!(
                    "claims may nest at most {MAX_DEPTH} levels; split it into definitions"
                )),
            ))
        } else {
            Ok(())
        }
    }
    fn leave(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }

    // ---------------------------------------------------------------- lexical

    /// `ws = { white_space | line_comment | block_comment } ;`
    fn ws(&self, mut i: &'a str) -> &'a str {
        loop {
            let t = i.trim_start();
            if let Some(rest) = t.strip_prefix("//") {
                i = rest.find('\n').map_or("", |n| &rest[n..]);
            } else if let Some(rest) = t.strip_prefix("/*") {
                match rest.find("*/") {
                    Some(n) => i = &rest[n + 2..],
                    None => {
                        // `ws` runs many times over the same comment: report it once.
                        if self.comment_reported.replace(true) {
                            return "";
                        }
                        self.report(
                            PErr::at(
                                self.off(t),
                                "unterminated block comment",
                                "comment starts here",
                            )
                            .to(self.off(t) + 2)
                            .help("close it with `*/`"),
                        );
                        i = "";
                    }
                }
            } else {
                return t;
            }
        }
    }

    /// A punctuation token.
    fn sym(&self, i: &'a str, s: &'static str) -> R<'a, Span> {
        let i = self.ws(i);
        let start = self.off(i);
        match tag::<_, _, PErr>(s).parse(i) {
            Ok((rest, _)) => Ok((rest, self.span(start, rest))),
            Err(_) => self.fail(
                i,
                &format!("expected `{s}`"),
                &format!("expected `{s}` here"),
            ),
        }
    }

    fn peek_sym(&self, i: &'a str, s: &str) -> bool {
        self.ws(i).starts_with(s)
    }

    /// A keyword: the word, not followed by an identifier character.
    fn kw(&self, i: &'a str, k: &'static str) -> R<'a, Span> {
        let i = self.ws(i);
        let start = self.off(i);
        let r: Result<_, nom::Err<PErr>> = (tag(k), not(peek(satisfy(is_ident_char)))).parse(i);
        match r {
            Ok((rest, _)) => Ok((rest, self.span(start, rest))),
            Err(_) => self.fail(
                i,
                &format!("expected `{k}`"),
                &format!("expected `{k}` here"),
            ),
        }
    }

    /// Whether keyword `k` comes next (no allocation: used on hot paths).
    fn peek_kw(&self, i: &'a str, k: &'static str) -> bool {
        let t = self.ws(i);
        t.starts_with(k) && !t[k.len()..].starts_with(is_ident_char)
    }

    /// A word: identifier characters, reserved or not.
    fn word(&self, i: &'a str) -> R<'a, (&'a str, Span)> {
        let i = self.ws(i);
        let start = self.off(i);
        let r: Result<_, nom::Err<PErr>> =
            recognize(pair(satisfy(is_ident_start), take_while(is_ident_char))).parse(i);
        match r {
            Ok((rest, w)) => Ok((rest, (w, self.span(start, rest)))),
            Err(_) => self.fail(i, "expected a name", "expected a name here"),
        }
    }

    /// `ident = letter { letter | digit | "_" } - reserved ;`
    fn ident(&self, i: &'a str, what: &str) -> R<'a, Ident> {
        let (rest, (w, span)) = match self.word(i) {
            Ok(x) => x,
            Err(_) => {
                let i = self.ws(i);
                return self.fail(
                    i,
                    &format!("expected {what}"),
                    &format!("expected {what} here"),
                );
            }
        };
        if RESERVED.contains(&w) {
            return Err(nom::Err::Error(
                PErr::at(
                    span.start,
                    format!("`{w}` is a reserved word"),
                    format!("expected {what}, found keyword `{w}`"),
                )
                .to(span.end)
                .help("reserved words cannot be used as names; pick another name"),
            ));
        }
        Ok((
            rest,
            Ident {
                name: w.to_string(),
                span,
            },
        ))
    }

    /// `string = '"' { char - '"' - newline } '"' ;`
    fn string(&self, i: &'a str) -> R<'a, (String, Span)> {
        let i = self.ws(i);
        let start = self.off(i);
        let Ok((body, _)) = char::<_, PErr>('"').parse(i) else {
            return self.fail(i, "expected a quoted path", "expected `\"…\"` here");
        };
        let (rest, s) = take_while::<_, _, PErr>(|c| c != '"' && c != '\n').parse(body)?;
        match char::<_, PErr>('"').parse(rest) {
            Ok((rest, _)) => Ok((rest, (s.to_string(), self.span(start, rest)))),
            Err(_) => Err(nom::Err::Failure(
                PErr::at(start, "unterminated string", "string starts here")
                    .to(self.off(rest))
                    .help("close the string with `\"` on the same line"),
            )),
        }
    }

    /// `number = digit { digit | "_" } | "0x" hex_digit { hex_digit | "_" } ;`
    fn number(&self, i: &'a str) -> R<'a, (Literal, Span)> {
        let i = self.ws(i);
        let start = self.off(i);
        if let Ok((rest, _)) = tag::<_, _, PErr>("0x").parse(i) {
            let (rest, digits) =
                take_while::<_, _, PErr>(|c: char| c.is_ascii_alphanumeric() || c == '_')
                    .parse(rest)?;
            let span = self.span(start, rest);
            let clean: String = digits.chars().filter(|c| *c != '_').collect();
            if let Some(bad) = clean.chars().find(|c| !c.is_ascii_hexdigit()) {
                self.report(
                    PErr::at(
                        span.start,
                        format!("invalid hex digit `{bad}`"),
                        "in this hex literal",
                    )
                    .to(span.end)
                    .help("hex literals use the digits 0-9 and a-f"),
                );
            } else if clean.is_empty() {
                self.report(
                    PErr::at(span.start, "empty hex literal", "no digits after `0x`")
                        .to(span.end)
                        .help("write at least one hex digit, e.g. `0x0`"),
                );
            }
            return Ok((rest, (Literal::Hex(clean.to_ascii_lowercase()), span)));
        }
        let (rest, digits) = take_while1::<_, _, PErr>(|c: char| c.is_ascii_digit() || c == '_')
            .parse(i)
            .or_else(|_| self.fail(i, "expected a number", "expected a number here"))?;
        let (rest, trailing) = take_while::<_, _, PErr>(is_ident_char).parse(rest)?;
        let span = self.span(start, rest);
        if !trailing.is_empty() {
            self.report(
                PErr::at(
                    span.start,
                    "invalid number",
                    "a number cannot contain letters",
                )
                .to(span.end)
                .help("hex numbers start with `0x`"),
            );
        }
        let clean: String = digits.chars().filter(|c| *c != '_').collect();
        Ok((rest, (Literal::Dec(clean), span)))
    }

    // ------------------------------------------------------------------ items

    /// `file = { item } ;` — with recovery: a broken item is reported and
    /// skipped up to the next line that starts an item.
    fn file(&self) -> Vec<Item> {
        let mut items = Vec::new();
        let mut i = self.src;
        loop {
            i = self.ws(i);
            if i.is_empty() {
                break;
            }
            // A failed item may leave the nesting counter raised.
            self.depth.set(0);
            match self.item(i) {
                Ok((rest, item)) => {
                    items.push(item);
                    i = rest;
                }
                Err(e) => {
                    self.report_nom(e);
                    i = self.resync(i);
                }
            }
        }
        items
    }

    /// Skips to the next line that begins with `def`, `struct` or `use`.
    fn resync(&self, i: &'a str) -> &'a str {
        let mut rest = i;
        loop {
            match rest.find('\n') {
                None => return "",
                Some(n) => rest = &rest[n + 1..],
            }
            let t = rest.trim_start_matches([' ', '\t', '\r']);
            if ["def", "struct", "use"].iter().any(|k| self.peek_kw(t, k)) {
                return t;
            }
        }
    }

    /// `item = use_item | struct_item | def_item ;`
    fn item(&self, i: &'a str) -> R<'a, Item> {
        if self.peek_kw(i, "use") {
            self.use_item(i).map(|(r, u)| (r, Item::Use(u)))
        } else if self.peek_kw(i, "struct") {
            self.struct_item(i).map(|(r, s)| (r, Item::Struct(s)))
        } else if self.peek_kw(i, "def") {
            self.def_item(i).map(|(r, d)| (r, Item::Def(d)))
        } else {
            let i = self.ws(i);
            let end = self.word(i).map_or(self.off(i), |(_, (_, s))| s.end);
            Err(nom::Err::Error(
                PErr::at(self.off(i), "expected `def`, `struct` or `use`", "not the start of an item")
                    .to(end)
                    .help("a file is a list of `use \"file.ogs\";`, `struct Name { … }` and `def name(…) := …;` items"),
            ))
        }
    }

    /// `use_item = "use" string [ ";" ] ;`
    fn use_item(&self, i: &'a str) -> R<'a, UseItem> {
        let (i, kw) = self.kw(i, "use")?;
        let (i, (path, span)) = self.string(i)?;
        let (i, end) = self.opt_semi(i, span);
        Ok((
            i,
            UseItem {
                path,
                span: kw.join(end),
            },
        ))
    }

    fn opt_semi(&self, i: &'a str, last: Span) -> (&'a str, Span) {
        if !self.peek_sym(i, ";") {
            return (i, last);
        }
        match self.sym(i, ";") {
            Ok((r, s)) => (r, s),
            Err(_) => (i, last),
        }
    }

    /// `struct_item = "struct" ident "{" [ field { "," field } [ "," ] ] "}" ;`
    fn struct_item(&self, i: &'a str) -> R<'a, StructDef> {
        let (i, kw) = self.kw(i, "struct")?;
        let (i, name) = self.ident(i, "a struct name").map_err(cut)?;
        let (i, _) = self.sym(i, "{").map_err(cut)?;
        let (i, fields) = self.list(i, "}", |i| self.param(i, "a field name"))?;
        let (i, close) = self.sym(i, "}").map_err(cut)?;
        Ok((
            i,
            StructDef {
                name,
                fields,
                span: kw.join(close),
            },
        ))
    }

    /// `def_item = "def" ident "(" [ param { "," param } [ "," ] ] ")" ":=" formula [ ";" ] ;`
    fn def_item(&self, i: &'a str) -> R<'a, Def> {
        let (i, kw) = self.kw(i, "def")?;
        let (i, name) = self.ident(i, "a definition name").map_err(cut)?;
        let (i, _) = self.sym(i, "(").map_err(|e| {
            cut(e).map(|e| e.help("a definition reads `def name(p: type, …) := formula`"))
        })?;
        let (i, params) = self.list(i, ")", |i| self.param(i, "a parameter name"))?;
        let (i, _) = self.sym(i, ")").map_err(cut)?;
        let (i, _) = self.sym(i, ":=").map_err(|e| {
            cut(e).map(|e| {
                e.help("a definition reads `def name(p: type, …) := formula` (note `:=`, not `=`)")
            })
        })?;
        let (i, body) = self.formula(i).map_err(cut)?;
        let (i, end) = self.opt_semi(i, body.span());
        Ok((
            i,
            Def {
                name,
                params,
                body,
                span: kw.join(end),
            },
        ))
    }

    /// `param = ident ":" type ;`
    fn param(&self, i: &'a str, what: &str) -> R<'a, Param> {
        let (i, name) = self.ident(i, what)?;
        let (i, _) = self.sym(i, ":").map_err(|e| {
            cut(e).map(|e| {
                e.help(format!(
                    "give `{}` a type, e.g. `{}: uint256`",
                    name.name, name.name
                ))
            })
        })?;
        let (i, ty) = self.ty(i).map_err(cut)?;
        Ok((i, Param { name, ty }))
    }

    /// Comma-separated elements up to (not including) `close`, trailing comma allowed.
    fn list<T>(
        &self,
        mut i: &'a str,
        close: &str,
        mut elem: impl FnMut(&'a str) -> R<'a, T>,
    ) -> R<'a, Vec<T>> {
        let mut out = Vec::new();
        loop {
            if self.peek_sym(i, close) {
                return Ok((i, out));
            }
            let (rest, e) = elem(i).map_err(cut)?;
            out.push(e);
            i = rest;
            match self.peek_sym(i, ",").then(|| self.sym(i, ",")) {
                Some(Ok((rest, _))) => i = rest,
                _ => {
                    if self.peek_sym(i, close) {
                        return Ok((i, out));
                    }
                    let j = self.ws(i);
                    return Err(nom::Err::Failure(
                        PErr::at(
                            self.off(j),
                            format!("expected `,` or `{close}`"),
                            format!("expected `,` or `{close}` here"),
                        )
                        .help("separate list elements with commas"),
                    ));
                }
            }
        }
    }

    /// `type = base_type { "[" "]" } ;`
    /// `base_type = "address" | "bytes32" | "uint256" | "bytes" | "bool" | ident | "(" type "," type { "," type } [ "," ] ")" ;`
    fn ty(&self, i: &'a str) -> R<'a, TypeExpr> {
        self.enter(i)?;
        let r = self.ty_inner(i);
        self.leave();
        r
    }

    fn ty_inner(&self, i: &'a str) -> R<'a, TypeExpr> {
        let start = self.off(self.ws(i));
        let (mut i, mut t) = if self.peek_sym(i, "(") {
            let (i, _) = self.sym(i, "(")?;
            let (i, elems) = self.list(i, ")", |i| self.ty(i))?;
            let (i, _) = self.sym(i, ")").map_err(cut)?;
            if elems.len() < 2 {
                return Err(nom::Err::Failure(
                    PErr::at(
                        start,
                        "a tuple type needs at least two elements",
                        "this tuple type",
                    )
                    .to(self.off(i))
                    .help("write the element type itself instead of a one-element tuple"),
                ));
            }
            (i, TypeExpr::Tuple(elems, self.span(start, i)))
        } else {
            match self.word(i) {
                Ok((rest, (w, span))) if SCALAR_TYPES.contains(&w) || !RESERVED.contains(&w) => (
                    rest,
                    TypeExpr::Named(Ident {
                        name: w.to_string(),
                        span,
                    }),
                ),
                _ => {
                    let j = self.ws(i);
                    return Err(nom::Err::Error(
                        PErr::at(self.off(j), "expected a type", "expected a type here")
                            .help("types are address, bytes32, uint256, bytes, bool, a struct name, T[] or (T1, T2)"),
                    ));
                }
            }
        };
        let outer = self.depth.get();
        while self.peek_sym(i, "[") {
            // Each suffix nests the type one level deeper.
            let entered = self.enter(i);
            if let Err(e) = entered {
                self.depth.set(outer);
                return Err(e);
            }
            let (r, _) = self.sym(i, "[")?;
            let (r, _) = self
                .sym(r, "]")
                .map_err(|e| cut(e).map(|e| e.help("arrays have no fixed length: write `T[]`")))?;
            i = r;
            t = TypeExpr::Array(Box::new(t), self.span(start, i));
        }
        self.depth.set(outer);
        Ok((i, t))
    }

    // --------------------------------------------------------------- formulas

    /// `formula = unary [ "and" unary { "and" unary } | "or" unary { "or" unary } ] ;`
    ///
    /// `and` and `or` never mix without parentheses: `a and b or c` is an error.
    fn formula(&self, i: &'a str) -> R<'a, Formula> {
        self.enter(i)?;
        let r = self.formula_inner(i);
        self.leave();
        r
    }

    fn formula_inner(&self, i: &'a str) -> R<'a, Formula> {
        let (mut i, first) = self.unary(i)?;
        let mut op: Option<&'static str> = None;
        let mut operands = vec![first];
        loop {
            let next = if self.peek_kw(i, "and") {
                "and"
            } else if self.peek_kw(i, "or") {
                "or"
            } else {
                break;
            };
            let (rest, op_span) = self.kw(i, next)?;
            match op {
                None => op = Some(next),
                Some(prev) if prev != next => {
                    self.report(
                        PErr::at(op_span.start, format!("`{prev}` and `{next}` cannot be mixed without parentheses"), format!("this `{next}` follows an `{prev}` chain"))
                            .to(op_span.end)
                            .help(format!("add parentheses to say which you mean: `(a {prev} b) {next} c` or `a {prev} (b {next} c)`")),
                    );
                    // Recover as if the chain so far were parenthesised.
                    let span = operands[0].span().join(operands[operands.len() - 1].span());
                    let chain = std::mem::take(&mut operands);
                    operands.push(make_chain(prev, chain, span));
                    op = Some(next);
                }
                _ => {}
            }
            let (rest, f) = self.unary(rest).map_err(cut)?;
            operands.push(f);
            i = rest;
        }
        Ok((
            i,
            match op {
                // `operands` holds exactly the first operand here.
                None => operands.swap_remove(0),
                Some(op) => {
                    let span = operands[0].span().join(operands[operands.len() - 1].span());
                    make_chain(op, operands, span)
                }
            },
        ))
    }

    /// `unary = "not" unary | primary ;`
    fn unary(&self, i: &'a str) -> R<'a, Formula> {
        if self.peek_kw(i, "not") {
            self.enter(i)?;
            let (rest, kw) = self.kw(i, "not")?;
            let r = self.unary(rest).map_err(cut);
            self.leave();
            let (rest, f) = r?;
            let span = kw.join(f.span());
            return Ok((rest, Formula::Not(Box::new(f), span)));
        }
        self.primary(i)
    }

    /// `primary = "(" formula ")" | quantified | "witness" call | call ;`
    fn primary(&self, i: &'a str) -> R<'a, Formula> {
        if self.peek_sym(i, "(") {
            let (i, open) = self.sym(i, "(")?;
            let (i, f) = self.formula(i).map_err(cut)?;
            let (i, _) = self.sym(i, ")").map_err(|e| {
                cut(e).map(|e| e.help(format!("the `(` at offset {} is not closed", open.start)))
            })?;
            return Ok((i, f));
        }
        for (k, is_forall) in [("forall", true), ("exists", false)] {
            if self.peek_kw(i, k) {
                let (i, q) = self.quantified(i, k)?;
                return Ok((
                    i,
                    if is_forall {
                        Formula::Forall(Box::new(q))
                    } else {
                        Formula::Exists(Box::new(q))
                    },
                ));
            }
        }
        if self.peek_kw(i, "witness") {
            let (i, kw) = self.kw(i, "witness")?;
            let (i, mut c) = self.call(i).map_err(|e| {
                cut(e).map(|e| {
                    e.help("`witness` is followed by a verifier call, e.g. `witness preimage(h)`")
                })
            })?;
            c.span = kw.join(c.span);
            return Ok((i, Formula::Witness(c)));
        }
        match self.call(i) {
            Ok((r, c)) => Ok((r, Formula::Call(c))),
            Err(nom::Err::Error(_)) => {
                let j = self.ws(i);
                let end = self.word(j).map_or(self.off(j), |(_, (_, s))| s.end);
                let word = self.word(j).ok().map(|(_, (w, _))| w);
                let found = match word {
                    _ if j.is_empty() => "the end of the input".to_string(),
                    Some(w) if RESERVED.contains(&w) => format!("keyword `{w}`"),
                    Some(w) => format!("`{w}`"),
                    None => format!("`{}`", j.chars().next().unwrap_or(' ')),
                };
                let help = match word {
                    Some("true" | "false") => "booleans are values, not formulas: test one with `eq(b, true)`",
                    Some(w) if !RESERVED.contains(&w) => "a name used as a formula is a call and needs parentheses: `name(…)`",
                    _ => "a formula is `not P`, `P and Q`, `P or Q`, `(P)`, `forall x in Q(…): P`, `exists x in Q(…): P`, `witness V(…)` or `name(…)`",
                };
                Err(nom::Err::Error(
                    PErr::at(
                        self.off(j),
                        "expected a formula",
                        format!("expected a formula, found {found}"),
                    )
                    .to(end)
                    .help(help),
                ))
            }
            Err(e) => Err(e),
        }
    }

    /// `quantified = ( "forall" | "exists" ) ident "in" call ":" formula ;`
    fn quantified(&self, i: &'a str, k: &'static str) -> R<'a, Quant> {
        let (i, kw) = self.kw(i, k)?;
        let (i, var) = self.ident(i, "a variable name").map_err(cut)?;
        let (i, _) = self.kw(i, "in").map_err(|e| {
            cut(e).map(|e| {
                e.help(format!(
                    "write `{k} {} in quantifier(args): formula`",
                    var.name
                ))
            })
        })?;
        let (i, domain) = self.call(i).map_err(cut)?;
        let (i, _) = self.sym(i, ":").map_err(|e| {
            cut(e).map(|e| e.help("the quantifier's domain is followed by `:` and the body"))
        })?;
        let (i, body) = self.formula(i).map_err(cut)?;
        let span = kw.join(body.span());
        Ok((
            i,
            Quant {
                var,
                domain,
                body,
                span,
            },
        ))
    }

    /// `call = ident "(" [ expr { "," expr } [ "," ] ] ")" ;`
    fn call(&self, i: &'a str) -> R<'a, Call> {
        let (i, name) = self.ident(i, "a name")?;
        let (i, _) = self.sym(i, "(").map_err(|e| {
            e.map(|e| {
                e.help(format!(
                    "calls need parentheses, even without arguments: `{}()`",
                    name.name
                ))
            })
        })?;
        let (i, args) = self.list(i, ")", |i| self.expr(i))?;
        let (i, close) = self.sym(i, ")").map_err(cut)?;
        let span = name.span.join(close);
        Ok((i, Call { name, args, span }))
    }

    // ------------------------------------------------------------ expressions

    /// `expr = atom_expr { "." ( ident | digits ) } ;`
    fn expr(&self, i: &'a str) -> R<'a, Expr> {
        self.enter(i)?;
        let r = self.expr_inner(i);
        self.leave();
        r
    }

    fn expr_inner(&self, i: &'a str) -> R<'a, Expr> {
        let (mut i, mut e) = self.atom_expr(i)?;
        let outer = self.depth.get();
        while self.peek_sym(i, ".") {
            // Each projection nests the expression one level deeper.
            if let Err(e) = self.enter(i) {
                self.depth.set(outer);
                return Err(e);
            }
            let (r, _) = self.sym(i, ".")?;
            let r2 = self.ws(r);
            if r2.starts_with(|c: char| c.is_ascii_digit()) {
                let start = self.off(r2);
                let (r3, digits) =
                    take_while1::<_, _, PErr>(|c: char| c.is_ascii_digit()).parse(r2)?;
                let span = self.span(start, r3);
                let idx = digits.parse::<u32>().map_err(|_| {
                    nom::Err::Failure(
                        PErr::at(start, "tuple index too large", "this index").to(span.end),
                    )
                })?;
                e = Expr::Field(Box::new(e), FieldRef::Index(idx, span));
                i = r3;
            } else {
                let (r3, f) = self.ident(r, "a field name").map_err(cut)?;
                e = Expr::Field(Box::new(e), FieldRef::Named(f));
                i = r3;
            }
        }
        self.depth.set(outer);
        Ok((i, e))
    }

    /// `atom_expr = literal | struct_lit | ident | "[" [ expr { "," expr } [ "," ] ] "]" | "(" expr "," expr { "," expr } [ "," ] ")" ;`
    fn atom_expr(&self, i: &'a str) -> R<'a, Expr> {
        let j = self.ws(i);
        let start = self.off(j);
        if j.starts_with(|c: char| c.is_ascii_digit()) {
            let (r, (lit, span)) = self.number(j)?;
            return Ok((r, Expr::Lit(lit, span)));
        }
        if self.peek_kw(j, "true") || self.peek_kw(j, "false") {
            let b = self.peek_kw(j, "true");
            let (r, span) = self.kw(j, if b { "true" } else { "false" })?;
            return Ok((r, Expr::Lit(Literal::Bool(b), span)));
        }
        if j.starts_with('[') {
            let (r, _) = self.sym(j, "[")?;
            let (r, elems) = self.list(r, "]", |i| self.expr(i))?;
            let (r, _) = self.sym(r, "]").map_err(cut)?;
            return Ok((r, Expr::Array(elems, self.span(start, r))));
        }
        if j.starts_with('(') {
            let (r, _) = self.sym(j, "(")?;
            let (r, elems) = self.list(r, ")", |i| self.expr(i))?;
            let (r, _) = self.sym(r, ")").map_err(cut)?;
            let span = self.span(start, r);
            return match elems.len() {
                0 | 1 => Err(nom::Err::Failure(
                    PErr::at(start, "a tuple needs at least two elements", "this tuple")
                        .to(span.end)
                        .help("values need no parentheses; tuples are written `(a, b)`"),
                )),
                _ => Ok((r, Expr::Tuple(elems, span))),
            };
        }
        let (r, name) = match self.ident(j, "a value") {
            Ok(x) => x,
            Err(nom::Err::Error(mut e)) => {
                e.message = "expected a value".into();
                e.help = Some("values are literals (`42`, `0x…`, `true`), names, `Struct { f: v }`, `[a, b]`, `(a, b)` and projections `x.f`".into());
                return Err(nom::Err::Error(e));
            }
            Err(e) => return Err(e),
        };
        if self.peek_sym(r, "{") {
            let (r, _) = self.sym(r, "{")?;
            let (r, fields) = self.list(r, "}", |i| {
                let (i, f) = self.ident(i, "a field name")?;
                let (i, _) = self
                    .sym(i, ":")
                    .map_err(|e| cut(e).map(|e| e.help(format!("write `{}: value`", f.name))))?;
                let (i, v) = self.expr(i).map_err(cut)?;
                Ok((i, (f, v)))
            })?;
            let (r, _) = self.sym(r, "}").map_err(cut)?;
            return Ok((r, Expr::Struct(name, fields, self.span(start, r))));
        }
        Ok((r, Expr::Var(name)))
    }
}

fn make_chain(op: &str, operands: Vec<Formula>, span: Span) -> Formula {
    if op == "and" {
        Formula::And(operands, span)
    } else {
        Formula::Or(operands, span)
    }
}

/// Commits to an alternative: a recoverable error becomes a failure.
fn cut(e: nom::Err<PErr>) -> nom::Err<PErr> {
    match e {
        nom::Err::Error(e) => nom::Err::Failure(e),
        other => other,
    }
}
