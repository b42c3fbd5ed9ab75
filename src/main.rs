//! The `ogs` command-line tool.

fn main() {
    // Behave like other Unix tools when the reader of our output goes away
    // (`ogs check --verbose | head`): end quietly instead of panicking on EPIPE.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any other
    // thread exists; no Rust invariant depends on the signal's handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(ogs::cli::main());
}
