// The sync benchmark's counting proxy, in its own process so that neither its time nor its CPU
// is charged to the in-process clients it measures. Forwards every request to the server (Basic
// credentials relayed, bodies buffered, no compression), counts them, and can record the answers
// and replay them (the "fast server"). Controlled over the fork IPC channel; every command is
// acknowledged, so a client's next request always sees the new mode.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const target = process.argv[2];
const DROP_REQUEST = ['host', 'connection', 'content-length', 'accept-encoding'];
const DROP_RESPONSE = ['content-length', 'transfer-encoding', 'connection', 'content-encoding'];
let count = 0;
let recording = false;
let replaying = false;
let misses = 0;
const tape = new Map();

const server = createServer((req, res) => {
  count++;
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const key = `${req.method} ${req.url} ${createHash('sha1').update(body ?? Buffer.alloc(0)).digest('hex')}`;
    const hit = replaying ? tape.get(key) : undefined;
    if (hit !== undefined) {
      res.writeHead(hit.status, hit.headers).end(hit.body);
      return;
    }
    if (replaying) misses++;
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !DROP_REQUEST.includes(k)) headers[k] = v;
    // Said outright: fetch would otherwise ask the server for gzip on every client's behalf (and
    // Radicale then compresses each 9 MB answer), which the limit, curl's plain REPORT, never pays.
    headers['accept-encoding'] = 'identity';
    fetch(new URL(req.url ?? '/', target), { method: req.method, headers, body: body === undefined ? undefined : new Uint8Array(body), redirect: 'manual' })
      .then(async (r) => {
        const out = {};
        r.headers.forEach((v, k) => {
          if (!DROP_RESPONSE.includes(k)) out[k] = v;
        });
        const answer = Buffer.from(await r.arrayBuffer());
        if (recording) tape.set(key, { status: r.status, headers: out, body: answer });
        res.writeHead(r.status, out).end(answer);
      })
      .catch(() => res.writeHead(502).end());
  });
});

process.on('message', (m) => {
  if (m.cmd === 'count') process.send({ id: m.id, value: count });
  else if (m.cmd === 'misses') process.send({ id: m.id, value: misses });
  else {
    if (m.cmd === 'reset') {
      count = 0;
      misses = 0;
    } else if (m.cmd === 'record') recording = m.on;
    else if (m.cmd === 'replay') replaying = m.on;
    else if (m.cmd === 'close') server.close(() => process.exit(0));
    process.send({ id: m.id, value: null });
  }
});

server.listen(0, '127.0.0.1', () => process.send({ ready: server.address().port }));
