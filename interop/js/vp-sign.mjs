#!/usr/bin/env node
// Signs a verifiable presentation with vc.signPresentation(): a
// DataIntegrityProof (eddsa-rdfc-2022), proofPurpose authentication, with
// a challenge and an optional domain, using the Digital Bazaar JS stack,
// fully offline.
//
// stdin:  {"presentation": {...unsigned...}            (used as is), or
//          "verifiableCredential": [...], "holder": "did:key:...", "id": ...
//                                          (built with vc.createPresentation),
//          "seed": "<64 hex chars>"        (or "secretKeyMultibase"; the
//                                           holder key, as in sign.mjs),
//          "challenge": "...", "domain": "...",
//          "created": "2024-01-01T00:00:00Z" (optional, default now)}
// stdout: the signed presentation (JSON).
// exit:   0 signed; 1 signing failed; 2 usage error. Errors go to stderr.
import {readStdin} from './lib/cli.mjs';
import {errorMessages, UsageError} from './lib/core.mjs';
import {signPresentation} from './lib/presentation.mjs';

async function main() {
  if(process.argv.length > 2) {
    process.stderr.write('vp-sign.mjs: takes no arguments, only stdin\n');
    return 2;
  }
  let input;
  try {
    input = JSON.parse(await readStdin());
  } catch(e) {
    process.stderr.write(`vp-sign.mjs: stdin is not JSON: ${e.message}\n`);
    return 2;
  }
  try {
    const {signed} = await signPresentation(input);
    await new Promise(resolve =>
      process.stdout.write(JSON.stringify(signed, null, 2) + '\n', resolve));
    return 0;
  } catch(e) {
    process.stderr.write(`vp-sign.mjs: ${errorMessages(e).join('; ')}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main();
