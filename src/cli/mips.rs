//! `ogs mips`: run, trace, check and benchmark programs on the MIPS fault-proof VM.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};

use crate::fpvm::check::check_elf;
use crate::fpvm::{Memory, MemoryOracle, Tracer, Vm};

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
    /// Measure the VM on one guest and print a table: fast-mode instructions/s, witness-mode
    /// cost per step (consecutive steps, and random steps through the snapshot tracer), the
    /// memory root after touching 100 MiB, and the same guest under `qemu-mips -cpu 4Kc`.
    /// Use a release build.
    Bench {
        /// The MIPS32 big-endian ELF executable; it must exit by itself.
        #[arg(default_value = DEFAULT_BENCH_ELF)]
        elf: PathBuf,
        /// Repetitions of every measurement; the fastest is reported.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
        runs: u32,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `mips` subcommand; returns the process exit code.
pub(super) fn run(cmd: MipsCmd) -> Result<i32> {
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
        MipsCmd::Bench { elf, runs, json } => bench(&elf, runs, json),
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

// ---------------------------------------------------------------------------------------------
// ogs mips bench
// ---------------------------------------------------------------------------------------------

/// Default guest of `ogs mips bench`, relative to the repository root: the compute-heavy one.
const DEFAULT_BENCH_ELF: &str = "tests/guests/bin/bench.elf";
/// Consecutive steps whose witnesses are produced (from the middle of the run).
const BENCH_CONSECUTIVE: u64 = 10_000;
/// Random steps whose witnesses are produced through the [`Tracer`].
const BENCH_RANDOM: usize = 100;
/// Snapshot interval of the [`Tracer`]: a random witness replays at most this many steps.
const BENCH_TRACER_INTERVAL: u64 = 1_000_000;
/// Seed of the random step numbers (fixed, so every run and every machine asks the same steps).
const BENCH_SEED: u64 = 0x6f67_735f_6d69_7073;
/// Bytes touched before the memory-root measurements: 100 MiB.
const BENCH_TOUCH_BYTES: u32 = 100 << 20;
/// First address touched (in an otherwise empty memory).
const BENCH_TOUCH_BASE: u32 = 0x1000_0000;
/// Bytes in a page of the VM memory (one word per page is the sparse case).
const BENCH_PAGE: usize = 4096;
/// Single-word stores, each followed by a root, averaged after the dense touch.
const BENCH_INCREMENTAL: u32 = 1_000;
/// The reference CPU run for comparison.
const QEMU: &str = "qemu-mips";
/// Arguments of [`QEMU`] before the ELF.
const QEMU_ARGS: [&str; 2] = ["-cpu", "4Kc"];

/// Fast mode: load the ELF and run it to its exit, in-process.
struct FastResult {
    /// Steps to exit.
    steps: u64,
    /// Exit code of the guest.
    exit_code: Option<u8>,
    /// Seconds spent in [`Vm::from_elf`] in the best run.
    load: f64,
    /// Seconds from the ELF bytes to the exit (load + run) in the best run.
    total: f64,
}

/// Witness mode: per-step costs.
struct WitnessResult {
    /// Step number of the first of the consecutive witnesses.
    first_step: u64,
    /// Consecutive witnesses produced.
    consecutive: u64,
    /// Seconds for all consecutive witnesses (best run).
    consecutive_total: f64,
    /// Seconds for one pass of the tracer over the whole run, taking snapshots (best run).
    tracer_pass: f64,
    /// Snapshots the tracer holds after its pass.
    snapshots: usize,
    /// Seconds for all random witnesses (best run).
    random_total: f64,
}

/// Memory root after writing to 100 MiB of fresh memory.
struct RootResult {
    /// Words written.
    words: u64,
    /// Pages allocated.
    pages: usize,
    /// Seconds to write the words (best run).
    touch: f64,
    /// Seconds for the first [`Memory::merkle_root`] afterwards (best run).
    root: f64,
    /// Keccak-256 hashes that root computes (estimate, see [`root_hashes`]).
    hashes: usize,
}

/// The three memory-root measurements.
struct MemoryResult {
    /// One word written per 4 KiB page.
    sparse: RootResult,
    /// Every word written.
    dense: RootResult,
    /// Mean seconds of one store plus root, on top of the dense 100 MiB (best run).
    incremental: f64,
}

/// The guest under `qemu-mips`.
enum QemuResult {
    /// `qemu-mips` is not on `PATH`.
    NotFound,
    /// It is, but could not be run.
    Failed(String),
    /// Wall time of the best run, process start to exit, and how it exited.
    Ran {
        /// Seconds.
        wall: f64,
        /// Exit code (`None`: killed by a signal).
        exit_code: Option<i32>,
    },
}

/// Everything `ogs mips bench` measures.
struct BenchReport {
    /// The command that produced the report.
    command: String,
    /// The guest.
    elf: PathBuf,
    /// Repetitions per measurement.
    runs: u32,
    /// Fast mode.
    fast: FastResult,
    /// Witness mode.
    witness: WitnessResult,
    /// Memory roots.
    memory: MemoryResult,
    /// The same guest under qemu.
    qemu: QemuResult,
}

/// `ogs mips bench`: measures, then prints a table (or JSON).
fn bench(elf: &Path, runs: u32, json: bool) -> Result<i32> {
    let bytes = std::fs::read(elf).with_context(|| {
        format!(
            "reading {} (the default is relative to the repository root; pass an ELF)",
            elf.display()
        )
    })?;
    Vm::from_elf(&bytes, MemoryOracle::new())
        .with_context(|| format!("loading {}", elf.display()))?;
    if cfg!(debug_assertions) {
        eprintln!("warning: debug build; build with --release for meaningful numbers");
    }
    let progress = std::io::stderr().is_terminal();
    let say = |what: &str| {
        if progress {
            eprintln!("measuring {what} …");
        }
    };
    say("fast mode");
    let fast = bench_fast(&bytes, runs)?;
    say("qemu-mips");
    let qemu = bench_qemu(elf, runs);
    say("witness mode");
    let witness = bench_witness(&bytes, fast.steps, runs)?;
    say("memory root");
    let memory = bench_memory(runs);
    let report = BenchReport {
        command: format!("ogs mips bench {} --runs {runs}", elf.display()),
        elf: elf.to_path_buf(),
        runs,
        fast,
        witness,
        memory,
        qemu,
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        print!("{}", report.table());
    }
    Ok(0)
}

/// Loads the ELF and runs it to its exit, `runs` times; keeps the fastest.
fn bench_fast(bytes: &[u8], runs: u32) -> Result<FastResult> {
    let mut best: Option<FastResult> = None;
    for _ in 0..runs {
        let started = Instant::now();
        let mut vm = Vm::from_elf(bytes, MemoryOracle::new())?;
        let load = started.elapsed().as_secs_f64();
        let out = vm.run(u64::MAX).map_err(|e| {
            anyhow!(
                "the guest raised an exception at step {}: {e}",
                vm.step_count()
            )
        })?;
        let total = started.elapsed().as_secs_f64();
        std::hint::black_box(vm.registers());
        let this = FastResult {
            steps: out.steps,
            exit_code: out.exit_code,
            load,
            total,
        };
        if best.as_ref().is_none_or(|b| this.total < b.total) {
            best = Some(this);
        }
    }
    best.ok_or_else(|| anyhow!("no run"))
}

/// The next output of the SplitMix64 generator; advances `*state`.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Witnesses for [`BENCH_CONSECUTIVE`] consecutive steps from the middle of the run, and for
/// [`BENCH_RANDOM`] random steps through a [`Tracer`]; `runs` times, keeping the fastest of
/// each.
fn bench_witness(bytes: &[u8], steps: u64, runs: u32) -> Result<WitnessResult> {
    let consecutive = BENCH_CONSECUTIVE.min(steps);
    let first_step = (steps - consecutive) / 2;
    let mut random_steps = Vec::with_capacity(BENCH_RANDOM);
    let mut seed = BENCH_SEED;
    for _ in 0..BENCH_RANDOM {
        random_steps.push(splitmix64(&mut seed) % steps.max(1));
    }
    let mut consecutive_total = f64::INFINITY;
    let mut tracer_pass = f64::INFINITY;
    let mut random_total = f64::INFINITY;
    let mut snapshots = 0;
    for _ in 0..runs {
        // Consecutive steps; the root is brought up to date first, so only the steps count.
        let mut vm = Vm::from_elf(bytes, MemoryOracle::new())?;
        vm.run(first_step)?;
        vm.state_hash();
        let started = Instant::now();
        for _ in 0..consecutive {
            std::hint::black_box(vm.step_with_witness()?);
        }
        consecutive_total = consecutive_total.min(started.elapsed().as_secs_f64());

        // The tracer's first pass (snapshots every interval), then random queries.
        let vm = Vm::from_elf(bytes, MemoryOracle::new())?;
        let mut tracer = Tracer::new(vm, BENCH_TRACER_INTERVAL);
        let started = Instant::now();
        tracer.seek(u64::MAX)?;
        tracer_pass = tracer_pass.min(started.elapsed().as_secs_f64());
        snapshots = tracer.snapshot_count();
        let started = Instant::now();
        for &step in &random_steps {
            let w = tracer.witness(step)?;
            if w.step != step {
                bail!("tracer answered step {} for step {step}", w.step);
            }
            std::hint::black_box(w);
        }
        random_total = random_total.min(started.elapsed().as_secs_f64());
    }
    Ok(WitnessResult {
        first_step,
        consecutive,
        consecutive_total,
        tracer_pass,
        snapshots,
        random_total,
    })
}

/// Writes one word every `stride` bytes over [`BENCH_TOUCH_BYTES`] of fresh memory (all
/// non-zero), then takes the root; `per_page` is the hashes inside each page
/// (see [`root_hashes`]). Returns the memory too.
fn touch_and_root(stride: usize, per_page: usize) -> (RootResult, Memory) {
    let mut m = Memory::new();
    let started = Instant::now();
    let mut words = 0u64;
    for a in (BENCH_TOUCH_BASE..BENCH_TOUCH_BASE + BENCH_TOUCH_BYTES).step_by(stride) {
        m.store_word(a, a | 1);
        words += 1;
    }
    let touch = started.elapsed().as_secs_f64();
    let started = Instant::now();
    std::hint::black_box(m.merkle_root());
    let root = started.elapsed().as_secs_f64();
    let pages = m.page_count();
    let r = RootResult {
        words,
        pages,
        touch,
        root,
        hashes: root_hashes(pages, per_page),
    };
    (r, m)
}

/// Keeps the faster of two root measurements.
fn faster(best: Option<RootResult>, this: RootResult) -> Option<RootResult> {
    match best {
        Some(b) if b.root <= this.root => Some(b),
        _ => Some(this),
    }
}

/// The memory root after touching 100 MiB sparsely and densely, and one store on top of the
/// dense case; `runs` times, keeping the fastest.
fn bench_memory(runs: u32) -> MemoryResult {
    let mut sparse = None;
    let mut dense = None;
    let mut incremental = f64::INFINITY;
    for _ in 0..runs {
        let (r, m) = touch_and_root(BENCH_PAGE, 7);
        drop(m);
        sparse = faster(sparse, r);
        let (r, mut m) = touch_and_root(4, 127);
        dense = faster(dense, r);
        let pages = BENCH_TOUCH_BYTES / BENCH_PAGE as u32;
        let started = Instant::now();
        for i in 0..BENCH_INCREMENTAL {
            let page = i.wrapping_mul(7919) % pages;
            m.store_word(
                BENCH_TOUCH_BASE + page * BENCH_PAGE as u32 + 4 * (i % 1024),
                i,
            );
            std::hint::black_box(m.merkle_root());
        }
        incremental =
            incremental.min(started.elapsed().as_secs_f64() / f64::from(BENCH_INCREMENTAL));
    }
    let none = || RootResult {
        words: 0,
        pages: 0,
        touch: 0.0,
        root: 0.0,
        hashes: 0,
    };
    MemoryResult {
        sparse: sparse.unwrap_or_else(none),
        dense: dense.unwrap_or_else(none),
        incremental,
    }
}

/// `name` in a directory of `PATH`, if there is one.
fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Runs the ELF under `qemu-mips -cpu 4Kc` `runs` times (output discarded); keeps the fastest
/// wall time, measured from spawning the process to its exit.
fn bench_qemu(elf: &Path, runs: u32) -> QemuResult {
    let Some(qemu) = find_on_path(QEMU) else {
        return QemuResult::NotFound;
    };
    let mut best = f64::INFINITY;
    let mut exit_code = None;
    for _ in 0..runs {
        let started = Instant::now();
        let status = Command::new(&qemu)
            .args(QEMU_ARGS)
            .arg(elf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let wall = started.elapsed().as_secs_f64();
        match status {
            Ok(s) => {
                exit_code = s.code();
                best = best.min(wall);
            }
            Err(e) => return QemuResult::Failed(format!("running {}: {e}", qemu.display())),
        }
    }
    QemuResult::Ran {
        wall: best,
        exit_code,
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits: Vec<char> = n.to_string().chars().collect();
    let head = match digits.len() % 3 {
        0 => 3,
        r => r,
    }
    .min(digits.len());
    let mut out: String = digits[..head].iter().collect();
    for group in digits[head..].chunks(3) {
        out.push(',');
        out.extend(group);
    }
    out
}

/// Seconds with a unit that keeps three or four significant digits.
fn human_secs(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else if s >= 1e-6 {
        format!("{:.1} µs", s * 1e6)
    } else {
        format!("{:.0} ns", s * 1e9)
    }
}

/// Instructions per second in millions.
fn human_rate(per_s: f64) -> String {
    format!("{:.1} M instr/s", per_s / 1e6)
}

/// `n / s`, or 0 for a zero time.
fn rate(n: u64, s: f64) -> f64 {
    if s > 0.0 {
        n as f64 / s
    } else {
        0.0
    }
}

/// The CPU model from `/proc/cpuinfo`, where there is one.
fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
}

/// Hardware threads available (large memory roots are hashed on up to 8 of them).
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Keccak-256 hashes to root `pages` contiguous pages with `per_page` hashes inside each (127
/// for a full page, 7 for a page with one non-zero leaf: all-zero subtrees are not hashed), plus
/// the nodes above them: about one per page, plus the path to the root.
fn root_hashes(pages: usize, per_page: usize) -> usize {
    pages * per_page + pages + 20
}

impl BenchReport {
    /// The guest's file name, for labels.
    fn name(&self) -> String {
        self.elf.file_name().map_or_else(
            || self.elf.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// The qemu command line.
    fn qemu_command(&self) -> String {
        format!("{QEMU} {} {}", QEMU_ARGS.join(" "), self.elf.display())
    }

    /// The rows of the table: measurement, result, notes.
    fn rows(&self) -> Vec<[String; 3]> {
        let f = &self.fast;
        let w = &self.witness;
        let m = &self.memory;
        let mib = BENCH_TOUCH_BYTES >> 20;
        let fast_rate = rate(f.steps, f.total);
        let mut rows = vec![
            [
                format!("fast mode, {}", self.name()),
                human_rate(fast_rate),
                format!(
                    "{} steps in {} (load {} + run), aim ≥ 100 M/s",
                    thousands(f.steps),
                    human_secs(f.total),
                    human_secs(f.load)
                ),
            ],
            [
                format!(
                    "witness mode, {} consecutive steps",
                    thousands(w.consecutive)
                ),
                format!(
                    "{}/step",
                    human_secs(w.consecutive_total / w.consecutive.max(1) as f64)
                ),
                format!(
                    "from step {}: pre-state, 2 proofs, post-state hash",
                    thousands(w.first_step)
                ),
            ],
            [
                "tracer pass (snapshots)".to_string(),
                human_secs(w.tracer_pass),
                format!(
                    "whole run, {} snapshot(s), one every {} steps",
                    w.snapshots,
                    thousands(BENCH_TRACER_INTERVAL)
                ),
            ],
            [
                format!("witness mode, {BENCH_RANDOM} random steps"),
                format!(
                    "{}/witness",
                    human_secs(w.random_total / BENCH_RANDOM as f64)
                ),
                format!(
                    "Tracer: restore a snapshot, replay ≤ {} steps",
                    thousands(BENCH_TRACER_INTERVAL)
                ),
            ],
            [
                format!("memory root, {mib} MiB, 1 word per 4 KiB page"),
                human_secs(m.sparse.root),
                format!(
                    "{} pages, ~{:.2} M hashes; aim < 100 ms; writing took {}",
                    thousands(m.sparse.pages as u64),
                    m.sparse.hashes as f64 / 1e6,
                    human_secs(m.sparse.touch)
                ),
            ],
            [
                format!("memory root, {mib} MiB, every word"),
                human_secs(m.dense.root),
                format!(
                    "~{:.1} M keccak-256 hashes (127 per page + the tree above), {} each on {} \
                     thread(s): 100 ms is out of reach; writing took {}",
                    m.dense.hashes as f64 / 1e6,
                    human_secs(
                        m.dense.root * threads().min(8) as f64 / m.dense.hashes.max(1) as f64
                    ),
                    threads().min(8),
                    human_secs(m.dense.touch)
                ),
            ],
            [
                format!("memory root after 1 more store ({mib} MiB)"),
                human_secs(m.incremental),
                "one page rehashed + 20 nodes above it".to_string(),
            ],
        ];
        match &self.qemu {
            QemuResult::NotFound => rows.push([
                self.qemu_command(),
                format!("{QEMU} not found"),
                "install qemu-user for the comparison".to_string(),
            ]),
            QemuResult::Failed(e) => {
                rows.push([self.qemu_command(), "failed".to_string(), e.clone()])
            }
            QemuResult::Ran { wall, exit_code } => {
                let ours = f.exit_code.map(i32::from);
                let exit_note = if *exit_code == ours {
                    String::new()
                } else {
                    format!(
                        "; exit {} (ours: {})",
                        exit_code.map_or("by signal".to_string(), |c| c.to_string()),
                        ours.map_or("none".to_string(), |c| c.to_string())
                    )
                };
                rows.push([
                    self.qemu_command(),
                    human_rate(rate(f.steps, *wall)),
                    format!(
                        "{} wall, process start to exit (same {} instructions){exit_note}",
                        human_secs(*wall),
                        thousands(f.steps)
                    ),
                ]);
                rows.push([
                    "ratio ours / qemu (wall time)".to_string(),
                    format!("{:.2}×", f.total / wall.max(f64::MIN_POSITIVE)),
                    format!(
                        "ours {} in-process vs qemu {} with process start; > 1: qemu is faster",
                        human_secs(f.total),
                        human_secs(*wall)
                    ),
                ]);
            }
        }
        rows
    }

    /// The report as an aligned Markdown table, with the setup above and the command below.
    fn table(&self) -> String {
        let header = ["measurement", "result", "notes"].map(String::from);
        let rows = self.rows();
        let mut widths = [0usize; 3];
        for row in std::iter::once(&header).chain(&rows) {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |row: &[String; 3]| {
            let cells: Vec<String> = row
                .iter()
                .zip(widths)
                .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
                .collect();
            format!("| {} |\n", cells.join(" | "))
        };
        let mut out = format!(
            "{} ({} build), best of {} run(s), {}, {} thread(s)\n\n",
            self.elf.display(),
            if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            },
            self.runs,
            cpu_model().unwrap_or_else(|| "unknown CPU".to_string()),
            threads()
        );
        out.push_str(&line(&header));
        let rule = widths.map(|w| "-".repeat(w));
        out.push_str(&format!("|-{}-|\n", rule.join("-|-")));
        for row in &rows {
            out.push_str(&line(row));
        }
        out.push_str(&format!("\ncommand: {}\n", self.command));
        out
    }

    /// The report as JSON (seconds and instructions per second as numbers).
    fn to_json(&self) -> serde_json::Value {
        let f = &self.fast;
        let w = &self.witness;
        let m = &self.memory;
        let root = |r: &RootResult| {
            serde_json::json!({
                "bytes": BENCH_TOUCH_BYTES,
                "wordsWritten": r.words,
                "pages": r.pages,
                "touchSeconds": r.touch,
                "keccakHashes": r.hashes,
                "rootSeconds": r.root,
            })
        };
        let qemu = match &self.qemu {
            QemuResult::NotFound => serde_json::json!({
                "command": self.qemu_command(),
                "found": false,
                "error": format!("{QEMU} not found"),
            }),
            QemuResult::Failed(e) => serde_json::json!({
                "command": self.qemu_command(),
                "found": true,
                "error": e,
            }),
            QemuResult::Ran { wall, exit_code } => serde_json::json!({
                "command": self.qemu_command(),
                "found": true,
                "wallSeconds": wall,
                "exitCode": exit_code,
                "instructionsPerSecond": rate(f.steps, *wall),
                "ratioOursOverQemu": f.total / wall.max(f64::MIN_POSITIVE),
            }),
        };
        serde_json::json!({
            "command": self.command,
            "elf": self.elf.display().to_string(),
            "runs": self.runs,
            "build": if cfg!(debug_assertions) { "debug" } else { "release" },
            "cpu": cpu_model(),
            "threads": threads(),
            "fastMode": {
                "steps": f.steps,
                "exitCode": f.exit_code,
                "loadSeconds": f.load,
                "wallSeconds": f.total,
                "instructionsPerSecond": rate(f.steps, f.total),
            },
            "witnessConsecutive": {
                "firstStep": w.first_step,
                "steps": w.consecutive,
                "seconds": w.consecutive_total,
                "secondsPerStep": w.consecutive_total / w.consecutive.max(1) as f64,
            },
            "tracer": {
                "interval": BENCH_TRACER_INTERVAL,
                "snapshots": w.snapshots,
                "passSeconds": w.tracer_pass,
            },
            "witnessRandom": {
                "steps": BENCH_RANDOM,
                "seed": format!("{BENCH_SEED:#018x}"),
                "seconds": w.random_total,
                "secondsPerWitness": w.random_total / BENCH_RANDOM as f64,
            },
            "memoryRootSparse": root(&m.sparse),
            "memoryRootDense": root(&m.dense),
            "memoryRootIncrementalSeconds": m.incremental,
            "qemu": qemu,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(69_714_954), "69,714,954");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn human_secs_picks_units() {
        assert_eq!(human_secs(1.5), "1.500 s");
        assert_eq!(human_secs(0.0403), "40.3 ms");
        assert_eq!(human_secs(32.5e-6), "32.5 µs");
        assert_eq!(human_secs(12e-9), "12 ns");
    }

    #[test]
    fn random_steps_are_fixed() {
        let mut a = BENCH_SEED;
        let mut b = BENCH_SEED;
        let xs: Vec<u64> = (0..4).map(|_| splitmix64(&mut a)).collect();
        let ys: Vec<u64> = (0..4).map(|_| splitmix64(&mut b)).collect();
        assert_eq!(xs, ys);
        assert!(xs.windows(2).all(|w| w[0] != w[1]));
    }
}
