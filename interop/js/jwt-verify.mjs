// jwt-verify.mjs — verify a compact JWS with the `jose` npm package, the
// JOSE side of the interop check (see interop/jwt_test.go).
//
// stdin:  {"jws": "…", "jwk": {public JWK}, "algorithms": ["EdDSA", …]}
// stdout: {"verified": bool, "error": string|null, "header": {...}|null,
//          "payload": {...}|null}
//
// jose.compactVerify checks the signature with the given key, accepting only
// the listed algorithms (required, non-empty). For typ "JWT" tokens
// jose.jwtVerify then also checks the JWT claims (nbf/exp against now,
// with 60 s tolerance). The payload must be a JSON object.
//
// exit: 0 verified; 1 not verified; 2 usage error.
import {createPublicKey} from 'node:crypto';
import * as jose from 'jose';

function out(obj, code) {
  process.stdout.write(JSON.stringify(obj) + '\n');
  process.exit(code);
}

function usage(msg) {
  process.stderr.write(`usage: ${msg}\n`);
  out({verified: false, error: `usage: ${msg}`, header: null, payload: null}, 2);
}

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

async function main() {
  if (process.argv.length > 2) usage('no arguments expected');
  let input;
  try {
    input = JSON.parse(await readStdin());
  } catch (e) {
    usage(`stdin is not JSON: ${e.message}`);
  }
  const {jws, jwk, algorithms} = input ?? {};
  if (typeof jws !== 'string') usage('no "jws" string');
  if (!jwk || typeof jwk !== 'object') usage('no public "jwk"');
  if (jwk.d !== undefined) usage('"jwk" has private members');
  if (!Array.isArray(algorithms) || algorithms.length === 0) usage('"algorithms" must be a non-empty list');
  let key;
  try {
    // A KeyObject, not importJWK(jwk, alg): the key must not be tied to the
    // first listed algorithm; jose checks alg against the key when verifying.
    key = createPublicKey({key: jwk, format: 'jwk'});
  } catch (e) {
    usage(`bad JWK: ${e.message}`);
  }
  try {
    const {payload: bytes, protectedHeader} = await jose.compactVerify(jws, key, {algorithms});
    const payload = JSON.parse(new TextDecoder('utf-8', {fatal: true}).decode(bytes));
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('payload is not a JSON object');
    if ((protectedHeader.typ ?? 'JWT').toUpperCase() === 'JWT') {
      await jose.jwtVerify(jws, key, {algorithms, clockTolerance: 60});
    }
    out({verified: true, error: null, header: protectedHeader, payload}, 0);
  } catch (e) {
    out({verified: false, error: `${e.code ?? e.name}: ${e.message}`, header: null, payload: null}, 1);
  }
}

main().catch((e) => {
  out({verified: false, error: String(e?.message ?? e), header: null, payload: null}, 1);
});
