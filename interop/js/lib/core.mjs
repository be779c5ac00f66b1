// Signing and verification with the Digital Bazaar stack
// (@digitalbazaar/vc + data-integrity + eddsa-rdfc-2022-cryptosuite),
// shared by sign.mjs, verify.mjs and selftest.mjs.

import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as base58btc from 'base58-universal';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import jsigs from 'jsonld-signatures';
import {
  createDocumentLoader, decodeEd25519PublicKeyMultibase
} from './loader.mjs';

const {purposes: {AssertionProofPurpose}} = jsigs;

/** An error in how a script was called / what it was given (exit code 2). */
export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

// ---------------------------------------------------------------- keys

const HEX64 = /^[0-9a-fA-F]{64}$/;

function decodeSecretKeyMultibase(mb, field) {
  if(typeof mb !== 'string' || mb[0] !== 'z') {
    throw new UsageError(`"${field}" must be a multibase base58btc string.`);
  }
  let bytes;
  try {
    bytes = base58btc.decode(mb.slice(1));
  } catch(e) {
    throw new UsageError(`"${field}" is not valid base58btc.`);
  }
  // multicodec ed25519-priv (0x1300) as varint = 0x80 0x26, then either the
  // 32-byte seed or the 64-byte seed||publicKey form.
  if(!(bytes && bytes[0] === 0x80 && bytes[1] === 0x26 &&
    (bytes.length === 34 || bytes.length === 66))) {
    throw new UsageError(
      `"${field}" must be an Ed25519 secret key (multicodec 0x1300 + 32 or ` +
      '64 bytes).');
  }
  const seed = bytes.slice(2, 34);
  const pub = bytes.length === 66 ? bytes.slice(34) : undefined;
  return {seed, pub};
}

/**
 * Builds the signing key pair from the sign.mjs input. Accepts `seed` (64 hex
 * chars), `secretKeyMultibase` (or its alias `privateKeyMultibase`, as used by
 * the W3C vc-di-eddsa keyPair.json) and an optional `publicKeyMultibase`,
 * which must match the key derived from the secret.
 */
export async function keyPairFromInput(input) {
  const seeds = [];
  if(input.seed !== undefined) {
    if(typeof input.seed !== 'string' || !HEX64.test(input.seed)) {
      throw new UsageError('"seed" must be 64 hex characters (32 bytes).');
    }
    seeds.push({from: 'seed', seed: Buffer.from(input.seed, 'hex')});
  }
  for(const field of ['secretKeyMultibase', 'privateKeyMultibase']) {
    if(input[field] !== undefined) {
      const {seed, pub} = decodeSecretKeyMultibase(input[field], field);
      seeds.push({from: field, seed, pub});
    }
  }
  if(seeds.length === 0) {
    throw new UsageError(
      'No signing key: give "seed" (64 hex chars) or "secretKeyMultibase".');
  }
  const seed = seeds[0].seed;
  for(const s of seeds.slice(1)) {
    if(!Buffer.from(s.seed).equals(Buffer.from(seed))) {
      throw new UsageError(`"${seeds[0].from}" and "${s.from}" disagree.`);
    }
  }
  const probe = await Ed25519Multikey.generate({seed: new Uint8Array(seed)});
  const fp = probe.publicKeyMultibase;
  for(const s of seeds) {
    if(s.pub && !Buffer.from(s.pub).equals(Buffer.from(probe.publicKey))) {
      throw new UsageError(
        `The public half of "${s.from}" does not match its secret key.`);
    }
  }
  if(input.publicKeyMultibase !== undefined &&
    input.publicKeyMultibase !== fp) {
    throw new UsageError(
      `"publicKeyMultibase" ${input.publicKeyMultibase} does not match the ` +
      `secret key (which gives ${fp}).`);
  }
  const did = `did:key:${fp}`;
  const verificationMethod = input.verificationMethod ?? `${did}#${fp}`;
  if(typeof verificationMethod !== 'string') {
    throw new UsageError('"verificationMethod" must be a string.');
  }
  const keyPair = await Ed25519Multikey.generate({
    seed: new Uint8Array(seed), id: verificationMethod, controller: did
  });
  return {keyPair, did, fingerprint: fp, verificationMethod};
}

