#!/usr/bin/env node
// Compiles every Solidity source under src/ in ONE standard-JSON call of the pinned solc-js
// (package.json / package-lock.json) and writes deterministic artifacts:
//
//   artifacts/<Contract>.json  abi, bytecode, deployedBytecode, methodIdentifiers, sourceName
//   artifacts/build-info.json  compiler version, the exact settings, sha256 of every source
//
// JSON keys are sorted, paths are relative to this folder, nothing depends on time or place.
//
//   node build.js          (re)write artifacts/
//   node build.js --check  compile into a temporary folder and exit 1 if artifacts/ differs
//
// Any compiler error or warning fails the build. Deployed code over the EIP-170 limit fails too.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const solc = require('solc');

const ROOT = __dirname;
const SRC = path.join(ROOT, 'src');
const ARTIFACTS = path.join(ROOT, 'artifacts');
const EIP170_LIMIT = 24576;

// The settings the artifacts are built with (recorded verbatim in build-info.json).
const SETTINGS = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  viaIR: true,
  metadata: { bytecodeHash: 'ipfs', useLiteralContent: false },
  outputSelection: {
    '*': {
      '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'evm.methodIdentifiers'],
    },
  },
};

function listSources(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(full));
    else if (entry.isFile() && entry.name.endsWith('.sol')) out.push(full);
  }
  return out;
}

// Recursively sorts object keys (arrays keep their order).
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys(value[k]);
    return out;
  }
  return value;
}

function stableJson(value) {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
}

function compile() {
  const files = listSources(SRC)
    .map((f) => path.relative(ROOT, f).split(path.sep).join('/'))
    .sort();
  const sources = {};
  for (const name of files) sources[name] = { content: fs.readFileSync(path.join(ROOT, name), 'utf8') };
  const input = { language: 'Solidity', sources, settings: SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));

  const problems = (output.errors || []).filter((e) => e.severity !== 'info');
  for (const e of problems) process.stderr.write((e.formattedMessage || e.message) + '\n');
  if (problems.length > 0) {
    const errors = problems.filter((e) => e.severity === 'error').length;
    throw new Error(`solc reported ${errors} error(s) and ${problems.length - errors} warning(s)`);
  }

  const result = new Map(); // file name -> content
  const sizes = [];
  const seen = new Map();
  for (const sourceName of Object.keys(output.contracts || {}).sort()) {
    for (const contractName of Object.keys(output.contracts[sourceName]).sort()) {
      const c = output.contracts[sourceName][contractName];
      const deployed = c.evm.deployedBytecode.object;
      // Interfaces have no code; libraries of internal functions have no ABI (inlined).
      if (deployed.length === 0 || c.abi.length === 0) continue;
      if (seen.has(contractName)) {
        throw new Error(`contract name ${contractName} in both ${seen.get(contractName)} and ${sourceName}`);
      }
      seen.set(contractName, sourceName);
      const size = deployed.length / 2;
      if (size > EIP170_LIMIT) throw new Error(`${contractName}: ${size} bytes of code, over EIP-170's ${EIP170_LIMIT}`);
      sizes.push([contractName, size, c.evm.bytecode.object.length / 2]);
      result.set(
        `${contractName}.json`,
        stableJson({
          contractName,
          sourceName,
          abi: c.abi,
          bytecode: '0x' + c.evm.bytecode.object,
          deployedBytecode: '0x' + deployed,
          methodIdentifiers: c.evm.methodIdentifiers,
        }),
      );
    }
  }

  const sourceHashes = {};
  for (const name of files) {
    sourceHashes[name] = crypto.createHash('sha256').update(sources[name].content).digest('hex');
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  result.set(
    'build-info.json',
    stableJson({
      compiler: { npmPackage: `solc@${pkg.dependencies.solc}`, version: solc.version() },
      contracts: Object.fromEntries(sizes.map(([name, deployed, init]) => [name, { deployedSize: deployed, initSize: init }])),
      settings: SETTINGS,
      sources: sourceHashes,
    }),
  );
  return { result, sizes };
}

function writeAll(dir, result) {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) {
    if (f.endsWith('.json') && !result.has(f)) fs.unlinkSync(path.join(dir, f));
  }
  for (const [f, content] of result) fs.writeFileSync(path.join(dir, f), content);
}

function main() {
  const check = process.argv.includes('--check');
  const { result, sizes } = compile();
  if (!check) {
    writeAll(ARTIFACTS, result);
    for (const [name, deployed] of sizes) console.log(`${name.padEnd(20)} ${String(deployed).padStart(6)} bytes deployed`);
    console.log(`wrote ${result.size} files to artifacts/ (solc ${solc.version()})`);
    return;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ogs-artifacts-'));
  try {
    writeAll(tmp, result);
    const committed = fs.existsSync(ARTIFACTS) ? fs.readdirSync(ARTIFACTS).filter((f) => f.endsWith('.json')) : [];
    const differ = [];
    for (const f of new Set([...committed, ...result.keys()])) {
      const a = path.join(ARTIFACTS, f);
      const b = path.join(tmp, f);
      if (!fs.existsSync(a)) differ.push(`${f}: missing from artifacts/`);
      else if (!fs.existsSync(b)) differ.push(`${f}: not produced by the sources`);
      else if (fs.readFileSync(a, 'utf8') !== fs.readFileSync(b, 'utf8')) differ.push(`${f}: differs`);
    }
    if (differ.length > 0) {
      for (const d of differ.sort()) console.error(d);
      console.error('artifacts/ is stale: run `node build.js` in contracts/ and commit the result');
      process.exitCode = 1;
      return;
    }
    console.log(`artifacts/ matches the sources (${result.size} files, solc ${solc.version()})`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  main();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
