//! The `ogs` command-line tool.

fn main() {
    std::process::exit(ogs::cli::main());
}
