const lunr = require('lunr'); require('lunr-languages/lunr.stemmer.support')(lunr); require('lunr-languages/lunr.nl')(lunr);
const words = require('fs').readFileSync(0,'utf8').split('\n').filter(Boolean);
const out = words.map(w => lunr.nl.stemmer(new lunr.Token(w)).toString());
process.stdout.write(out.join('\n'));
