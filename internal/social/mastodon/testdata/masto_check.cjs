// Drives the fake instance with masto, the Mastodon client library for
// JavaScript (npm "masto"), to check that the fake answers what a client
// written against the real API expects. Run by TestMastoClient:
//
//   MASTO_DIR=<dir with node_modules/masto> node masto_check.cjs <instance URL> <token>
//
// It exits 0 and prints "ok" when every check passes, 1 with the reason
// otherwise. Besides the calls succeeding, it checks that each answer has
// every field masto's own type declarations mark as required.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

const [url, token] = process.argv.slice(2);
const requireMasto = createRequire(path.join(process.env.MASTO_DIR, "noop.js"));
const { createRestAPIClient, MastoHttpError } = requireMasto("masto");
// dist/cjs/index.js → the package's root, where the type declarations are.
const root = path.resolve(path.dirname(requireMasto.resolve("masto")), "..", "..");

function fail(msg) {
  console.error(msg);
  process.exit(1);
}

// requiredFields returns the properties an interface of masto's
// declarations marks as required (no "?").
function requiredFields(file, name) {
  const src = fs.readFileSync(path.join(root, "dist", "esm", "mastodon", "entities", "v1", file), "utf8");
  const start = src.indexOf(`interface ${name} {`);
  if (start < 0) fail(`no interface ${name} in ${file}`);
  const fields = [];
  let depth = 0;
  for (const line of src.slice(start).split("\n")) {
    if (depth === 1) {
      const m = /^\s*(?:readonly\s+)?([A-Za-z_]\w*)(\?)?:/.exec(line);
      if (m && !m[2]) fields.push(m[1]);
    }
    depth += (line.match(/{/g) || []).length - (line.match(/}/g) || []).length;
    if (depth === 0 && fields.length > 0) break;
  }
  if (fields.length === 0) fail(`no required fields found in ${name}`);
  return fields;
}

function checkFields(what, obj, fields) {
  for (const f of fields) {
    if (!(f in obj)) fail(`${what} lacks ${f}, which masto requires`);
  }
}

async function expectError(what, promise, statusCode, message) {
  try {
    await promise;
  } catch (e) {
    if (!(e instanceof MastoHttpError)) fail(`${what}: ${e}, want a MastoHttpError`);
    if (e.statusCode !== statusCode || e.message !== message) {
      fail(`${what}: ${e.statusCode} "${e.message}", want ${statusCode} "${message}"`);
    }
    return;
  }
  fail(`${what}: no error`);
}

async function main() {
  const accountFields = requiredFields("account.d.ts", "Account");
  const statusFields = requiredFields("status.d.ts", "Status");
  const masto = createRestAPIClient({ url, accessToken: token });

  const me = await masto.v1.accounts.verifyCredentials();
  checkFields("verify_credentials", me, accountFields);

  const params = { status: "Élections municipales 🗳️ https://lagazette.example/m", visibility: "unlisted", language: "fr" };
  const meta = { requestInit: { headers: { "Idempotency-Key": "masto-1" } } };
  const st = await masto.v1.statuses.create(params, meta);
  checkFields("status", st, statusFields);
  checkFields("status.account", st.account, accountFields);
  if (st.visibility !== "unlisted" || st.language !== "fr") fail(`status ${JSON.stringify(st)}`);

  const again = await masto.v1.statuses.create(params, meta);
  if (again.id !== st.id) fail(`same Idempotency-Key gave ${again.id}, want ${st.id}`);

  const fetched = await masto.v1.statuses.$select(st.id).fetch();
  if (fetched.id !== st.id) fail(`fetched ${fetched.id}, want ${st.id}`);

  const removed = await masto.v1.statuses.$select(st.id).remove();
  if (removed.text !== params.status) fail(`deleted status's text is ${removed.text}`);

  await expectError("status again", masto.v1.statuses.$select(st.id).fetch(), 404, "Record not found");
  await expectError("blank status", masto.v1.statuses.create({ status: " " }), 422, "Validation failed: Text can't be blank");
  const revoked = createRestAPIClient({ url, accessToken: "revoked" });
  await expectError("revoked token", revoked.v1.accounts.verifyCredentials(), 401, "The access token is invalid");
  console.log("ok");
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
