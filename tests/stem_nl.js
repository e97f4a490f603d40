// Stems each line of standard input with the browser's stemmer (publish/site/site_src/assets/woo-stem.js).
const lunr = require('lunr'); require('lunr-languages/lunr.stemmer.support')(lunr); require('lunr-languages/lunr.nl')(lunr);
const path = require('path');
const stem = require(path.join(__dirname, '..', 'publish', 'site', 'site_src', 'assets', 'woo-stem.js'))(lunr);
const words = require('fs').readFileSync(0,'utf8').split('\n').filter(Boolean);
process.stdout.write(words.map(stem).join('\n'));
