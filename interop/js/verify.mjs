#!/usr/bin/env node
// Verifies a credential secured with a DataIntegrityProof (eddsa-rdfc-2022)
// using the Digital Bazaar JS stack, fully offline.
//
// usage:  node verify.mjs [--proof-only] [--key z6Mk...] [--now ISO-DATE]
//           < signed-credential.json
// stdout: {"verified": true|false, "error": null|"...", "mode": ...,
//          "checks": {...}}
// exit:   0 verified; 1 not verified; 2 usage error (bad arguments, stdin not
//         a JSON object).
import {readStdin, writeJson} from './lib/cli.mjs';
import {verifyCredential} from './lib/core.mjs';

const USAGE = 'usage: node verify.mjs [--proof-only] [--key z6Mk...] ' +
  '[--now 2024-01-01T00:00:00Z] < signed.json';

function parseArgs(argv) {
  const opts = {proofOnly: false};
  for(let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [name, inline] = a.startsWith('--') && a.includes('=') ?
      [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a];
    const value = () => {
      if(inline !== undefined) {
        return inline;
      }
      if(i + 1 >= argv.length) {
        throw new Error(`${name} needs a value`);
      }
      return argv[++i];
    };
    switch(name) {
      case '--proof-only':
        if(inline !== undefined) {
          throw new Error('--proof-only takes no value');
        }
        opts.proofOnly = true;
        break;
      case '--key':
        opts.key = value();
        break;
      case '--now': {
        opts.now = value();
        if(isNaN(new Date(opts.now))) {
          throw new Error(`--now: "${opts.now}" is not a date`);
        }
        break;
      }
      case '-h':
      case '--help':
        opts.help = true;
        break;
      default:
        throw new Error(`unknown argument "${a}"`);
    }
  }
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch(e) {
    await writeJson({verified: false, error: `usage: ${e.message}`});
    process.stderr.write(USAGE + '\n');
    return 2;
  }
  if(opts.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const text = await readStdin();
  let credential;
  try {
    credential = JSON.parse(text);
  } catch(e) {
    await writeJson(
      {verified: false, error: `usage: stdin is not JSON: ${e.message}`});
    return 2;
  }
  if(!credential || typeof credential !== 'object' ||
    Array.isArray(credential)) {
    await writeJson(
      {verified: false, error: 'usage: stdin must be a JSON object'});
    return 2;
  }
  let result;
  try {
    result = await verifyCredential(credential, opts);
  } catch(e) {
    // e.g. a malformed --key
    await writeJson({verified: false, error: `usage: ${e.message}`});
    return 2;
  }
  await writeJson(result);
  return result.verified ? 0 : 1;
}

process.exitCode = await main();
