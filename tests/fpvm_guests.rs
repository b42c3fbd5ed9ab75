//! Guest programs (`tests/guests`) under our FPVM, checked against their expected output and
//! against `qemu-mips -cpu 4Kc`, the reference MIPS32 CPU.
//!
//! For every `tests/guests/bin/NAME.elf`:
//! - our VM must print exactly `tests/guests/expected/NAME.stdout` and exit with code 0 (or
//!   the code in `expected/NAME.exit`);
//! - qemu must print the same and exit with the same code. If `qemu-mips` is not on `PATH`
//!   this fails, unless `OGS_SKIP_QEMU=1` is set (CI installs qemu: `.ci/guests.sh`).
//!
//! Exceptions are listed in [`VM_ONLY`]: guests that exercise a documented difference between
//! Cannon and a real MIPS CPU. qemu must then stop them with the listed signal, which shows the
//! guest really reaches the case.
//!
//! A guest with a data file `tests/guests/data/NAME.txt` (`oracle`, `rollup`) talks to the
//! pre-image oracle (fds 3–6). Our VM is given a [`MemoryOracle`] filled from that file; under
//! qemu the same fds are files: fd 3 reads `/dev/zero` (hint acknowledgements), fd 5 reads
//! every `8-byte length ‖ pre-image` in the order the program requests them, and what the
//! program writes to fd 4 (hints) and fd 6 (keys) is compared with the same file. Our VM's
//! hints are compared with it too.
//!
//! `OGS_BLESS=1` rewrites `expected/` from qemu's output (for [`VM_ONLY`] guests: from our VM's,
//! only if the guest's own checks passed, i.e. it exited with code 0). See
//! `tests/guests/README.md`.
//!
//! Spec: `docs/fpvm.md` beside the repository (Cannon, single-threaded 32-bit),
//! sections "Execution", "Syscalls" and "Pre-image oracle".

use std::fmt::Write as _;
use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use ogs::fpvm::check::check_elf;
use ogs::fpvm::{keccak_key, local_key, MemoryOracle, Vm};

/// The syscalls the guests' runtime uses: read, write, mmap, exit_group.
const GUEST_SYSCALLS: &[u32] = &[4003, 4004, 4090, 4246];

/// Step limit for one guest (the largest, `spin`, runs 1.21 billion; `bench` about 70 million).
const MAX_STEPS: u64 = 1_500_000_000;

/// Guests that only our VM runs to completion, why, and the signal qemu must stop them with.
const VM_ONLY: &[(&str, &str, i32)] = &[(
    "overflow",
    "add/addi/sub wrap in Cannon but raise an overflow exception (SIGFPE) on MIPS",
    8,
)];

fn guests_dir() -> PathBuf {
    // file!() is relative to the package root in the crate, absolute in a scratch crate that
    // points at this file.
    let here = Path::new(file!());
    let here = if here.is_absolute() {
        here.to_path_buf()
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(here)
    };
    here.parent().expect("tests dir").join("guests")
}

fn bless() -> bool {
    std::env::var("OGS_BLESS").is_ok_and(|v| v == "1")
}

fn skip_qemu() -> bool {
    std::env::var("OGS_SKIP_QEMU").is_ok_and(|v| v == "1")
}

