/* Dutch stemming for woo-publicatie's search: lunr-languages' Snowball stemmer with a light
   inflection step around it, so that singular and plural meet ("windturbine"/"windturbines",
   "organisatie"/"organisaties", "gegeven"/"gegevens", "brief"/"brieven").

   The same function runs in Python (publish/search.py, `stem`) when the index is built; a test runs
   both over the same word list and requires identical output. Change both together.

   Registered with lunr as the pipeline function "stemmer-nl-woo" (the index shards name it), and
   exposed as lunr.wooStem(word) for the query side. Works in the browser and under Node. */
(function (factory) {
  if (typeof module !== "undefined" && module.exports) module.exports = factory;
  else factory(window.lunr);
})(function (lunr) {
  "use strict";
  var VOWELS = "aeiouyè";
  function isVowel(c) { return VOWELS.indexOf(c) >= 0; }

  // Before Snowball: plural endings that Snowball's Dutch stemmer leaves alone.
  function normalise(w) {
    if (/['’]s$/.test(w)) w = w.slice(0, -2);                 // auto's, pagina's
    if (w.length >= 6 && /essen$/.test(w)) w = w.slice(0, -3); // processen -> proces, adressen -> adres
    if (w.length >= 6 && /heden$/.test(w)) w = w.slice(0, -5) + "heid"; // mogelijkheden -> mogelijkheid
    if (w.length >= 6 && /zen$/.test(w)) w = w.slice(0, -3) + "s";      // adviezen -> advies, huizen -> huis
    if (w.length >= 7 && /enen$/.test(w)) w = w.slice(0, -2);           // redenen -> reden, betrokkenen
    if (w.length >= 5 && /ies$/.test(w)) return w.slice(0, -1);  // organisaties -> organisatie
    if (w.length >= 6 && /es$/.test(w) && !isVowel(w.charAt(w.length - 3))) return w.slice(0, -1); // procedures
    if (w.length >= 7 && /ens$/.test(w)) return w.slice(0, -1); // gegevens -> gegeven
    return w;
  }
  // After Snowball: the f/v alternation (brief/brieven) and doubled final consonants (gevallen).
  function finish(s) {
    var last = s.charAt(s.length - 1);
    if (s.length >= 4 && last === "v") return s.slice(0, -1) + "f";
    if (s.length >= 4 && last === s.charAt(s.length - 2) && !isVowel(last)) return s.slice(0, -1);
    return s;
  }
  function stemWord(word) {
    var token = new lunr.Token(normalise(word), {});
    return finish(lunr.nl.stemmer(token).toString());
  }
  function stemmerNlWoo(token) {
    return token.update(function (s) { return stemWord(s); });
  }
  if (!lunr.Pipeline.registeredFunctions["stemmer-nl-woo"]) {
    lunr.Pipeline.registerFunction(stemmerNlWoo, "stemmer-nl-woo");
  }
  lunr.wooStem = stemWord;
  return stemWord;
});
