//! `ogs mips`: run, trace and check programs on the MIPS fault-proof VM.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::fpvm::check::check_elf;
use crate::fpvm::{MemoryOracle, Tracer, Vm};

/// Steps run between progress-bar updates.
const PROGRESS_CHUNK: u64 = 10_000_000;
/// Runs longer than this many steps get a progress bar (on a terminal).
const PROGRESS_THRESHOLD: u64 = 50_000_000;

/// Subcommands of `ogs mips`.
#[derive(Debug, clap::Subcommand)]
pub enum MipsCmd {
    /// Run an ELF to completion (or the step limit) and print the final state.
    Run {
        /// The MIPS32 big-endian ELF executable.
        elf: PathBuf,
        /// Local pre-image input: `INDEX=HEX` stores the bytes under the local key of INDEX
        /// (decimal). Repeatable.
        #[arg(long = "input", value_name = "KEY=HEX")]
        inputs: Vec<String>,
        /// Adds the file's contents as a keccak256 pre-image. Repeatable.
        #[arg(long = "preimage", value_name = "FILE")]
        preimages: Vec<PathBuf>,
        /// Stop after this many steps.
        #[arg(long, default_value_t = u64::MAX)]
        max_steps: u64,
        /// Do not copy the program's stdout/stderr to ours.
        #[arg(long)]
        quiet: bool,
    },
    /// Print the witness of one step: pre-state, both memory proofs, post-state hash.
    Witness {
        /// The MIPS32 big-endian ELF executable.
        elf: PathBuf,
        /// The step (number of steps executed before it).
        #[arg(long)]
        step: u64,
        /// Local pre-image input `INDEX=HEX`. Repeatable.
        #[arg(long = "input", value_name = "KEY=HEX")]
        inputs: Vec<String>,
        /// Adds the file's contents as a keccak256 pre-image. Repeatable.
        #[arg(long = "preimage", value_name = "FILE")]
        preimages: Vec<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List the instruction words in the executable code the VM cannot run, branches in delay
    /// slots, and the syscall numbers that can be read off the code. Exit code 1 if any
    /// instruction is unsupported.
    Check {
        /// The MIPS32 big-endian ELF executable.
        elf: PathBuf,
    },
}

/// Runs a `mips` subcommand; returns the process exit code.
pub fn run(cmd: MipsCmd) -> Result<i32> {
    match cmd {
        MipsCmd::Run {
            elf,
            inputs,
            preimages,
            max_steps,
            quiet,
        } => run_elf(&elf, &inputs, &preimages, max_steps, quiet),
        MipsCmd::Witness {
            elf,
            step,
            inputs,
            preimages,
            json,
        } => witness(&elf, step, &inputs, &preimages, json),
        MipsCmd::Check { elf } => check(&elf),
    }
}

fn oracle_from_args(inputs: &[String], preimages: &[PathBuf]) -> Result<MemoryOracle> {
    let mut oracle = MemoryOracle::new();
    for input in inputs {
        let (index, value) = input
            .split_once('=')
            .with_context(|| format!("--input {input:?}: expected KEY=HEX"))?;
        let index: u64 = index
            .trim()
            .parse()
            .with_context(|| format!("--input {input:?}: KEY must be a decimal index"))?;
        let value = value.trim();
        let value = value.strip_prefix("0x").unwrap_or(value);
        let bytes = hex::decode(value).with_context(|| format!("--input {input:?}: bad hex"))?;
        oracle.insert_local(index, bytes);
    }
    for path in preimages {
        oracle
            .insert_keccak_file(path)
            .with_context(|| format!("reading pre-image file {}", path.display()))?;
    }
    Ok(oracle)
}

fn load(elf: &PathBuf, oracle: MemoryOracle) -> Result<Vm> {
    let bytes = std::fs::read(elf).with_context(|| format!("reading {}", elf.display()))?;
    Vm::from_elf(&bytes, oracle).with_context(|| format!("loading {}", elf.display()))
}

fn run_elf(
    elf: &PathBuf,
    inputs: &[String],
    preimages: &[PathBuf],
    max_steps: u64,
    quiet: bool,
) -> Result<i32> {
    let mut vm = load(elf, oracle_from_args(inputs, preimages)?)?;
    let bar = (std::io::stderr().is_terminal() && max_steps > PROGRESS_THRESHOLD).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar
    });
    let started = Instant::now();
    let mut remaining = max_steps;
    let result = loop {
        let chunk = if bar.is_some() {
            remaining.min(PROGRESS_CHUNK)
        } else {
            remaining
        };
        match vm.run(chunk) {
            Err(e) => break Err(e),
            Ok(out) => {
                remaining -= out.steps;
                if let Some(bar) = &bar {
                    bar.set_message(format!("{} steps", vm.step_count()));
                    bar.tick();
                }
                if out.exited() || remaining == 0 || out.steps < chunk {
                    break Ok(out);
                }
            }
        }
    };
    let elapsed = started.elapsed();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if !quiet {
        use std::io::Write;
        std::io::stdout().write_all(vm.stdout())?;
        std::io::stderr().write_all(vm.stderr())?;
    }
    let steps = vm.step_count();
    let rate = steps as f64 / elapsed.as_secs_f64().max(1e-9);
    let hash = vm.state_hash();
    eprintln!("steps:       {steps}");
    match vm.exit_code() {
        Some(code) => eprintln!("exit code:   {code}"),
        None => eprintln!("exit code:   (not exited)"),
    }
    eprintln!("status:      {}", vm.status().name());
    eprintln!("state hash:  0x{}", hex::encode(hash));
    eprintln!(
        "time:        {:.3} s ({:.1} M instructions/s)",
        elapsed.as_secs_f64(),
        rate / 1e6
    );
    if let Err(e) = result {
        eprintln!("exception:   {e}");
        return Ok(2);
    }
    Ok(vm.exit_code().map_or(0, i32::from))
}

