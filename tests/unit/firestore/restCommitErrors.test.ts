// How a REST commit fails (core/firestore/restCommit.ts, restRequests.ts): with the Firestore codes
// Lite's errors have, which the engine's retries key on (core/engine/replayRetry.ts). A loopback
// server started here answers each way a server or network can: an error with its status, a bare
// HTTP status, a connection reset before or after the request, a body cut off, no server, no answer
// in time. The same faults against the real emulator run in tests/firestore/faults.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createFirestoreRemote, type RemoteStore, type RemoteWrite } from '../../../core/engine/remoteStore';
import { connectFirestore, type FirestoreConnection } from '../../../core/firestore/client';
import { postRest, projectRestEndpoint, restFailureCode } from '../../../core/firestore/restRequests';

type Answer = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let port: number;
let answer: Answer;
let connection: FirestoreConnection;
let remote: RemoteStore;
const writes: RemoteWrite[] = [{ kind: 'set-merge', collection: 'posts', id: 'p1', data: { title: 'x' } }];

before(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => answer(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  connection = await connectFirestore({ kind: 'emulator', host: '127.0.0.1', port, projectId: 'demo-errors' });
  remote = createFirestoreRemote(connection, { timeoutMs: 2_000 });
});

after(async () => {
  await connection.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const failWith = (status: number, body: string): Answer => (_request, response) => {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(body);
};

async function failure(): Promise<{ code: string; error: string }> {
  const result = await remote.commit(writes);
  assert.ok(!result.ok, 'the commit should have failed');
  return { code: result.code, error: result.error };
}

describe('REST commit failures', () => {
  test('an error answer: its status names the code; without one, the HTTP status does (as Lite maps it)', async () => {
    const cases: [number, string, string][] = [
      [409, '{"error":{"code":409,"message":"Transaction lock timeout.","status":"ABORTED"}}', 'aborted'],
      [429, '{"error":{"code":429,"message":"Quota exceeded.","status":"RESOURCE_EXHAUSTED"}}', 'resource-exhausted'],
      [503, '[{"error":{"code":503,"message":"The service is unavailable.","status":"UNAVAILABLE"}}]', 'unavailable'],
      [403, '{"error":{"code":403,"message":"Missing or insufficient permissions.","status":"PERMISSION_DENIED"}}', 'permission-denied'],
      [400, '{"error":{"code":400,"message":"Bad value.","status":"INVALID_ARGUMENT"}}', 'invalid-argument'],
      [400, '{"error":{"code":400,"message":"no status"}}', 'failed-precondition'],
      [401, 'Unauthorized', 'unauthenticated'],
      [404, '<html>Not Found</html>', 'not-found'],
      [503, 'upstream connect error', 'unavailable'],
      [504, '', 'deadline-exceeded'],
      [500, '', 'unknown'],
    ];
    for (const [status, body, code] of cases) {
      answer = failWith(status, body);
      const { code: got, error } = await failure();
      assert.equal(got, code, `HTTP ${status} ${body}`);
      assert.match(error, new RegExp(`^the Firestore emulator at 127\\.0\\.0\\.1:${port} \\(project demo-errors\\) refused committing 1 write \\(posts/p1\\) \\(HTTP ${status}\\)`));
    }
    assert.equal(restFailureCode(418, '{"error":{"status":"NOT_A_CODE"}}'), 'failed-precondition');
    assert.equal(restFailureCode(599, ''), 'internal');
  });

  test('a connection reset, a body cut off or no server at all: unavailable, naming the target', async () => {
    answer = (request) => request.socket.destroy();
    const reset = await failure();
    assert.equal(reset.code, 'unavailable');
    assert.match(reset.error, /^committing 1 write \(posts\/p1\): the Firestore emulator at 127\.0\.0\.1:\d+ \(project demo-errors\) did not answer/);

    answer = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      response.write('{"writeResults": [');
      setTimeout(() => response.socket?.destroy(), 20);
    };
    assert.equal((await failure()).code, 'unavailable', 'a body cut off');

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nobody = await connectFirestore({ kind: 'emulator', host: '127.0.0.1', port: closedPort, projectId: 'demo-errors' });
    try {
      const result = await createFirestoreRemote(nobody).commit(writes);
      assert.ok(!result.ok);
      assert.equal(result.code, 'unavailable');
      assert.match(result.error, new RegExp(`127\\.0\\.0\\.1:${closedPort} .*did not answer \\(ECONNREFUSED\\)`));
    } finally {
      await nobody.close();
    }
  });

  test('a bearer token is sent as "Bearer <token>", none when there is none', async () => {
    let authorization: string | undefined = 'unset';
    answer = (request, response) => {
      authorization = request.headers.authorization;
      failWith(200, '{}')(request, response);
    };
    const base = `http://127.0.0.1:${port}`;
    await postRest(projectRestEndpoint('demo-errors', '(default)', 'id-token-1', base), 'commit', '{"writes":[]}');
    assert.equal(authorization, 'Bearer id-token-1');
    await postRest(projectRestEndpoint('demo-errors', '(default)', null, base), 'commit', '{"writes":[]}');
    assert.equal(authorization, undefined);
  });

  test('no answer in time: deadline-exceeded, the request is not aborted, and its late answer is kept', async () => {
    let answered = false;
    answer = (_request, response) =>
      setTimeout(() => {
        answered = true;
        failWith(200, '{"writeResults":[{}],"commitTime":"2026-12-01T00:00:00Z"}')(_request, response);
      }, 300);
    const slow = createFirestoreRemote(connection, { timeoutMs: 50 });
    const result = await slow.commit(writes);
    assert.ok(!result.ok);
    assert.equal(result.code, 'deadline-exceeded');
    assert.ok(result.late, 'a timed-out commit hands over its late answer');
    assert.equal(answered, false);
    assert.deepEqual(await result.late, { ok: true, value: undefined });
    assert.equal(answered, true, 'the server answered the same request, after the timeout');
  });
});
