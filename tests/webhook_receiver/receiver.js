// A council's webhook receiver as a platform would write it: every POST is checked with the
// off-the-shelf Standard Webhooks library (npm `standardwebhooks`), never with the kiosk's own
// code, so a test that passes here shows the kiosk's signatures verify in the wild.
//
//   node receiver.js --secret whsec_... --port-file FILE
//
// POST (any path)    verified: 200 {"reference": "WH-<n>"}; not verified: 401 {"error": ...}
// GET /admin/received  {"accepted": [{"path", "id", "timestamp", "signature", "idempotencyKey",
//                       "body"}], "rejected": [{"path", "id", "error"}]}
// Listens on 127.0.0.1 on a free port and writes the port to FILE once listening.
"use strict";

const fs = require("fs");
const http = require("http");
const { Webhook } = require("standardwebhooks");

function argument(name) {
  const at = process.argv.indexOf(name);
  if (at < 0 || at + 1 >= process.argv.length) {
    console.error(`usage: node receiver.js --secret whsec_... --port-file FILE (missing ${name})`);
    process.exit(2);
  }
  return process.argv[at + 1];
}

const webhook = new Webhook(argument("--secret"));
const portFile = argument("--port-file");
const accepted = [];
const rejected = [];

function answer(response, status, document) {
  const text = JSON.stringify(document);
  response.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  response.end(text);
}

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    if (request.method === "GET" && request.url === "/admin/received") {
      answer(response, 200, { accepted, rejected });
      return;
    }
    if (request.method !== "POST") {
      answer(response, 405, { error: "POST only" });
      return;
    }
    const body = Buffer.concat(chunks).toString("utf8");
    try {
      webhook.verify(body, request.headers);
    } catch (error) {
      rejected.push({ path: request.url, id: request.headers["webhook-id"] || "", error: String(error.message) });
      answer(response, 401, { error: "The webhook signature did not verify" });
      return;
    }
    accepted.push({
      path: request.url,
      id: request.headers["webhook-id"],
      timestamp: request.headers["webhook-timestamp"],
      signature: request.headers["webhook-signature"],
      idempotencyKey: request.headers["idempotency-key"] || "",
      body,
    });
    answer(response, 200, { reference: `WH-${accepted.length}` });
  });
});

server.listen(0, "127.0.0.1", () => {
  const temporary = `${portFile}.tmp`;
  fs.writeFileSync(temporary, String(server.address().port));
  fs.renameSync(temporary, portFile);
});

process.on("SIGTERM", () => server.close(() => process.exit(0)));