/// Every `bin/*.elf`, sorted by name.
fn guest_names() -> Vec<String> {
    let bin = guests_dir().join("bin");
    let mut names: Vec<String> = fs::read_dir(&bin)
        .unwrap_or_else(|e| panic!("reading {}: {e}", bin.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "elf"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        !names.is_empty(),
        "no guest ELFs in {}: run tests/guests/build.sh",
        bin.display()
    );
    names
}

fn elf_path(name: &str) -> PathBuf {
    guests_dir().join("bin").join(format!("{name}.elf"))
}

/// One line of a guest's oracle data file `data/NAME.txt`.
#[derive(Debug, Clone)]
enum OracleEvent {
    Hint(Vec<u8>),
    Local(u64, Vec<u8>),
    Keccak(Vec<u8>),
}

fn data_path(name: &str) -> PathBuf {
    guests_dir().join("data").join(format!("{name}.txt"))
}

/// The oracle events of `data/NAME.txt`, in request order; `None` if the guest has no data
/// file (it then runs with an empty oracle under our VM and plain fds under qemu).
fn oracle_events(name: &str) -> Option<Vec<OracleEvent>> {
    let path = data_path(name);
    if !path.is_file() {
        return None;
    }
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut events = Vec::new();
    for (no, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || panic!("{}:{}: cannot parse {line:?}", path.display(), no + 1);
        let Some((head, payload)) = line.split_once(':') else {
            bad()
        };
        let words: Vec<&str> = head.split_whitespace().collect();
        let data = match words.last() {
            Some(&"hex") => hex::decode(payload).unwrap_or_else(|_| bad()),
            Some(&"text") => payload.as_bytes().to_vec(),
            _ => bad(),
        };
        events.push(match words.as_slice() {
            ["hint", "text"] => OracleEvent::Hint(data),
            ["local", n, _] => OracleEvent::Local(n.parse().unwrap_or_else(|_| bad()), data),
            ["keccak", _] => OracleEvent::Keccak(data),
            _ => bad(),
        });
    }
    Some(events)
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    stdout: Vec<u8>,
    /// Exit code, or `Err(signal)` if the process was killed.
    exit: Result<i32, i32>,
    /// Hints received (guests with oracle data only), without length prefixes.
    hints: Vec<Vec<u8>>,
    /// Keys written to fd 6 (qemu, guests with oracle data only), concatenated.
    keys: Vec<u8>,
}

fn run_vm(name: &str) -> Result<(Run, u64), String> {
    let elf = fs::read(elf_path(name)).map_err(|e| e.to_string())?;
    let mut oracle = MemoryOracle::new();
    if let Some(events) = oracle_events(name) {
        for ev in events {
            match ev {
                OracleEvent::Hint(_) => {}
                OracleEvent::Local(n, d) => {
                    oracle.insert_local(n, d);
                }
                OracleEvent::Keccak(d) => {
                    oracle.insert_keccak(d);
                }
            }
        }
    }
    let mut vm = Vm::from_elf(&elf, oracle).map_err(|e| format!("loading: {e}"))?;
    let outcome = vm.run(MAX_STEPS).map_err(|e| {
        format!(
            "VM error at step {} (pc {:#010x}): {e}\nstdout so far:\n{}",
            vm.step_count(),
            vm.pc(),
            String::from_utf8_lossy(vm.stdout())
        )
    })?;
    let Some(code) = outcome.exit_code else {
        return Err(format!("did not exit within {MAX_STEPS} steps"));
    };
    Ok((
        Run {
            stdout: vm.stdout().to_vec(),
            exit: Ok(i32::from(code)),
            hints: vm.oracle().hints().to_vec(),
            keys: Vec::new(),
        },
        outcome.steps,
    ))
}

fn qemu_available() -> bool {
    Command::new("qemu-mips")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn run_qemu(name: &str, scratch: &Path) -> Result<Run, String> {
    let elf = elf_path(name);
    let mut cmd;
    let (hints_file, keys_file) = (scratch.join("hints.out"), scratch.join("keys.out"));
    let events = oracle_events(name);
    if let Some(events) = &events {
        // fd 5: the responses in request order.
        let mut stream = Vec::new();
        for ev in events {
            if let OracleEvent::Local(_, d) | OracleEvent::Keccak(d) = ev {
                stream.extend_from_slice(&(d.len() as u64).to_be_bytes());
                stream.extend_from_slice(d);
            }
        }
        let preimages = scratch.join("preimages.in");
        fs::write(&preimages, stream).map_err(|e| e.to_string())?;
        cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(r#"exec qemu-mips -cpu 4Kc "$1" 3</dev/zero 4>"$2" 5<"$3" 6>"$4""#)
            .arg("sh")
            .arg(&elf)
            .arg(&hints_file)
            .arg(&preimages)
            .arg(&keys_file);
    } else {
        cmd = Command::new("qemu-mips");
        cmd.arg("-cpu").arg("4Kc").arg(&elf);
    }
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("running qemu-mips: {e}"))?;
    let exit = match (out.status.code(), out.status.signal()) {
        (Some(c), _) => Ok(c),
        (None, Some(s)) => Err(s),
        _ => return Err(format!("qemu-mips: odd status {:?}", out.status)),
    };
    let mut run = Run {
        stdout: out.stdout,
        exit,
        hints: Vec::new(),
        keys: Vec::new(),
    };
    if events.is_some() {
        let raw = fs::read(&hints_file).map_err(|e| e.to_string())?;
        run.hints = split_hints(&raw)?;
        run.keys = fs::read(&keys_file).map_err(|e| e.to_string())?;
    }
    Ok(run)
}

/// Splits the hint stream (`4-byte big-endian length ‖ hint`)*.
fn split_hints(mut raw: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let mut hints = Vec::new();
    while !raw.is_empty() {
        if raw.len() < 4 {
            return Err("truncated hint length".into());
        }
        let n = u32::from_be_bytes(raw[..4].try_into().unwrap()) as usize;
        if raw.len() < 4 + n {
            return Err("truncated hint".into());
        }
        hints.push(raw[4..4 + n].to_vec());
        raw = &raw[4 + n..];
    }
    Ok(hints)
}

/// The hints of a guest's oracle data, in order.
fn expected_hints(events: &[OracleEvent]) -> Vec<Vec<u8>> {
    events
        .iter()
        .filter_map(|ev| {
            if let OracleEvent::Hint(h) = ev {
                Some(h.clone())
            } else {
                None
            }
        })
        .collect()
}

/// The keys a guest requests, concatenated in request order.
fn expected_keys(events: &[OracleEvent]) -> Vec<u8> {
    let mut keys = Vec::new();
    for ev in events {
        match ev {
            OracleEvent::Hint(_) => {}
            OracleEvent::Local(n, _) => keys.extend_from_slice(&local_key(*n)),
            OracleEvent::Keccak(d) => keys.extend_from_slice(&keccak_key(d)),
        }
    }
    keys
}

/// The expected stdout and exit code from `expected/`.
fn expected(name: &str) -> Result<(Vec<u8>, i32), String> {
    let dir = guests_dir().join("expected");
    let stdout_path = dir.join(format!("{name}.stdout"));
    let stdout = fs::read(&stdout_path).map_err(|e| {
        format!(
            "{}: {e} (every guest needs one: OGS_BLESS=1 writes it from qemu)",
            stdout_path.display()
        )
    })?;
    let exit_path = dir.join(format!("{name}.exit"));
    let exit = match fs::read_to_string(&exit_path) {
        Ok(s) => s
            .trim()
            .parse()
            .map_err(|e| format!("{}: {e}", exit_path.display()))?,
        Err(_) => 0,
    };
    Ok((stdout, exit))
}

fn write_expected(name: &str, run: &Run) {
    let dir = guests_dir().join("expected");
    fs::write(dir.join(format!("{name}.stdout")), &run.stdout).expect("writing expected stdout");
    let exit_path = dir.join(format!("{name}.exit"));
    match run.exit {
        Ok(0) => {
            let _ = fs::remove_file(exit_path);
        }
        Ok(c) => fs::write(exit_path, format!("{c}\n")).expect("writing expected exit"),
        Err(s) => panic!("{name}: cannot bless a run killed by signal {s}"),
    }
}

/// A readable account of how two outputs differ: the first differing line.
fn diff(what: &str, want: &[u8], got: &[u8]) -> String {
    let (w, g) = (String::from_utf8_lossy(want), String::from_utf8_lossy(got));
    let (wl, gl): (Vec<&str>, Vec<&str>) = (w.lines().collect(), g.lines().collect());
    let i = wl.iter().zip(&gl).take_while(|(a, b)| a == b).count();
    format!(
        "{what} differs at line {}:\n  want: {:?}\n  got:  {:?}\n--- full output ---\n{g}",
        i + 1,
        wl.get(i).unwrap_or(&"<end of output>"),
        gl.get(i).unwrap_or(&"<end of output>"),
    )
}

fn compare(label: &str, want_stdout: &[u8], want_exit: i32, got: &Run) -> Option<String> {
    if got.stdout != want_stdout {
        return Some(format!(
            "{label}: {}",
            diff("stdout", want_stdout, &got.stdout)
        ));
    }
    if got.exit != Ok(want_exit) {
        return Some(format!(
            "{label}: exit {:?}, want Ok({want_exit})",
            got.exit
        ));
    }
    None
}

/// Our VM against the committed expectations; needs no qemu.
#[test]
fn guests_match_expected_output_under_vm() {
    let mut failures = String::new();
    let mut report = String::new();
    for name in guest_names() {
        let start = Instant::now();
        let (run, steps) = match run_vm(&name) {
            Ok(r) => r,
            Err(e) => {
                let _ = writeln!(failures, "{name}: {e}");
                continue;
            }
        };
        let _ = writeln!(
            report,
            "{name:>10}: {steps:>11} steps, exit {:?}, {:.2?}",
            run.exit,
            start.elapsed()
        );
        let want_hints = oracle_events(&name)
            .as_deref()
            .map(expected_hints)
            .unwrap_or_default();
        if run.hints != want_hints {
            let _ = writeln!(
                failures,
                "{name}: VM hints {:?}, want {:?}",
                run.hints
                    .iter()
                    .map(|h| String::from_utf8_lossy(h))
                    .collect::<Vec<_>>(),
                want_hints
                    .iter()
                    .map(|h| String::from_utf8_lossy(h))
                    .collect::<Vec<_>>(),
            );
        }
        if bless() && VM_ONLY.iter().any(|(n, ..)| *n == name) && run.exit == Ok(0) {
            write_expected(&name, &run);
        }
        match expected(&name) {
            Ok((stdout, exit)) => {
                if let Some(f) = compare(&format!("{name} (our VM)"), &stdout, exit, &run) {
                    let _ = writeln!(failures, "{f}");
                }
            }
            Err(e) => {
                let _ = writeln!(failures, "{name}: {e}");
            }
        }
    }
    println!("{report}");
    assert!(
        failures.is_empty(),
        "guest failures under our VM:\n{failures}"
    );
}

/// Our VM against qemu-mips, the reference MIPS32 CPU; qemu also against the expectations.
#[test]
fn guests_match_qemu() {
    if !qemu_available() {
        if skip_qemu() {
            eprintln!("qemu-mips not found; skipped because OGS_SKIP_QEMU=1");
            return;
        }
        panic!(
            "qemu-mips is not on PATH: install it (`apt-get install -y qemu-user`, see \
             .ci/guests.sh) or set OGS_SKIP_QEMU=1 to skip the comparison with qemu"
        );
    }
    let scratch = std::env::temp_dir().join(format!("ogs-fpvm-guests-{}", std::process::id()));
    fs::create_dir_all(&scratch).expect("scratch dir");
    let mut failures = String::new();
    for name in guest_names() {
        let qemu = match run_qemu(&name, &scratch) {
            Ok(r) => r,
            Err(e) => {
                let _ = writeln!(failures, "{name}: qemu: {e}");
                continue;
            }
        };
        if let Some((_, why, signal)) = VM_ONLY.iter().find(|(n, ..)| *n == name) {
            if qemu.exit != Err(*signal) {
                let _ = writeln!(
                    failures,
                    "{name}: qemu exit {:?}, want signal {signal} ({why})",
                    qemu.exit
                );
            }
            continue;
        }
        if bless() {
            write_expected(&name, &qemu);
        }
        if let Some(events) = oracle_events(&name) {
            if qemu.hints != expected_hints(&events) {
                let _ = writeln!(
                    failures,
                    "{name}: qemu hints {:?} differ from data/{name}.txt",
                    qemu.hints
                        .iter()
                        .map(|h| String::from_utf8_lossy(h))
                        .collect::<Vec<_>>(),
                );
            }
            let want_keys = expected_keys(&events);
            if qemu.keys != want_keys {
                let _ = writeln!(
                    failures,
                    "{name}: qemu keys {} differ from data/{name}.txt {}",
                    hex::encode(&qemu.keys),
                    hex::encode(want_keys)
                );
            }
        }
        match expected(&name) {
            Ok((stdout, exit)) => {
                if let Some(f) =
                    compare(&format!("{name} (qemu vs expected)"), &stdout, exit, &qemu)
                {
                    let _ = writeln!(failures, "{f}");
                }
            }
            Err(e) => {
                let _ = writeln!(failures, "{name}: {e}");
            }
        }
        match run_vm(&name) {
            Ok((vm, _)) => {
                let want = qemu.exit.unwrap_or(-1);
                if let Some(f) =
                    compare(&format!("{name} (our VM vs qemu)"), &qemu.stdout, want, &vm)
                {
                    let _ = writeln!(failures, "{f}");
                }
            }
            Err(e) => {
                let _ = writeln!(failures, "{name}: our VM: {e}");
            }
        }
    }
    let _ = fs::remove_dir_all(&scratch);
    assert!(
        failures.is_empty(),
        "guests differ between our VM and qemu:\n{failures}"
    );
}

/// Every guest has its expectations and every expectation and oracle data file its guest.
#[test]
fn every_guest_has_expectations() {
    let names = guest_names();
    let dir = guests_dir().join("expected");
    let mut problems = Vec::new();
    for name in &names {
        if !dir.join(format!("{name}.stdout")).is_file() {
            problems.push(format!("expected/{name}.stdout is missing"));
        }
    }
    for entry in fs::read_dir(&dir).expect("expected dir") {
        let path = entry.expect("entry").path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if !names.contains(&stem) {
            problems.push(format!("{} has no guest bin/{stem}.elf", path.display()));
        }
    }
    for entry in fs::read_dir(guests_dir().join("data")).expect("data dir") {
        let path = entry.expect("entry").path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.extension().is_none_or(|x| x != "txt") || !names.contains(&stem) {
            problems.push(format!(
                "{} is not the oracle data of a guest bin/NAME.elf (data/NAME.txt)",
                path.display()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The VM's static checker finds nothing it cannot run in any guest (as `build.sh` checks
/// with objdump): no invalid words, no branch in a delay slot, only the runtime's syscalls.
#[test]
fn guests_pass_the_static_check() {
    let mut problems = Vec::new();
    for name in guest_names() {
        let elf = fs::read(elf_path(&name)).expect("reading guest");
        let report = match check_elf(&elf) {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                continue;
            }
        };
        for w in &report.invalid {
            problems.push(format!(
                "{name}: {:#010x}: {:#010x} ({})",
                w.addr, w.insn, w.reason
            ));
        }
        for addr in &report.branch_in_delay_slot {
            problems.push(format!("{name}: {addr:#010x}: branch in a delay slot"));
        }
        for site in &report.syscalls {
            if !site.number.is_some_and(|n| GUEST_SYSCALLS.contains(&n)) {
                problems.push(format!(
                    "{name}: {:#010x}: syscall {:?} outside read/write/mmap/exit_group",
                    site.addr, site.number
                ));
            }
        }
        if report.words == 0 || report.syscalls.is_empty() {
            problems.push(format!("{name}: the checker saw no code or no syscall"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