fn witness(
    elf: &PathBuf,
    step: u64,
    inputs: &[String],
    preimages: &[PathBuf],
    json: bool,
) -> Result<i32> {
    let vm = load(elf, oracle_from_args(inputs, preimages)?)?;
    let mut tracer = Tracer::new(vm, u64::MAX);
    let w = tracer
        .witness(step)
        .with_context(|| format!("step {step} raises an exception"))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&w.to_json())?);
        return Ok(0);
    }
    println!("step:            {}", w.step);
    println!("pre-state:       0x{}", hex::encode(w.state));
    println!("pre-state hash:  0x{}", hex::encode(w.state_hash));
    println!("insn proof:      0x{}", hex::encode(w.insn_proof));
    match w.mem_addr {
        Some(a) => println!("mem proof addr:  {a:#010x}"),
        None => println!("mem proof addr:  (none: zero proof)"),
    }
    println!("mem proof:       0x{}", hex::encode(w.mem_proof));
    println!("post-state hash: 0x{}", hex::encode(w.post_state_hash));
    if let Some(p) = &w.preimage {
        println!("pre-image key:   0x{}", hex::encode(p.key));
        println!("pre-image off:   {}", p.offset);
        println!("pre-image len:   {}", p.value.len());
    }
    Ok(0)
}

fn check(elf: &PathBuf) -> Result<i32> {
    let bytes = std::fs::read(elf).with_context(|| format!("reading {}", elf.display()))?;
    let report = check_elf(&bytes).with_context(|| format!("parsing {}", elf.display()))?;
    println!("{} instruction words examined", report.words);
    for w in &report.invalid {
        println!(
            "unsupported  {:#010x}: {:#010x}  {}",
            w.addr, w.insn, w.reason
        );
    }
    for a in &report.branch_in_delay_slot {
        println!("delay slot   {a:#010x}: branch/jump followed by a branch/jump");
    }
    for s in &report.syscalls {
        match (s.number, s.supported()) {
            (Some(n), Some(true)) => println!("syscall      {:#010x}: {n}", s.addr),
            (Some(n), _) => println!(
                "syscall      {:#010x}: {n} (unsupported: returns 0, no effect)",
                s.addr
            ),
            (None, _) => println!(
                "syscall      {:#010x}: number not determined statically",
                s.addr
            ),
        }
    }
    if report.invalid.is_empty() {
        println!("ok: every instruction is supported");
        Ok(0)
    } else {
        println!("{} unsupported instruction word(s)", report.invalid.len());
        if report.words == 0 {
            bail!("no code found");
        }
        Ok(1)
    }
}
