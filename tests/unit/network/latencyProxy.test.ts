// The latency proxy (scripts/latencyProxy.ts) on loopback, against a real TCP echo server: bytes
// keep their order under jitter, every round trip takes at least the configured RTT (a lower
// bound only: a loaded machine may be slower, never faster), a reset lands mid-request and a
// partition lets nothing through until it heals.
import assert from 'node:assert/strict';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startLatencyProxy } from '../../../scripts/latencyProxy';

interface EchoServer {
  server: Server;
  port: number;
  received: () => number;
}

async function startEcho(): Promise<EchoServer> {
  let received = 0;
  const server = createServer((socket) => {
    socket.on('data', (data) => {
      received += data.length;
      socket.write(data);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { server, port: address.port, received: () => received };
}

function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port, noDelay: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Reads from `socket` until `bytes` have arrived. */
function readBytes(socket: Socket, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (data: Buffer): void => {
      chunks.push(data);
      length += data.length;
      if (length >= bytes) {
        socket.off('data', onData);
        resolve(Buffer.concat(chunks));
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

/** A seeded generator, so the jitter of a run can be reproduced. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('latency proxy', () => {
  let echo: EchoServer;
  before(async () => {
    echo = await startEcho();
  });
  after(() => {
    echo.server.close();
  });

  it('keeps the byte order of a connection under jitter', async () => {
    const proxy = await startLatencyProxy({ targetHost: '127.0.0.1', targetPort: echo.port, rttMs: 4, jitterMs: 15, random: seeded(7) });
    try {
      const socket = await connect(proxy.port);
      const messages = Array.from({ length: 300 }, (_, i) => `message ${i};`);
      const expected = messages.join('');
      const answer = readBytes(socket, Buffer.byteLength(expected));
      for (const message of messages) {
        socket.write(message);
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.equal((await answer).toString(), expected);
      socket.destroy();
    } finally {
      await proxy.close();
    }
  });

  it('adds at least the round-trip time to a request and its answer', async () => {
    const rttMs = 80;
    const proxy = await startLatencyProxy({ targetHost: '127.0.0.1', targetPort: echo.port, rttMs });
    try {
      const socket = await connect(proxy.port);
      const started = performance.now();
      const answer = readBytes(socket, 4);
      socket.write('ping');
      await answer;
      const elapsed = performance.now() - started;
      // Each direction waits rttMs / 2; timers may fire late on a loaded machine, never early.
      assert.ok(elapsed >= rttMs - 1, `the echo took ${elapsed.toFixed(1)} ms through a ${rttMs} ms RTT proxy`);
      socket.destroy();
    } finally {
      await proxy.close();
    }
  });

  it('caps bandwidth: 20 KB at 200 KB/s take at least 100 ms', async () => {
    const proxy = await startLatencyProxy({ targetHost: '127.0.0.1', targetPort: echo.port, rttMs: 0, bandwidthBytesPerSecond: 200_000 });
    try {
      const socket = await connect(proxy.port);
      const payload = Buffer.alloc(20_000, 'x');
      const started = performance.now();
      const answer = readBytes(socket, payload.length);
      socket.write(payload);
      assert.equal((await answer).length, payload.length);
      const elapsed = performance.now() - started;
      // Each direction alone takes 100 ms; they may overlap when the request arrives in pieces.
      assert.ok(elapsed >= 99, `20 KB there and back at 200 KB/s took ${elapsed.toFixed(1)} ms`);
      socket.destroy();
    } finally {
      await proxy.close();
    }
  });

  it('resets a connection in the middle of a request: half of it reached the server, the client sees ECONNRESET', async () => {
    const proxy = await startLatencyProxy({ targetHost: '127.0.0.1', targetPort: echo.port, rttMs: 0 });
    try {
      const socket = await connect(proxy.port);
      const before = echo.received();
      const closed = new Promise<string>((resolve) => {
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
        socket.once('close', () => resolve('closed'));
      });
      const reset = proxy.resetMidRequest();
      socket.write(Buffer.alloc(1000, 'r'));
      await reset;
      assert.equal(await closed, 'ECONNRESET');
      // The server got the first half of the request, never the rest.
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(echo.received() - before <= 500, `the server received ${echo.received() - before} of 1000 bytes`);
      assert.equal(proxy.stats().resets, 1);
      // A new connection works as before.
      const again = await connect(proxy.port);
      const answer = readBytes(again, 5);
      again.write('hello');
      assert.equal((await answer).toString(), 'hello');
      again.destroy();
    } finally {
      await proxy.close();
    }
  });

  it("resets after the whole request reached the server, before its answer: the server got every byte, the client none of the answer", async () => {
    const proxy = await startLatencyProxy({ targetHost: '127.0.0.1', targetPort: echo.port, rttMs: 10 });
    try {
      const socket = await connect(proxy.port);
      const before = echo.received();
      let answered = 0;
      socket.on('data', (data: Buffer) => (answered += data.length));
      const closed = new Promise<string>((resolve) => {
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
        socket.once('close', () => resolve('closed'));
      });
      const reset = proxy.resetMidRequest({ deliver: 'request' });
      socket.write(Buffer.alloc(1000, 'q'));
      await reset;
      assert.equal(await closed, 'ECONNRESET');
      assert.equal(echo.received() - before, 1000, 'the whole request reached the server');
      assert.equal(answered, 0, 'no byte of the answer reached the client');
      assert.equal(proxy.stats().resets, 1);
    } finally {
      await proxy.close();
    }
  });

  it('lets nothing through a partition until it heals, then delivers what waited, in order', async () => {
    const proxy = await startLatencyProxy({ targetHost: '127.0.0.1', targetPort: echo.port, rttMs: 2 });
    try {
      const socket = await connect(proxy.port);
      const before = echo.received();
      let answered = '';
      socket.on('data', (data: Buffer) => (answered += data.toString()));
      proxy.partition();
      socket.write('one;');
      socket.write('two;');
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Held by the partition (it has no timer of its own), so nothing can have passed.
      assert.equal(echo.received() - before, 0);
      assert.equal(answered, '');
      assert.equal(proxy.stats().bytesHeld, 8);
      const answer = new Promise<void>((resolve) => {
        const check = (): void => {
          if (answered.length >= 8) resolve();
          else setTimeout(check, 5);
        };
        check();
      });
      proxy.heal();
      await answer;
      assert.equal(answered, 'one;two;');
      socket.destroy();
    } finally {
      await proxy.close();
    }
  });
});
