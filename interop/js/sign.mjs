#!/usr/bin/env node
// Signs an Open Badges 3.0 / VC with a DataIntegrityProof (eddsa-rdfc-2022)
// using the Digital Bazaar JS stack, fully offline.
//
// stdin:  {"credential": {...unsigned...},
//          "seed": "<64 hex chars>"            (or "secretKeyMultibase",
//                                               alias "privateKeyMultibase"),
//          "publicKeyMultibase": "z6Mk..."      (optional, checked),
//          "created": "2024-01-01T00:00:00Z"    (optional, default now),
//          "verificationMethod": "..."          (optional, default
//                                               did:key:<fp>#<fp>)}
// stdout: the signed credential (JSON).
// exit:   0 signed; 1 signing failed (e.g. JSON-LD safe-mode error);
//         2 usage error (bad arguments or input). Errors go to stderr.
import {readStdin} from './lib/cli.mjs';
import {errorMessages, signCredential, UsageError} from './lib/core.mjs';

const USAGE = 'usage: node sign.mjs < {"credential": {...}, "seed": "<hex>"}';

async function main() {
  const args = process.argv.slice(2);
  if(args.includes('-h') || args.includes('--help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if(args.length > 0) {
    process.stderr.write(`sign.mjs: unexpected arguments ${args.join(' ')}\n` +
      USAGE + '\n');
    return 2;
  }
  const text = await readStdin();
  let input;
  try {
    input = JSON.parse(text);
  } catch(e) {
    process.stderr.write(`sign.mjs: stdin is not JSON: ${e.message}\n`);
    return 2;
  }
  try {
    const {signed, did, issuerMatches} = await signCredential(input);
    if(!issuerMatches) {
      process.stderr.write(`sign.mjs: warning: credential issuer is not ` +
        `${did}; vc.verifyCredential() will reject it (issuer must match ` +
        'the verification method controller).\n');
    }
    await new Promise(resolve =>
      process.stdout.write(JSON.stringify(signed, null, 2) + '\n', resolve));
    return 0;
  } catch(e) {
    process.stderr.write(`sign.mjs: ${errorMessages(e).join('; ')}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main();
