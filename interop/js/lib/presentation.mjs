// Verifiable presentations with the Digital Bazaar stack: signing with
// vc.signPresentation() and verifying with vc.verify(), both with a
// DataIntegrityProof / eddsa-rdfc-2022 and proofPurpose authentication
// (challenge, domain). Shared by vp-sign.mjs and vp-verify.mjs.

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import jsigs from 'jsonld-signatures';
import {
  checkCreated, errorMessages, keyPairFromInput, UsageError
} from './core.mjs';
import {createDocumentLoader} from './loader.mjs';

const {purposes: {AuthenticationProofPurpose}} = jsigs;

function isObject(x) {
  return !!x && typeof x === 'object' && !Array.isArray(x);
}

function optionalString(input, field) {
  const v = input[field];
  if(v !== undefined && typeof v !== 'string') {
    throw new UsageError(`"${field}" must be a string.`);
  }
  return v;
}

/**
 * Signs a presentation with vc.signPresentation().
 *
 * input: {presentation} (unsigned, used as is) or {verifiableCredential,
 * holder, id} (built with vc.createPresentation(), VCDM 2.0); the holder key
 * as in sign.mjs (seed / secretKeyMultibase, optional verificationMethod);
 * challenge (required); domain (optional); created (optional).
 */
export async function signPresentation(input) {
  if(!isObject(input)) {
    throw new UsageError('Input must be a JSON object.');
  }
  const challenge = optionalString(input, 'challenge');
  if(challenge === undefined) {
    throw new UsageError('"challenge" is required (purpose authentication).');
  }
  const domain = optionalString(input, 'domain');
  const date = input.created === undefined ?
    undefined : checkCreated(input.created);
  let presentation;
  if(input.presentation !== undefined) {
    if(!isObject(input.presentation)) {
      throw new UsageError('"presentation" must be a JSON object.');
    }
    if('proof' in input.presentation) {
      throw new UsageError('"presentation" already has a "proof".');
    }
    presentation = structuredClone(input.presentation);
  } else {
    const verifiableCredential = input.verifiableCredential ?? [];
    presentation = vc.createPresentation({
      verifiableCredential: structuredClone(verifiableCredential),
      holder: input.holder, id: input.id, now: input.now, version: 2.0
    });
  }
  const {keyPair, did} = await keyPairFromInput(input);
  const suite = new DataIntegrityProof({
    signer: keyPair.signer(), date, cryptosuite: eddsaRdfc2022CryptoSuite
  });
  const signed = await vc.signPresentation({
    presentation, suite, challenge, domain,
    documentLoader: createDocumentLoader()
  });
  return {signed, did};
}

/**
 * Verifies a presentation.
 *
 * input: {presentation, challenge, domain, now, holderCheck, proofOnly,
 * canonicalize}.
 *
 * * default: vc.verify() — the presentation's proof with
 *   AuthenticationProofPurpose({challenge, domain}) and every credential
 *   with vc.verifyCredential() (data model, validity period at `now`,
 *   signature, issuer == controller of the verification method).
 * * holderCheck: also require the verification method to be listed under
 *   `authentication` in the holder's DID document (AuthenticationProofPurpose
 *   with `controller` set to that document): the holder signed it.
 * * proofOnly: only the presentation's proof (jsigs.verify() with the same
 *   purpose); the credentials are not verified (e.g. enveloped ones, which
 *   vc 7.3.0 cannot verify).
 * * canonicalize: also return the RDFC-1.0 canonical N-Quads of the
 *   presentation without its proof (what the signature covers).
 */
export async function verifyPresentation(input) {
  if(!isObject(input)) {
    throw new UsageError('Input must be a JSON object.');
  }
  const {presentation} = input;
  if(!isObject(presentation)) {
    throw new UsageError('"presentation" must be a JSON object.');
  }
  const challenge = optionalString(input, 'challenge');
  const domain = optionalString(input, 'domain');
  const now = optionalString(input, 'now');
  const documentLoader = createDocumentLoader();
  const suite = new DataIntegrityProof({
    cryptosuite: eddsaRdfc2022CryptoSuite
  });
  let controller;
  if(input.holderCheck) {
    const h = presentation.holder;
    const holder = typeof h === 'string' ? h : h?.id;
    if(typeof holder !== 'string') {
      throw new UsageError('holderCheck: the presentation has no holder id.');
    }
    // ControllerProofPurpose takes the controller's document: the
    // verification method must be listed under its `authentication`.
    ({document: controller} = await documentLoader(holder));
  }
  const out = {};
  if(input.canonicalize) {
    const unsecured = {...presentation};
    delete unsecured.proof;
    try {
      out.canonical = await eddsaRdfc2022CryptoSuite.canonize(
        unsecured, {documentLoader});
    } catch(e) {
      out.canonicalError = errorMessages(e).join('; ');
    }
  }

  let result;
  try {
    if(input.proofOnly) {
      const purpose = new AuthenticationProofPurpose(
        {challenge, domain, controller});
      result = await jsigs.verify(presentation, {
        suite, purpose, documentLoader
      });
    } else {
      // The holder's document goes in presentationPurpose, not in
      // vc.verify()'s `controller` option: vc.verify() passes its options on
      // to verifyCredential(), whose CredentialIssuancePurpose would then
      // require the holder to control every credential's issuer key too.
      const presentationPurpose = controller === undefined ? undefined :
        new AuthenticationProofPurpose({challenge, domain, controller});
      result = await vc.verify({
        presentation, challenge, domain, presentationPurpose, suite,
        documentLoader, now,
        // revocation is out of scope here, as in verify.mjs
        checkStatus: async () => ({verified: true, note: 'status not checked'})
      });
    }
  } catch(e) {
    result = {verified: false, error: e};
  }

  const proofResults = input.proofOnly ?
    result.results : result.presentationResult?.results;
  out.verified = result.verified === true;
  out.presentationVerified = input.proofOnly ? out.verified :
    result.presentationResult?.verified === true;
  out.proofs = (proofResults ?? []).map(r => ({
    verificationMethod: r.verificationMethod?.id ?? r.proof?.verificationMethod,
    verified: r.verified === true,
    error: r.verified ? undefined : errorMessages(r.error).join('; ')
  }));
  if(!input.proofOnly) {
    out.credentials = (result.credentialResults ?? []).map(r => ({
      id: r.credentialId,
      verified: r.verified === true,
      error: r.verified ? undefined :
        errorMessages(r.error).join('; ') || 'not verified'
    }));
  }
  out.error = out.verified ? null :
    (errorMessages(result.error).join('; ') ||
      out.proofs.map(p => p.error).filter(Boolean).join('; ') ||
      (out.credentials ?? []).map(c => c.error).filter(Boolean).join('; ') ||
      'verification failed');
  return out;
}