// ---------------------------------------------------------------- sign

// data-integrity writes `created` as Date#toISOString() without milliseconds;
// refuse inputs it would silently rewrite, so the caller gets exactly the
// `created` it asked for.
export function checkCreated(created) {
  if(typeof created !== 'string') {
    throw new UsageError('"created" must be a string.');
  }
  const d = new Date(created);
  if(isNaN(d)) {
    throw new UsageError(`"created" "${created}" is not a valid date.`);
  }
  const normalized = d.toISOString().slice(0, -5) + 'Z';
  if(normalized !== created) {
    throw new UsageError(
      `"created" must be of the form YYYY-MM-DDTHH:MM:SSZ (UTC, no ` +
      `fractional seconds); "${created}" would be written as ` +
      `"${normalized}".`);
  }
  return d;
}

/**
 * Signs an unsigned credential with a DataIntegrityProof / eddsa-rdfc-2022,
 * proofPurpose assertionMethod, using vc.issue(). Returns the signed copy.
 */
export async function signCredential(input) {
  if(!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new UsageError('Input must be a JSON object.');
  }
  const {credential} = input;
  if(!credential || typeof credential !== 'object' ||
    Array.isArray(credential)) {
    throw new UsageError('"credential" must be a JSON object.');
  }
  if('proof' in credential) {
    throw new UsageError(
      '"credential" already has a "proof"; give an unsigned credential.');
  }
  const date = input.created === undefined ?
    undefined : checkCreated(input.created);
  const {keyPair, did} = await keyPairFromInput(input);
  const suite = new DataIntegrityProof({
    signer: keyPair.signer(), date, cryptosuite: eddsaRdfc2022CryptoSuite
  });
  const documentLoader = createDocumentLoader();
  // vc.issue() mutates its input (VCDM 1.1: adds issuanceDate if missing) and
  // jsigs.sign() copies it; work on a clone so the caller's object is intact.
  const signed = await vc.issue({
    credential: structuredClone(credential), suite, documentLoader
  });
  const issuer = typeof credential.issuer === 'string' ?
    credential.issuer : credential.issuer?.id;
  return {signed, did, issuerMatches: issuer === did};
}

// ---------------------------------------------------------------- verify

export function errorMessages(err, out = []) {
  if(err === undefined || err === null) {
    return out;
  }
  if(Array.isArray(err)) {
    err.forEach(e => errorMessages(e, out));
    return out;
  }
  if(Array.isArray(err.errors) && err.errors.length > 0) {
    errorMessages(err.errors, out);
    return out;
  }
  let msg = err.message ?? String(err);
  // jsonld.js safe-mode errors carry the offending event in details.event
  const event = err.details?.event;
  if(event?.code) {
    msg += ` (${event.code}` +
      (event.details ? `: ${JSON.stringify(event.details)}` : '') + ')';
  }
  if(!out.includes(msg)) {
    out.push(msg);
  }
  return out;
}

function vmId(proof) {
  const vm = proof?.verificationMethod;
  return typeof vm === 'object' && vm !== null ? vm.id : vm;
}

/**
 * Verifies a signed credential.
 *
 * @param {object} credential - The signed credential.
 * @param {object} [options]
 * @param {boolean} [options.proofOnly=false] - Verify only the proof(s)
 *   (signature + the verification method is authorized by its controller for
 *   assertionMethod) with jsigs.verify(); skip the VC data-model / validity
 *   period checks and the issuer == controller check.
 * @param {string} [options.key] - publicKeyMultibase to bind to every
 *   non-did:key verificationMethod in the proof(s) (test vectors only).
 * @param {string|Date} [options.now] - "Now" for validFrom/validUntil checks.
 *
 * @returns {Promise<object>} {verified, error, mode, checks, statusChecked}.
 */
