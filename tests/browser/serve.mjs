// A small static file server with keep-alive, as a real static host serves the site. Used by the
// benchmarks: Python's http.server answers too slowly to measure the site instead of the server.
// Usage: node serve.mjs DIR  -> prints the port, serves until killed.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(process.argv[2]);
const types = { ".html": "text/html; charset=utf-8", ".json": "application/json", ".js": "text/javascript",
                ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".pdf": "application/pdf", ".xml": "application/xml" };
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (p.endsWith("/")) p += "index.html";
  const file = path.join(root, p);
  if (!file.startsWith(root)) { res.writeHead(403); res.end(); return; }
  fs.readFile(file, (err, data) => {
    if (err) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/octet-stream", "Content-Length": data.length });
    res.end(data);
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
