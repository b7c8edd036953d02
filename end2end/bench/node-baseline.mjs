// The Node.js baseline (node-handler.mjs) served over HTTP by node:http, each request handed to
// the handler as a Function URL-shaped event, as the Rust server is served locally.
//
// Environment: PORT, and node-handler.mjs's. Prints "listening" when it accepts requests.

import http from 'node:http';
import { handler } from './node-handler.mjs';

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', async () => {
    const event = {
      version: '2.0',
      rawPath: new URL(request.url, 'http://localhost').pathname,
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      requestContext: { http: { method: request.method } },
    };
    const answer = await handler(event);
    response.writeHead(answer.statusCode, answer.headers ?? {});
    response.end(answer.body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
