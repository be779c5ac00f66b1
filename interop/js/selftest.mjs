#!/usr/bin/env node
// Self-check of sign.mjs / verify.mjs against published vectors, round trips,
// tampering, JSON-LD safe mode, the offline loader and the CLI contract; then
// times JS verification of a realistic OB 3.0 credential.
//
// usage: node selftest.mjs [--runs N] [--warmup N] [--cli-runs N]
//        (or: npm test)
// Prints one line per check, a timing section, and a closing line
// "selftest: N passed, N failed". Exit code 0 iff nothing failed.

import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {isDeepStrictEqual} from 'node:util';
import {performance} from 'node:perf_hooks';
import {signCredential, verifyCredential} from './lib/core.mjs';
import {contextUrls, createDocumentLoader} from './lib/loader.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const TD = join(HERE, 'testdata');
const load = p => JSON.parse(readFileSync(join(TD, p), 'utf8'));
const clone = structuredClone;

const argv = process.argv.slice(2);
const argNum = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const TIMED_RUNS = argNum('--runs', 50);
const CLI_RUNS = argNum('--cli-runs', 10);
const WARMUP_RUNS = argNum('--warmup', 30);

// Fixed "now" for validFrom/validUntil checks so results do not depend on the
// day the test runs (ob-realistic-safe.json is valid 2024-03-15..2029-03-15).
const NOW = '2025-06-01T00:00:00Z';

// TEST-ONLY key: RFC 8032 section 7.1 TEST 1 secret key (seed).
const TEST_SEED =
  '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
// A second test key (any 32 bytes) for "wrong key" checks.
const OTHER_SEED = '11'.repeat(32);

let passed = 0;
let failed = 0;
const failures = [];

async function check(name, fn) {
  try {
    const detail = await fn();
    passed++;
    console.log(`PASS  ${name}${detail ? `  [${detail}]` : ''}`);
  } catch(e) {
    failed++;
    failures.push(name);
    console.log(`FAIL  ${name}\n      ${e.message}`);
  }
}

function assert(cond, message) {
  if(!cond) {
    throw new Error(message);
  }
}

function expectVerified(r) {
  assert(r.verified === true,
    `expected verified, got: ${JSON.stringify(r)}`);
}

function expectRejected(r, pattern) {
  assert(r.verified === false,
    `expected NOT verified, got: ${JSON.stringify(r)}`);
  if(pattern) {
    assert(pattern.test(r.error ?? ''),
      `error ${JSON.stringify(r.error)} does not match ${pattern}`);
  }
  return r.error;
}

async function expectSignError(input, pattern) {
  try {
    await signCredential(input);
  } catch(e) {
    const msg = [e.message, e.details?.event?.code].filter(Boolean).join(' / ');
    assert(pattern.test(msg), `error "${msg}" does not match ${pattern}`);
    return msg;
  }
  throw new Error('expected signing to fail, but it succeeded');
}

