#!/usr/bin/env node
// Start @vercel/cosmosdb-server on a loopback port for the Cosmos adapter tests.
//
// Usage: node serve.js [port]   (port 0 or none = a free port)
// Prints one line "listening <port>" on stdout once it accepts connections, then serves until
// killed.  Only ever binds 127.0.0.1.
//
// Fidelity fixes, applied before the server loads its routes, each where the package answers
// differently from a real Azure Cosmos DB account (and documented Cosmos DB behaviour):
//
// 1. Its point read of a document that does not exist crashes with HTTP 500 ("Cannot read
//    properties of undefined") where real Cosmos DB answers 404 NotFound; the read handler is
//    wrapped to answer 404.
// 2. String functions with the optional third "ignore case" argument, as real Cosmos DB has them:
//    CONTAINS(s, t, true), STARTSWITH(s, t, true), and StringEquals(s, t, true), which the package
//    lacks.  Arguments of another type give undefined (no match), as in Cosmos DB.
// 3. ORDER BY keeps documents whose sort field is undefined (real Cosmos DB does so since 2021
//    with the default indexing policy: undefined sorts before null, booleans, numbers and strings
//    ascending, after them descending).  The package drops them from single-field ORDER BY, as
//    Cosmos DB used to.  Its comparator already has Cosmos DB's type order; only the filter goes.
//    The continuation token of such a page must then carry "undefined" as a sort value: JSON turns
//    it into null, which would skip the rest of the undefined block, so it is kept as a marker.
// 4. A transactional batch (x-ms-cosmos-batch-atomic) is all or nothing in real Cosmos DB; the
//    package stops at the first failed operation but keeps what the operations before it did.
//    The batch handler is wrapped so that, when an atomic batch fails, the documents its
//    operations created (201) are removed again and their results become 424 (loom's batches only
//    create; a replace or delete inside a failed batch keeps the package's behaviour).
"use strict";

const helpers = require("@zeit/cosmosdb-query/lib/helpers");
const builtins = require("@zeit/cosmosdb-query/lib/builtin-functions");
const continuationToken = require("@zeit/cosmosdb-query/lib/continuation-token");
const { SyntaxError: QuerySyntaxError } = require("@zeit/cosmosdb-query/lib/parser");

function stringFunction(name, compare) {
  return (...args) => {
    if (args.length < 2 || args.length > 3) {
      throw new QuerySyntaxError(`The ${name} function requires 2 or 3 argument(s)`);
    }
    const [a, b, ignoreCase] = args;
    if (typeof a !== "string" || typeof b !== "string") return undefined;
    if (args.length === 3 && typeof ignoreCase !== "boolean") return undefined;
    return ignoreCase ? compare(a.toLowerCase(), b.toLowerCase()) : compare(a, b);
  };
}
builtins.CONTAINS = stringFunction("CONTAINS", (a, b) => a.includes(b));
builtins.STARTSWITH = stringFunction("STARTSWITH", (a, b) => a.startsWith(b));
builtins.STRINGEQUALS = stringFunction("StringEquals", (a, b) => a === b);

const originalSort = helpers.sort;
helpers.sort = (collection, getRid, compositeIndexes, ...orders) => {
  if (orders.length !== 1) return originalSort(collection, getRid, compositeIndexes, ...orders);
  // the same order twice sorts alike and skips the package's "drop undefined" step
  return originalSort(collection, getRid, null, orders[0], orders[0]);
};

const UNDEFINED = { "$cosmosUndefined": true };
const originalEncode = continuationToken.encode;
const originalDecode = continuationToken.decode;
continuationToken.encode = (t) =>
  originalEncode(Array.isArray(t.RTD) ? { ...t, RTD: t.RTD.map((v) => (typeof v === "undefined" ? UNDEFINED : v)) } : t);
continuationToken.decode = (token) => {
  const t = originalDecode(token);
  if (Array.isArray(t.RTD)) {
    t.RTD = t.RTD.map((v) => (v && typeof v === "object" && v.$cosmosUndefined === true ? undefined : v));
  }
  return t;
};

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

const batchDocuments = require("@vercel/cosmosdb-server/lib/handler/batch-documents");
const trueHeader = require("@vercel/cosmosdb-server/lib/true-header").default;
const originalBatch = batchDocuments.default;
batchDocuments.default = async (account, req, res, params) => {
  const body = await originalBatch(account, req, res, params);
  if (!trueHeader(req, "x-ms-cosmos-batch-atomic") || !Array.isArray(body) || !body.some((r) => r.statusCode >= 400)) {
    return body;
  }
  const collection = account.database(params.dbId).collection(params.collId);
  for (const r of body) {
    if (r.statusCode === 201 && r.resourceBody) {  // made by this batch: undone
      collection.documents.delete(r.resourceBody.id, collection.documents._getPartition(r.resourceBody));
    }
  }
  return body.map((r) => (r.statusCode >= 400 ? r : { statusCode: 424, requestCharge: 0 }));
};

const { createHttpsServer } = require("@vercel/cosmosdb-server");

const port = parseInt(process.argv[2] || "0", 10);
const server = createHttpsServer().listen(port, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
for (const sig of ["SIGTERM", "SIGINT"]) {
  process.on(sig, () => server.close(() => process.exit(0)));
}
