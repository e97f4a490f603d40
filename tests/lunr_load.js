// Loads every index shard with lunr.js + lunr-languages (nl) exactly as the browser does, and
// queries each shard for its first term. Prints {file: [terms, hits]}.
const fs = require("fs");
const path = require("path");
const lunr = require("lunr");
require("lunr-languages/lunr.stemmer.support")(lunr);
require("lunr-languages/lunr.nl")(lunr);
require(path.join(__dirname, "..", "publish", "site", "site_src", "assets", "woo-stem.js"))(lunr);
const dir = process.argv[2];
const out = {};
for (const name of fs.readdirSync(dir).sort()) {
  if (!/^[bt]-\d+(-\d+)?\.json$/.test(name)) continue;
  const idx = lunr.Index.load(JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")));
  const terms = Object.keys(idx.invertedIndex);
  const hits = terms.length ? idx.query((q) => q.term(terms[0], { usePipeline: false })).length : 0;
  out[name] = [terms.length, hits];
}
process.stdout.write(JSON.stringify(out));
