// peer.mjs — an independent ActivityPub server built on Fedify, for
// TestFederationWithFedify (internal/app/fedify_test.go).
//
// It serves one account, alice (a Person with an RSA key, so Fedify signs
// with draft-cavage HTTP Signatures, rsa-sha256), on 127.0.0.1 at a port
// the system picks, and speaks JSON lines:
//
//   stdout  {"ready": "<base url>"} once listening;
//           {"received": "<type>", "id", "actor", "inbox", "signer", "objectId", "object"}
//             for each activity reaching an inbox listener, which Fedify
//             calls only after it verified the request's HTTP Signature;
//             "signer" is the key id Fedify's verifyRequest accepted;
//           {"refused": <status>, "path", "body"} when Fedify turned a
//             POST down (a signature or a document it could not verify);
//           {"sent": "<type>", "id", "inbox"} or {"error": "…"} per command.
//   stdin   {"follow": "<actor url>"}: alice follows that actor;
//           {"reply": "<article url>", "text": "…", "to": "<actor url>"}:
//             alice replies to the article with a Note addressed to the actor.
//   stderr  Fedify's own log, for the test to show when it fails.
//
// Nothing is fetched from the internet: Fedify carries the ActivityStreams
// and security JSON-LD contexts (preloaded contexts of its document loader),
// and every other document is the site's, on loopback.

import { AsyncLocalStorage } from "node:async_hooks";
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { Buffer } from "node:buffer";
import { randomUUID } from "node:crypto";
import {
  Accept,
  Create,
  createFederation,
  Delete,
  Endpoints,
  Follow,
  generateCryptoKeyPair,
  isActor,
  MemoryKvStore,
  Note,
  Person,
  Reject,
  Update,
  verifyRequest,
} from "@fedify/fedify";
import { configure } from "@logtape/logtape";
import { Temporal } from "@js-temporal/polyfill";

await configure({
  contextLocalStorage: new AsyncLocalStorage(),
  sinks: {
    stderr: (record) => {
      const msg = record.message.map((m) => typeof m === "string" ? m : m instanceof Error ? String(m.stack ?? m) : JSON.stringify(m)).join("");
      process.stderr.write(`${new Date(record.timestamp).toISOString()} ${record.level} ${record.category.join(".")}: ${msg}\n`);
    },
  },
  loggers: [
    { category: "fedify", sinks: ["stderr"], lowestLevel: "debug" },
    { category: ["logtape", "meta"], sinks: ["stderr"], lowestLevel: "warning" },
  ],
});

/** print writes one JSON line on stdout. */
function print(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

const keyPair = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");

const server = createServer(handle);
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const federation = createFederation({
  kv: new MemoryKvStore(),
  origin: base,
  // Loopback and plain http are private addresses to Fedify.
  allowPrivateAddress: true,
  // No queue: activities are sent at once and received in the request.
  // Signatures are verified (skipSignatureVerification is false by default;
  // it is spelled out so that nobody turns it on here).
  skipSignatureVerification: false,
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== "alice") return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Alice",
      summary: "A Fedify account on loopback.",
      url: ctx.getActorUri(identifier),
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((k) => k.multikey),
    });
  })
  .setKeyPairsDispatcher((_ctx, identifier) => identifier === "alice" ? [keyPair] : []);

/** report prints an activity that reached an inbox listener. */
async function report(ctx, activity) {
  let object = null;
  try {
    const obj = await activity.getObject({ documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader });
    if (obj != null) object = await obj.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader });
  } catch (err) {
    object = { error: String(err) };
  }
  print({
    received: activity.constructor.typeId.href.replace("https://www.w3.org/ns/activitystreams#", ""),
    id: activity.id?.href ?? null,
    actor: activity.actorId?.href ?? null,
    inbox: ctx.recipient == null ? "/inbox" : `/users/${ctx.recipient}/inbox`,
    signer: ctx.data.signer,
    objectId: activity.objectId?.href ?? null,
    object,
  });
}

const listeners = federation.setInboxListeners("/users/{identifier}/inbox", "/inbox");
for (const type of [Accept, Create, Update, Delete, Reject]) listeners.on(type, report);
listeners.onError((_ctx, err) => print({ error: `inbox listener: ${err?.stack ?? err}` }));

/**
 * handle turns a node:http request into a fetch Request for Fedify and
 * writes its Response back. For a POST it first runs Fedify's own
 * verifyRequest on a copy, to name the key that signed it in "signer";
 * Fedify's inbox verifies the signature again, and refuses the activity
 * (401) when it does not hold.
 */
async function handle(req, res) {
  try {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const request = new Request(new URL(req.url, base), {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]),
      body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
    });
    let signer = null;
    if (req.method === "POST") {
      const ctx = federation.createContext(request, { signer: null });
      const key = await verifyRequest(request.clone(), {
        documentLoader: ctx.documentLoader,
        contextLoader: ctx.contextLoader,
      });
      signer = key?.id?.href ?? null;
    }
    const response = await federation.fetch(request, { contextData: { signer } });
    const text = Buffer.from(await response.arrayBuffer());
    if (req.method === "POST" && response.status >= 400) {
      print({ refused: response.status, path: req.url, body: text.toString("utf8") });
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(text);
  } catch (err) {
    process.stderr.write(`handle ${req.method} ${req.url}: ${err?.stack ?? err}\n`);
    res.writeHead(500, { "content-type": "text/plain" });
    res.end("internal error");
  }
}

/** recipient looks an actor up by its URL, as Fedify does before sending. */
async function recipient(ctx, url) {
  const actor = await ctx.lookupObject(url);
  if (actor == null || !isActor(actor)) throw new Error(`${url} is not an actor`);
  return actor;
}

/** escapeHTML makes text safe to put in a Note's HTML content. */
function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** run carries out one command from stdin. */
async function run(cmd) {
  const ctx = federation.createContext(new URL(base), { signer: null });
  const alice = ctx.getActorUri("alice");
  if (cmd.follow) {
    const actor = await recipient(ctx, cmd.follow);
    const follow = new Follow({ id: new URL(`/follows/${randomUUID()}`, base), actor: alice, object: actor.id });
    await ctx.sendActivity({ identifier: "alice" }, actor, follow, { immediate: true });
    return { sent: "Follow", id: follow.id.href, inbox: actor.inboxId?.href };
  }
  if (cmd.reply) {
    const actor = await recipient(ctx, cmd.to);
    const id = new URL(`/notes/${randomUUID()}`, base);
    const note = new Note({
      id,
      attribution: alice,
      replyTarget: new URL(cmd.reply),
      to: actor.id,
      content: `<p>${escapeHTML(cmd.text)}</p>`,
      published: Temporal.Now.instant(),
    });
    const create = new Create({ id: new URL(`${id.href}/activity`), actor: alice, object: note, to: actor.id });
    await ctx.sendActivity({ identifier: "alice" }, actor, create, { immediate: true });
    return { sent: "Create", id: create.id.href, note: id.href, inbox: actor.inboxId?.href };
  }
  throw new Error(`unknown command ${JSON.stringify(cmd)}`);
}

print({ ready: base });

const lines = createInterface({ input: process.stdin });
lines.on("line", async (line) => {
  if (line.trim() === "") return;
  try {
    print(await run(JSON.parse(line)));
  } catch (err) {
    print({ error: String(err?.stack ?? err) });
  }
});
// The test closes stdin to stop the peer.
lines.on("close", () => process.exit(0));
