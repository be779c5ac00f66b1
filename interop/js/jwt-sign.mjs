// jwt-sign.mjs — sign a credential as a compact JWS with the `jose` npm
// package, the JOSE side of the interop check (see interop/jwt_test.go).
//
// stdin:  {"credential": {...}, "jwk": {private JWK}, "kid": "did:…#…",
//          "alg": "EdDSA" | "ES256" | "RS256" | "HS256" | "none",
//          "typ": "JWT" | "vc+jwt"}
// stdout: the compact JWS.
//
// typ "JWT" (Open Badges 3.0 §8.2 VC-JWT): payload = the credential plus the
// registered claims iss (issuer id), jti (credential id), nbf (validFrom,
// seconds), exp (validUntil, seconds) and sub (the single credentialSubject
// id), as microcred's vc/jwt Seal writes them.
// typ "vc+jwt" (VC-JOSE-COSE): payload = the credential, header cty "vc".
//
// "claims" (optional, typ "JWT" only) overrides the computed claims, to
// craft tokens whose claims disagree with the credential.
// "HS256" (with "secret", a string) and "none" exist only to craft tokens a
// verifier must refuse; "jwk" is then ignored.
//
// exit: 0 signed; 1 jose refused to sign; 2 usage error.
import * as jose from 'jose';

function usage(msg) {
  process.stderr.write(`usage: ${msg}\n`);
  process.exit(2);
}

const b64u = (s) => Buffer.from(s).toString('base64url');

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

function claimsFor(cred) {
  const out = {...cred};
  for (const k of ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'nonce']) delete out[k];
  const issuer = typeof cred.issuer === 'string' ? cred.issuer : cred.issuer?.id;
  if (typeof issuer !== 'string' || issuer === '') usage('credential has no issuer id');
  out.iss = issuer;
  if (typeof cred.id === 'string' && cred.id !== '') out.jti = cred.id;
  const secs = (name) => {
    const v = cred[name];
    if (v === undefined) return undefined;
    const ms = Date.parse(v);
    if (typeof v !== 'string' || Number.isNaN(ms)) usage(`credential ${name} is not a date`);
    return Math.floor(ms / 1000);
  };
  const nbf = secs('validFrom');
  if (nbf !== undefined) out.nbf = nbf;
  const exp = secs('validUntil');
  if (exp !== undefined) out.exp = exp;
  const subs = Array.isArray(cred.credentialSubject) ? cred.credentialSubject : [cred.credentialSubject];
  if (subs.length === 1 && typeof subs[0]?.id === 'string' && subs[0].id !== '') out.sub = subs[0].id;
  return out;
}

async function main() {
  if (process.argv.length > 2) usage('no arguments expected');
  let input;
  try {
    input = JSON.parse(await readStdin());
  } catch (e) {
    usage(`stdin is not JSON: ${e.message}`);
  }
  const {credential, jwk, kid, alg, typ = 'JWT'} = input ?? {};
  if (!credential || typeof credential !== 'object' || Array.isArray(credential)) usage('no credential object');
  if (!['EdDSA', 'ES256', 'RS256', 'HS256', 'none'].includes(alg)) usage(`unsupported alg ${alg}`);
  let payload;
  const header = {alg, typ};
  if (typ === 'JWT') {
    payload = claimsFor(credential);
    // "claims" (optional) overrides claims, for negative tests only.
    if (input.claims !== undefined) {
      if (!input.claims || typeof input.claims !== 'object' || Array.isArray(input.claims)) usage('"claims" must be an object');
      Object.assign(payload, input.claims);
    }
  } else if (typ === 'vc+jwt') {
    payload = credential;
    header.cty = 'vc';
  } else {
    usage(`unsupported typ ${typ}`);
  }
  if (kid !== undefined) header.kid = kid;
  const body = new TextEncoder().encode(JSON.stringify(payload));

  if (alg === 'none') {
    // jose will not produce an unsecured JWS with a kid; build it by hand.
    process.stdout.write(`${b64u(JSON.stringify(header))}.${b64u(body)}.`);
    return;
  }
  let key;
  if (alg === 'HS256') {
    if (typeof input.secret !== 'string') usage('HS256 needs "secret"');
    key = new TextEncoder().encode(input.secret);
  } else {
    if (!jwk || typeof jwk !== 'object' || !jwk.d) usage('no private JWK');
    try {
      key = await jose.importJWK(jwk, alg);
    } catch (e) {
      usage(`bad JWK: ${e.message}`);
    }
  }
  let jws;
  try {
    jws = await new jose.CompactSign(body).setProtectedHeader(header).sign(key);
  } catch (e) {
    process.stderr.write(`jose refused to sign: ${e.message}\n`);
    process.exit(1);
  }
  process.stdout.write(jws);
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