function runCli(script, args, stdin) {
  const r = spawnSync(process.execPath, [join(HERE, script), ...args], {
    input: typeof stdin === 'string' ? stdin : JSON.stringify(stdin),
    encoding: 'utf8'
  });
  let json;
  try {
    json = JSON.parse(r.stdout);
  } catch(e) {
    json = undefined;
  }
  return {code: r.status, stdout: r.stdout, stderr: r.stderr, json};
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

// ------------------------------------------------------------------ fixtures
const w3cKey = load('w3c-vc-di-eddsa/keyPair.json');
const w3cUnsigned = load('w3c-vc-di-eddsa/unsigned.json');
const w3cSigned = load('w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json');
const employUnsigned = load('w3c-vc-di-eddsa/employmentAuth.json');
const employSigned =
  load('w3c-vc-di-eddsa/eddsa-rdfc-2022/employ/signedDataInt.json');
const obKey = load('ob3/impl-linked-data-proof-ob--test-keypair.json');
const obUnsigned = load('ob3/impl-linked-data-proof-ob--credential.json');
const obSigned = load('ob3/impl-linked-data-proof-ob--signed-credential.json');
const realistic = load('canon-edges/ob-realistic-safe.json');
const edgeUndefined = load('canon-edges/edge-undefined-property.json');
const edgeRelativeType = load('canon-edges/edge-relative-type.json');

console.log('== W3C vc-di-eddsa TestVectors (eddsa-rdfc-2022)');

await check('sign unsigned.json with keyPair.json reproduces ' +
  'signedDataInt.json exactly', async () => {
  const {signed} = await signCredential({
    credential: w3cUnsigned,
    privateKeyMultibase: w3cKey.privateKeyMultibase,
    publicKeyMultibase: w3cKey.publicKeyMultibase,
    created: w3cSigned.proof.created
  });
  assert(signed.proof.proofValue === w3cSigned.proof.proofValue,
    `proofValue ${signed.proof.proofValue} != ${w3cSigned.proof.proofValue}`);
  assert(isDeepStrictEqual(signed, w3cSigned), 'signed document differs');
  return signed.proof.proofValue.slice(0, 16) + '…';
});

await check('verify signedDataInt.json --proof-only', async () => {
  expectVerified(await verifyCredential(w3cSigned, {proofOnly: true}));
});

await check('verify signedDataInt.json full mode is rejected (issuer ' +
  'https://vc.example/issuers/5678 != did:key controller, by design of the ' +
  'vector)', async () => {
  const r = await verifyCredential(w3cSigned, {now: NOW});
  expectRejected(r, /issuer must match the verification method controller/);
  assert(r.checks.proofs[0].signature === true, 'signature should be valid');
  assert(r.checks.issuerMatchesController === false, 'issuer check');
});

await check('sign employ/ (employmentAuth.json, citizenship v4rc1 context) ' +
  'reproduces employ/signedDataInt.json exactly', async () => {
  const {signed} = await signCredential({
    credential: employUnsigned,
    privateKeyMultibase: w3cKey.privateKeyMultibase,
    created: employSigned.proof.created
  });
  assert(isDeepStrictEqual(signed, employSigned),
    `differs: ${signed.proof.proofValue} vs ${employSigned.proof.proofValue}`);
});

await check('verify employ/signedDataInt.json --proof-only', async () => {
  expectVerified(await verifyCredential(employSigned, {proofOnly: true}));
});

await check('tampered employ/ (givenName) is rejected --proof-only',
  async () => {
    const t = clone(employSigned);
    t.credentialSubject.givenName = 'JANE';
    return expectRejected(
      await verifyCredential(t, {proofOnly: true}), /Invalid signature/);
  });

console.log('== OB 3.0 spec vector (impl-linked-data-proof-ob)');

await check('sign the spec credential with the test key (verificationMethod ' +
  'https://example.edu/issuers/565049#z6Mk…) reproduces the signed ' +
  'credential exactly', async () => {
  const {signed} = await signCredential({
    credential: obUnsigned,
    seed: obKey.privateKeySeedHex,
    secretKeyMultibase: obKey.secretKeyMultibase,
    publicKeyMultibase: obKey.publicKeyMultibase,
    verificationMethod: obKey.verificationMethod,
    created: obSigned.proof.created
  });
  assert(signed.proof.proofValue === obKey.expected.proofValue,
    `proofValue ${signed.proof.proofValue}`);
  assert(isDeepStrictEqual(signed, obSigned), 'signed document differs');
});

await check('verify the signed spec credential, full mode, with --key bound ' +
  'to its https verificationMethod (issuer.id == controller)', async () => {
  const r = await verifyCredential(obSigned,
    {key: obKey.publicKeyMultibase, now: NOW});
  expectVerified(r);
  assert(r.checks.issuerMatchesController === true, 'issuer check');
});

await check('verify the signed spec credential --proof-only --key',
  async () => {
    expectVerified(await verifyCredential(obSigned,
      {proofOnly: true, key: obKey.publicKeyMultibase}));
  });

await check('without --key the https verificationMethod is NOT fetched ' +
  '(offline loader refuses it)', async () => {
  return expectRejected(await verifyCredential(obSigned, {now: NOW}),
    /Offline document loader: refusing to load "https:\/\/example\.edu/);
});

await check('with the wrong --key the spec credential is rejected',
  async () => {
    expectRejected(await verifyCredential(obSigned,
      {key: w3cKey.publicKeyMultibase, now: NOW}), /Invalid signature/);
  });

console.log('== Round trip: ob-realistic-safe.json via sign.mjs / verify.mjs');

const probe = await signCredential({credential: clone(w3cUnsigned),
  seed: TEST_SEED});
const DID = probe.did;
const FP = DID.slice('did:key:'.length);
const CREATED = '2024-01-01T00:00:00Z';
const unsignedOb = clone(realistic);
unsignedOb.issuer.id = DID;
let signedOb; // from the CLI

await check('sign.mjs signs the OB credential (issuer.id = did:key)',
  async () => {
    const r = runCli('sign.mjs', [],
      {credential: unsignedOb, seed: TEST_SEED, created: CREATED});
    assert(r.code === 0, `exit ${r.code}: ${r.stderr}`);
    signedOb = r.json;
    const {proof, ...rest} = signedOb;
    assert(isDeepStrictEqual(rest, unsignedOb),
      'credential changed apart from the added proof');
    const expected = {
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      created: CREATED,
      verificationMethod: `${DID}#${FP}`,
      proofPurpose: 'assertionMethod'
    };
    for(const [k, v] of Object.entries(expected)) {
      assert(proof[k] === v, `proof.${k} = ${proof[k]}, want ${v}`);
    }
    assert(/^z[1-9A-HJ-NP-Za-km-z]{80,90}$/.test(proof.proofValue),
      'proofValue is not a base58btc signature');
    assert(r.stderr === '', `unexpected stderr: ${r.stderr}`);
    return `${DID.slice(0, 20)}…`;
  });

await check('verify.mjs verifies it (exit 0, verified true)', async () => {
  const r = runCli('verify.mjs', ['--now', NOW], signedOb);
  assert(r.code === 0, `exit ${r.code}: ${r.stdout}${r.stderr}`);
  assert(r.json?.verified === true && r.json.error === null,
    `output ${r.stdout}`);
});

await check('verify.mjs without --now also verifies it (today is inside ' +
  'validFrom..validUntil)', async () => {
  const r = runCli('verify.mjs', [], signedOb);
  assert(r.code === 0, `exit ${r.code}: ${r.stdout}`);
});

await check('signing is deterministic (same input -> same proofValue)',
  async () => {
    const {signed} = await signCredential(
      {credential: unsignedOb, seed: TEST_SEED, created: CREATED});
    assert(signed.proof.proofValue === signedOb.proof.proofValue,
      'proofValue differs between CLI and in-process signing');
  });

await check('key order / whitespace of the signed JSON does not matter',
  async () => {
    const reorder = v => Array.isArray(v) ? v.map(reorder) :
      (v && typeof v === 'object') ? Object.fromEntries(
        Object.keys(v).reverse().map(k => [k, reorder(v[k])])) : v;
    const r = runCli('verify.mjs', ['--now', NOW],
      JSON.stringify(reorder(signedOb)));
    assert(r.code === 0, `exit ${r.code}: ${r.stdout}`);
  });

const tamperings = [
  ['top-level name', c => {
    c.name += '!';
  }],
  ['credentialSubject.achievement.name', c => {
    c.credentialSubject.achievement.name = 'Other';
  }],
  ['issuer.address.addressLocality (non-ASCII value)', c => {
    c.issuer.address.addressLocality = 'Munchen';
  }],
  ['credentialSubject.creditsEarned 7.5 -> 7.50001', c => {
    c.credentialSubject.creditsEarned = 7.50001;
  }],
  ['validUntil', c => {
    c.validUntil = '2028-03-15T09:30:00Z';
  }],
  ['proof.created', c => {
    c.proof.created = '2024-01-01T00:00:01Z';
  }],
  ['proof.proofValue (one character)', c => {
    const v = c.proof.proofValue;
    c.proof.proofValue = v.slice(0, 10) + (v[10] === 'A' ? 'B' : 'A') +
      v.slice(11);
  }]
];
for(const [what, mutate] of tamperings) {
  await check(`tampered ${what} -> verify.mjs exit 1`, async () => {
    const t = clone(signedOb);
    mutate(t);
    const r = runCli('verify.mjs', ['--now', NOW], t);
    assert(r.code === 1, `exit ${r.code}: ${r.stdout}`);
    assert(r.json?.verified === false && typeof r.json.error === 'string',
      `output ${r.stdout}`);
    return r.json.error;
  });
}

await check('issuer.id replaced by another did:key -> rejected (the ' +
  'issuer is signed data, so the signature breaks)', async () => {
  const {did: other} = await signCredential(
    {credential: clone(w3cUnsigned), seed: OTHER_SEED});
  const t = clone(signedOb);
  t.issuer.id = other;
  const r = await verifyCredential(t, {now: NOW});
  return expectRejected(r);
});

await check('signed with issuer != did:key: full mode rejects, ' +
  '--proof-only accepts', async () => {
  const r0 = runCli('sign.mjs', [],
    {credential: realistic, seed: TEST_SEED, created: CREATED});
  assert(r0.code === 0, `sign exit ${r0.code}: ${r0.stderr}`);
  assert(/warning: credential issuer is not did:key/.test(r0.stderr),
    'sign.mjs should warn');
  const full = runCli('verify.mjs', ['--now', NOW], r0.json);
  assert(full.code === 1 &&
    full.json.checks.issuerMatchesController === false &&
    full.json.checks.proofs[0].signature === true,
  `full: exit ${full.code} ${full.stdout}`);
  const po = runCli('verify.mjs', ['--proof-only'], r0.json);
  assert(po.code === 0, `proof-only: exit ${po.code} ${po.stdout}`);
});

await check('validity window is checked in full mode (--now after ' +
  'validUntil -> rejected), not in --proof-only', async () => {
  const late = '2030-01-01T00:00:00Z';
  const r = await verifyCredential(signedOb, {now: late});
  expectRejected(r, /after "validUntil"/);
  assert(r.checks.credentialModel === false, 'credentialModel check');
  expectVerified(await verifyCredential(signedOb, {proofOnly: true}));
});

console.log('== JSON-LD safe mode');

await check('signing edge-undefined-property.json fails (safe mode: ' +
  'undefined term is an error, not dropped)', async () => {
  return expectSignError({credential: edgeUndefined, seed: TEST_SEED},
    /Safe mode validation error/);
});

await check('signing edge-relative-type.json fails (safe mode: type ' +
  '1EdTechJsonSchemaValidator2019 is undefined without the OB extensions ' +
  'context)', async () => {
  return expectSignError({credential: edgeRelativeType, seed: TEST_SEED},
    /relative @type reference/);
});

await check('...and signs once the OB extensions context is added',
  async () => {
    const c = clone(edgeRelativeType);
    c['@context'].push('https://purl.imsglobal.org/spec/ob/v3p0/extensions.json');
    c.issuer = DID;
    const {signed} = await signCredential({credential: c, seed: TEST_SEED});
    expectVerified(await verifyCredential(signed, {now: NOW}));
  });

await check('an undefined term added to a signed credential makes verify ' +
  'fail with a safe-mode error', async () => {
  const t = clone(signedOb);
  t.credentialSubject.achievement.undefinedNested = 5;
  return expectRejected(await verifyCredential(t, {now: NOW}),
    /Safe mode validation error/);
});

console.log('== Offline document loader');

await check('every context in ld/contexts/map.json loads offline',
  async () => {
    const dl = createDocumentLoader();
    const urls = contextUrls();
    for(const url of urls) {
      const {document} = await dl(url);
      assert(document && typeof document === 'object' &&
        '@context' in document, `${url}: no @context`);
    }
    return `${urls.length} contexts`;
  });

const refuses = [
  ['an unmapped https context', 'https://example.com/context.jsonld'],
  ['a mapped URL with http: instead of https:',
    'http://www.w3.org/ns/credentials/v2'],
  ['a P-256 did:key (zDna…)', employSigned.issuer.id],
  ['a did:key VM with a wrong fragment', `${DID}#key-1`],
  ['did:web', 'did:web:example.com'],
  ['a malformed did:key', 'did:key:z6MkNOTBASE58!!']
];
for(const [what, url] of refuses) {
  await check(`loader refuses ${what}`, async () => {
    const dl = createDocumentLoader();
    try {
      await dl(url);
    } catch(e) {
      return e.message.slice(0, 70) + '…';
    }
    throw new Error(`loaded ${url}`);
  });
}

await check('loader resolves the Ed25519 did:key and its verification ' +
  'method (Multikey, assertionMethod)', async () => {
  const dl = createDocumentLoader();
  const {document: didDoc} = await dl(DID);
  const {document: vm} = await dl(`${DID}#${FP}`);
  assert(didDoc.id === DID && didDoc.assertionMethod[0] === `${DID}#${FP}`,
    'DID document');
  assert(vm.type === 'Multikey' && vm.publicKeyMultibase === FP &&
    vm.controller === DID, 'verification method');
});

await check('a full verification loads only mapped contexts and the did:key',
  async () => {
    const log = [];
    const r = await verifyCredential(signedOb,
      {now: NOW, documentLoader: createDocumentLoader({log})});
    expectVerified(r);
    const mapped = new Set(contextUrls());
    const other = log.filter(u => !mapped.has(u) && !u.startsWith(DID));
    assert(other.length === 0, `unexpected loads: ${other.join(', ')}`);
    return [...new Set(log)].map(u => u.length > 45 ?
      u.slice(0, 45) + '…' : u).join(', ');
  });

console.log('== CLI contract');

const cliCases = [
  ['verify.mjs: stdin not JSON -> exit 2', 'verify.mjs', [], '{nope', 2],
  ['verify.mjs: stdin a JSON array -> exit 2', 'verify.mjs', [], '[]', 2],
  ['verify.mjs: unknown flag -> exit 2', 'verify.mjs', ['--bogus'], '{}', 2],
  ['verify.mjs: malformed --key -> exit 2', 'verify.mjs',
    ['--key', 'zNotAKey'], () => signedOb, 2],
  ['verify.mjs: credential without proof -> exit 1', 'verify.mjs', [],
    () => unsignedOb, 1],
  ['sign.mjs: stdin not JSON -> exit 2', 'sign.mjs', [], 'x', 2],
  ['sign.mjs: bad seed -> exit 2', 'sign.mjs', [],
    () => ({credential: unsignedOb, seed: 'abcd'}), 2],
  ['sign.mjs: no key -> exit 2', 'sign.mjs', [],
    () => ({credential: unsignedOb}), 2],
  ['sign.mjs: publicKeyMultibase not matching seed -> exit 2', 'sign.mjs', [],
    () => ({credential: unsignedOb, seed: OTHER_SEED,
      publicKeyMultibase: FP}), 2],
  ['sign.mjs: created with fractional seconds -> exit 2', 'sign.mjs', [],
    () => ({credential: unsignedOb, seed: TEST_SEED,
      created: '2024-01-01T00:00:00.123Z'}), 2],
  ['sign.mjs: already signed credential -> exit 2', 'sign.mjs', [],
    () => ({credential: signedOb, seed: TEST_SEED}), 2],
  ['sign.mjs: safe-mode failure -> exit 1', 'sign.mjs', [],
    () => ({credential: edgeUndefined, seed: TEST_SEED}), 1]
];
for(const [name, script, args, stdin, want] of cliCases) {
  await check(name, async () => {
    const r = runCli(script, args,
      typeof stdin === 'function' ? stdin() : stdin);
    assert(r.code === want, `exit ${r.code}, want ${want}: ` +
      `${r.stdout}${r.stderr}`);
    if(script === 'verify.mjs') {
      assert(r.json && r.json.verified === false &&
        typeof r.json.error === 'string', `stdout not the JSON contract: ` +
        r.stdout);
    }
  });
}

await check('sign.mjs accepts secretKeyMultibase (seed||pub form) and ' +
  'gives the same signature as the hex seed', async () => {
  const r = runCli('sign.mjs', [], {credential: obUnsigned,
    secretKeyMultibase: obKey.secretKeyMultibase, created: CREATED});
  const r2 = runCli('sign.mjs', [], {credential: obUnsigned,
    seed: obKey.privateKeySeedHex, created: CREATED});
  assert(r.code === 0 && r2.code === 0, `exit ${r.code}/${r2.code}`);
  assert(r.json.proof.proofValue === r2.json.proof.proofValue,
    'proofValues differ');
  assert(r.json.proof.verificationMethod ===
    `did:key:${obKey.publicKeyMultibase}#${obKey.publicKeyMultibase}`,
  'verificationMethod');
});

// ------------------------------------------------------------------ timing
console.log('== Timing: JS verify of ob-realistic-safe.json (signed), ' +
  'full mode');
const timing = {};
await check(`in-process verifyCredential: median of ${TIMED_RUNS} runs ` +
  `after ${WARMUP_RUNS} warm-up runs`, async () => {
  for(let i = 0; i < WARMUP_RUNS; i++) {
    expectVerified(await verifyCredential(signedOb, {now: NOW}));
  }
  const ms = [];
  for(let i = 0; i < TIMED_RUNS; i++) {
    const t0 = performance.now();
    const r = await verifyCredential(signedOb, {now: NOW});
    ms.push(performance.now() - t0);
    assert(r.verified, 'timed verification failed');
  }
  timing.inProcess = ms;
  return `median ${median(ms).toFixed(2)} ms, min ` +
    `${Math.min(...ms).toFixed(2)} ms, p90 ${quantile(ms, 0.9).toFixed(2)} ms`;
});
await check(`CLI \`node verify.mjs\` wall clock incl. node start-up: median ` +
  `of ${CLI_RUNS} runs after 1 warm-up`, async () => {
  const input = JSON.stringify(signedOb);
  runCli('verify.mjs', ['--now', NOW], input);
  const ms = [];
  for(let i = 0; i < CLI_RUNS; i++) {
    const t0 = performance.now();
    const r = runCli('verify.mjs', ['--now', NOW], input);
    ms.push(performance.now() - t0);
    assert(r.code === 0, 'timed CLI verification failed');
  }
  timing.cli = ms;
  return `median ${median(ms).toFixed(1)} ms`;
});
if(timing.inProcess) {
  console.log(`JS verify time (ob-realistic-safe.json, ` +
    `${JSON.stringify(signedOb).length} bytes signed): median ` +
    `${median(timing.inProcess).toFixed(2)} ms in-process ` +
    `(${TIMED_RUNS} runs, node ${process.version})` +
    (timing.cli ? `, ${median(timing.cli).toFixed(1)} ms per ` +
      '`node verify.mjs` process' : ''));
}

// ------------------------------------------------------------------ summary
console.log('');
if(failures.length) {
  console.log('Failed checks:');
  failures.forEach(f => console.log(`  - ${f}`));
}
console.log(`selftest: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
