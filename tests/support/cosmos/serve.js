#!/usr/bin/env node
// Start @vercel/cosmosdb-server on a loopback port for the Cosmos adapter tests.
//
// Usage: node serve.js [port]   (port 0 or none = a free port)
// Prints one line "listening <port>" on stdout once it accepts connections, then serves until
// killed.  Only ever binds 127.0.0.1.
//
// One fidelity fix, applied before the server loads its routes: its point read of a document
// that does not exist crashes with HTTP 500 ("Cannot read properties of undefined") where
// real Cosmos DB answers 404 NotFound.  The store adapter must see the real status, so the read
// handler is wrapped to answer 404 like Cosmos does.  Nothing else is changed.
"use strict";

const readDocument = require("@vercel/cosmosdb-server/lib/handler/read-document");
const original = readDocument.default;
readDocument.default = (account, req, res, params) => {
  try {
    return original(account, req, res, params);
  } catch (err) {
    if (err instanceof TypeError && /Cannot read properties of undefined/.test(err.message)) {
      res.statusCode = 404;
      return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
    }
    throw err;
  }
};

const { createHttpsServer } = require("@vercel/cosmosdb-server");

const port = parseInt(process.argv[2] || "0", 10);
const server = createHttpsServer().listen(port, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
for (const sig of ["SIGTERM", "SIGINT"]) {
  process.on(sig, () => server.close(() => process.exit(0)));
}
