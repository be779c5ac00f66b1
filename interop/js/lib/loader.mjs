// Offline JSON-LD document loader for the interop scripts.
//
// Resolves ONLY:
//   * the JSON-LD contexts listed in ../../ld/contexts/map.json (URL -> file
//     name in that folder; exact URL match, no redirects, no fallbacks);
//   * Ed25519 did:key DIDs (did:key:z6Mk...) and their single verification
//     method did:key:<fp>#<fp>, built locally from the fingerprint;
//   * optionally, explicitly bound keys (see `bindings` below) for test
//     vectors whose verificationMethod is an https URL.
// Everything else throws: there is no network access, ever.

import {readFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import * as base58btc from 'base58-universal';

const HERE = dirname(fileURLToPath(import.meta.url));
// interop/js/lib -> repo root /ld/contexts
export const CONTEXTS_DIR = resolve(HERE, '..', '..', '..', 'ld', 'contexts');

export const DID_CONTEXT_V1 = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_CONTEXT_V1 = 'https://w3id.org/security/multikey/v1';

let contextMap; // url -> file name
const contextCache = new Map(); // url -> parsed JSON

function loadContextMap() {
  if(!contextMap) {
    const raw = readFileSync(join(CONTEXTS_DIR, 'map.json'), 'utf8');
    contextMap = new Map(Object.entries(JSON.parse(raw)));
  }
  return contextMap;
}

/** Returns the parsed context for `url`, or undefined if it is not mapped. */
export function getContext(url) {
  if(contextCache.has(url)) {
    return contextCache.get(url);
  }
  const file = loadContextMap().get(url);
  if(file === undefined) {
    return undefined;
  }
  // guard against a map entry escaping the contexts folder
  if(file.includes('/') || file.includes('\\') || file.startsWith('.')) {
    throw new Error(`Bad file name "${file}" in contexts map.json.`);
  }
  const doc = JSON.parse(readFileSync(join(CONTEXTS_DIR, file), 'utf8'));
  contextCache.set(url, doc);
  return doc;
}

export function contextUrls() {
  return [...loadContextMap().keys()];
}

/**
 * Decodes a multibase base58btc Ed25519 public key (multicodec ed25519-pub
 * 0xed01 + 32 bytes), throwing for anything else. Returns the 32 raw bytes.
 */
export function decodeEd25519PublicKeyMultibase(mb) {
  if(typeof mb !== 'string' || mb[0] !== 'z') {
    throw new Error(`Key "${mb}" is not a multibase base58btc string.`);
  }
  let bytes;
  try {
    bytes = base58btc.decode(mb.slice(1));
  } catch(e) {
    throw new Error(`Key "${mb}" is not valid base58btc.`);
  }
  if(!(bytes && bytes.length === 34 && bytes[0] === 0xed && bytes[1] === 0x01)) {
    throw new Error(
      `Unsupported key "${mb}": only Ed25519 public keys (multicodec 0xed01, ` +
      '"z6Mk..." fingerprints) are supported.');
  }
  return bytes.slice(2);
}

function verificationMethodDoc({id, controller, publicKeyMultibase}) {
  return {
    '@context': MULTIKEY_CONTEXT_V1,
    id,
    type: 'Multikey',
    controller,
    publicKeyMultibase
  };
}

// A controller document (did:key DID document, or a synthesized controller
// document for an explicitly bound key) authorizing the key for all
// verification relationships. It starts with the DID v1 context, which lets
// jsonld-signatures read `assertionMethod` directly (no framing needed).
function controllerDoc({controller, vm}) {
  const vmNoContext = {...vm};
  delete vmNoContext['@context'];
  return {
    '@context': [DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1],
    id: controller,
    verificationMethod: [vmNoContext],
    authentication: [vm.id],
    assertionMethod: [vm.id],
    capabilityDelegation: [vm.id],
    capabilityInvocation: [vm.id]
  };
}

/** Resolves an Ed25519 did:key DID or DID URL to its document. */
export async function resolveDidKey(url) {
  const [did, fragment, ...rest] = url.split('#');
  if(rest.length) {
    throw new Error(`Invalid DID URL "${url}".`);
  }
  const fp = did.slice('did:key:'.length);
  if(!/^z[1-9A-HJ-NP-Za-km-z]+$/.test(fp)) {
    throw new Error(`Invalid did:key "${did}".`);
  }
  decodeEd25519PublicKeyMultibase(fp);
  const vm = verificationMethodDoc(
    {id: `${did}#${fp}`, controller: did, publicKeyMultibase: fp});
  if(fragment === undefined) {
    return controllerDoc({controller: did, vm});
  }
  if(fragment !== fp) {
    throw new Error(
      `Unknown verification method "${url}": a did:key has exactly one ` +
      `Ed25519 verification method, "${did}#${fp}".`);
  }
  return vm;
}

/**
 * Creates the offline document loader.
 *
 * @param {object} [options]
 * @param {Array<{verificationMethod: string, publicKeyMultibase: string}>}
 *   [options.bindings] - Explicit key bindings for non-did:key verification
 *   methods (test vectors only). The controller of a bound verification
 *   method is its URL without the fragment; that controller document lists
 *   the method under assertionMethod.
 * @param {Array<string>} [options.log] - If given, every URL requested is
 *   pushed onto it (for tests).
 */
export function createDocumentLoader({bindings = [], log} = {}) {
  const bound = new Map(); // url -> document
  for(const {verificationMethod, publicKeyMultibase} of bindings) {
    if(typeof verificationMethod !== 'string' ||
      !verificationMethod.includes('#')) {
      throw new Error(
        `Bound verification method "${verificationMethod}" must be a URL ` +
        'with a fragment.');
    }
    const controller = verificationMethod.slice(
      0, verificationMethod.indexOf('#'));
    const vm = verificationMethodDoc(
      {id: verificationMethod, controller, publicKeyMultibase});
    bound.set(verificationMethod, vm);
    bound.set(controller, controllerDoc({controller, vm}));
  }

  return async function documentLoader(url) {
    if(log) {
      log.push(url);
    }
    if(typeof url !== 'string') {
      throw new Error('Document URL must be a string.');
    }
    const ctx = getContext(url);
    if(ctx !== undefined) {
      return {contextUrl: null, documentUrl: url, document: ctx};
    }
    if(bound.has(url)) {
      // validate the key lazily so a bad --key is reported as an error
      const doc = bound.get(url);
      const vm = doc.type === 'Multikey' ? doc : doc.verificationMethod[0];
      decodeEd25519PublicKeyMultibase(vm.publicKeyMultibase);
      return {contextUrl: null, documentUrl: url, document: structuredClone(doc)};
    }
    if(url.startsWith('did:key:')) {
      const document = await resolveDidKey(url);
      return {contextUrl: null, documentUrl: url, document};
    }
    throw new Error(
      `Offline document loader: refusing to load "${url}" (not a mapped ` +
      'context in ld/contexts/map.json, not an Ed25519 did:key, and not an ' +
      'explicitly bound key).');
  };
}
