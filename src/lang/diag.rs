//! Diagnostics: errors with a place, a label and a hint, rendered together.

use super::ast::Span;
use std::fmt;
use std::sync::Arc;

/// Index of a file in a [`SourceMap`].
pub(crate) type FileId = usize;

/// One loaded source file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Display name (path as given, or `<claim>` for command-line text).
    pub name: String,
    /// Full text.
    pub text: Arc<str>,
}

/// All files a compilation read, so diagnostics can show snippets.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> FileId {
        self.files.push(SourceFile {
            name: name.into(),
            text: text.into(),
        });
        self.files.len() - 1
    }
    /// The file with this id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }
    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }
    /// Whether no file was added.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// One problem found in claim text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable machine-readable code, e.g. `ogs::parse::expected`.
    pub code: &'static str,
    /// One-line description.
    pub message: String,
    /// File the problem is in.
    pub file: FileId,
    /// Where.
    pub span: Span,
    /// Short label shown under the snippet.
    pub label: String,
    /// How to fix it, when there is something useful to say.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with no hint.
    pub fn new(
        code: &'static str,
        file: FileId,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            file,
            span,
            label: label.into(),
            help: None,
        }
    }
    /// Adds a hint.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A diagnostic joined with its source, ready for `miette` to render.
#[derive(Debug)]
struct Rendered<'a> {
    diag: &'a Diagnostic,
    src: miette::NamedSource<Arc<str>>,
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}
impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code))
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.diag.span;
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some(self.diag.label.clone()), span),
        )))
    }
}

/// Renders diagnostics as text with source snippets.
///
/// `color` selects ANSI colors (for terminals); without it the output is plain
/// Unicode, stable enough for snapshot tests.
pub fn render(map: &SourceMap, diags: &[Diagnostic], color: bool) -> String {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    for d in diags {
        let file = map.get(d.file);
        let r = Rendered {
            diag: d,
            src: miette::NamedSource::new(file.name.clone(), file.text.clone()),
        };
        // Writing into a String cannot fail.
        let _ = handler.render_report(&mut out, &r);
    }
    let errors = diags.len();
    if errors > 0 {
        out.push_str(&format!(
            "{} error{} found\n",
            errors,
            if errors == 1 { "" } else { "s" }
        ));
    }
    out
}