export async function verifyCredential(credential, {
  proofOnly = false, key, now, documentLoader
} = {}) {
  const mode = proofOnly ? 'proof-only' : 'credential';
  const checks = {};
  const fail = error => ({verified: false, error, mode, checks});

  if(!credential || typeof credential !== 'object' ||
    Array.isArray(credential)) {
    return fail('Credential must be a JSON object.');
  }
  const proofs = credential.proof === undefined ? [] :
    [].concat(credential.proof);
  if(proofs.length === 0) {
    return fail('Credential has no "proof".');
  }

  const bindings = [];
  if(key !== undefined) {
    decodeEd25519PublicKeyMultibase(key); // throws on a bad --key
    for(const proof of proofs) {
      const id = vmId(proof);
      if(typeof id !== 'string') {
        continue;
      }
      if(id.startsWith('did:key:')) {
        const fp = id.slice('did:key:'.length).split('#')[0];
        if(fp !== key) {
          return fail(
            `--key ${key} does not match the proof's did:key verification ` +
            `method ${id}.`);
        }
        continue;
      }
      bindings.push({verificationMethod: id, publicKeyMultibase: key});
    }
  }
  const loader = documentLoader ?? createDocumentLoader({bindings});
  const suite = new DataIntegrityProof({
    cryptosuite: eddsaRdfc2022CryptoSuite
  });

  let result;
  let statusChecked;
  if(proofOnly) {
    result = await jsigs.verify(credential, {
      suite, purpose: new AssertionProofPurpose(), documentLoader: loader
    });
  } else {
    // The VC data-model and validity-period checks vc.verifyCredential()
    // runs first; run them separately too so a failure is reported as such.
    try {
      vc._checkCredential({credential, now});
      checks.credentialModel = true;
    } catch(e) {
      checks.credentialModel = false;
    }
    // vc.verifyCredential() requires a checkStatus function when the
    // credential has credentialStatus; checking revocation is out of scope
    // for a signature interop check, so accept it and say so in the output.
    statusChecked = credential.credentialStatus ? false : undefined;
    result = await vc.verifyCredential({
      credential, suite, documentLoader: loader, now,
      checkStatus: async () => ({verified: true, note: 'status not checked'})
    });
  }

  // Break the result down into explicit per-proof checks.
  const perProof = (result.results ?? []).filter(r => r.proof).map(r => {
    const purposeResults = [].concat(r.purposeResult ?? []);
    const entry = {
      verificationMethod: r.verificationMethod?.id ?? vmId(r.proof),
      // jsigs validates the purpose only after the signature verified
      signature: purposeResults.length > 0 || r.verified === true,
      verified: r.verified === true
    };
    if(purposeResults.length > 0) {
      // proofOnly: VM authorized by its controller for assertionMethod;
      // credential mode: that AND issuer == controller
      entry.purpose = purposeResults.every(p => p.valid);
    }
    if(!r.verified) {
      entry.error = errorMessages(r.error).join('; ');
    }
    return entry;
  });
  if(perProof.length) {
    checks.proofs = perProof;
  }
  if(!proofOnly) {
    const issuer = typeof credential.issuer === 'string' ?
      credential.issuer : credential.issuer?.id;
    checks.issuerMatchesController = proofs.some(p => {
      const id = vmId(p);
      return typeof id === 'string' && id.split('#')[0] === issuer;
    });
  }

  const out = {
    verified: result.verified === true,
    error: result.verified === true ? null :
      (errorMessages(result.error).join('; ') ||
        perProof.map(p => p.error).filter(Boolean).join('; ') ||
        'verification failed'),
    mode,
    checks
  };
  if(statusChecked === false) {
    out.statusChecked = false;
  }
  return out;
}
