#!/usr/bin/env node
// Verifies a verifiable presentation with vc.verify() (or, with
// "proofOnly", only its proof with jsigs.verify()): DataIntegrityProof
// (eddsa-rdfc-2022), AuthenticationProofPurpose with the given challenge and
// domain, using the Digital Bazaar JS stack, fully offline.
//
// stdin:  {"presentation": {...signed...}, "challenge": "...",
//          "domain": "...", "now": "2026-01-01T00:00:00Z",
//          "holderCheck": bool, "proofOnly": bool, "canonicalize": bool}
// stdout: {"verified": bool, "error": null|"...", "presentationVerified":
//          bool, "proofs": [...], "credentials": [...], "canonical": "..."}
// exit:   0 verified; 1 not verified; 2 usage error.
import {readStdin, writeJson} from './lib/cli.mjs';
import {errorMessages, UsageError} from './lib/core.mjs';
import {verifyPresentation} from './lib/presentation.mjs';

async function main() {
  if(process.argv.length > 2) {
    await writeJson({verified: false, error: 'usage: takes no arguments'});
    return 2;
  }
  let input;
  try {
    input = JSON.parse(await readStdin());
  } catch(e) {
    await writeJson(
      {verified: false, error: `usage: stdin is not JSON: ${e.message}`});
    return 2;
  }
  let result;
  try {
    result = await verifyPresentation(input);
  } catch(e) {
    await writeJson({
      verified: false,
      error: (e instanceof UsageError ? 'usage: ' : '') +
        errorMessages(e).join('; ')
    });
    return e instanceof UsageError ? 2 : 1;
  }
  await writeJson(result);
  return result.verified ? 0 : 1;
}

process.exitCode = await main();
