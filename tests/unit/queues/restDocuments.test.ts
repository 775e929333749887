// How the Firestore SDK cache's plan asks for documents (core/queue/firestoreSdk/restDocuments.ts):
// the batchGet requests (URL, full resource names, each path once, paging over the limit) and the
// one message and code each HTTP failure gets. The requests themselves run against the emulator in
// tests/firestore/queues/firestoreSdkPlan.test.ts; the emulator never answers 401 (it does not
// verify tokens), so that mapping is checked here.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errorCode } from '../../../core/errors';
import { projectRestEndpoint } from '../../../core/firestore/restRequests';
import { sdkPlanEndpoint } from '../../../core/queue/firestoreSdk/remotePlan';
import { batchGetLimit, batchGetRequests } from '../../../core/firestore/restBatchGet';
import { restFailure } from '../../../core/queue/firestoreSdk/restDocuments';

const emulatorTarget = { kind: 'emulator' as const, host: '127.0.0.1', port: 8080, projectId: 'demo-target' };

describe('Firestore SDK plan: batchGet requests', () => {
  test('the emulator: admin token, the project and database the file is named for', async () => {
    const endpoint = await sdkPlanEndpoint(emulatorTarget, 'firestore.%5BDEFAULT%5D.demo-app.orders%2Deu');
    assert.deepEqual(
      { baseUrl: endpoint.baseUrl, bearer: endpoint.bearer, projectId: endpoint.projectId, databaseId: endpoint.databaseId },
      { baseUrl: 'http://127.0.0.1:8080', bearer: 'owner', projectId: 'demo-app', databaseId: 'orders-eu' },
    );
    const [request, ...rest] = batchGetRequests(endpoint, ['posts/p1', 'users/u1/notes/n 1', 'posts/p1']);
    assert.equal(rest.length, 0);
    assert.equal(request!.url, 'http://127.0.0.1:8080/v1/projects/demo-app/databases/orders-eu/documents:batchGet');
    assert.deepEqual(request!.names, [
      'projects/demo-app/databases/orders-eu/documents/posts/p1',
      'projects/demo-app/databases/orders-eu/documents/users/u1/notes/n 1',
    ]);
  });

  test('a real project: Google\'s endpoint, the user\'s token', () => {
    const endpoint = projectRestEndpoint('my-app', '(default)', 'id-token');
    assert.equal(endpoint.bearer, 'id-token');
    assert.equal(batchGetRequests(endpoint, ['a/b'])[0]!.url, 'https://firestore.googleapis.com/v1/projects/my-app/databases/(default)/documents:batchGet');
  });

  test('paths are paged over the limit, in order, each once', () => {
    const endpoint = projectRestEndpoint('p', '(default)', null, 'http://localhost:1/');
    const paths = Array.from({ length: batchGetLimit * 2 + 1 }, (_, index) => `c/d${index}`);
    const requests = batchGetRequests(endpoint, [...paths, 'c/d0']);
    assert.deepEqual(requests.map((request) => request.names.length), [batchGetLimit, batchGetLimit, 1]);
    assert.equal(requests[0]!.url, 'http://localhost:1/v1/projects/p/databases/(default)/documents:batchGet');
    assert.deepEqual(requests.flatMap((request) => request.names), paths.map((path) => `projects/p/databases/(default)/documents/${path}`));
    assert.deepEqual(batchGetRequests(endpoint, ['a/1', 'a/2', 'a/3'], 2).map((request) => request.names.length), [2, 1]);
    assert.deepEqual(batchGetRequests(endpoint, []), []);
    assert.throws(() => batchGetRequests(endpoint, ['a/1'], 0), RangeError);
  });
});

describe('Firestore SDK plan: HTTP failures', () => {
  const endpoint = projectRestEndpoint('my-app', '(default)', 'id-token');
  const names = ['posts/p1', 'posts/p2', 'users/u1/notes/n1', 'posts/p4'].map((path) => `projects/my-app/databases/(default)/documents/${path}`);

  test('each status has its code and one message naming what failed', () => {
    const cases: [number, string, RegExp][] = [
      [401, 'unauthenticated', /^Firestore project my-app did not accept the signed-in user \(HTTP 401\): sign in again .*: Request had invalid authentication credentials\.$/],
      [403, 'permission-denied', /^Firestore project my-app denied reading posts, users\/u1\/notes \(posts\/p1, posts\/p2, users\/u1\/notes\/n1, and 1 more\) \(HTTP 403\): the security rules must let the signed-in user read them: Request had invalid authentication credentials\.$/],
      [404, 'unknown-project', /^Firestore project my-app has no Firestore database \(default\) \(HTTP 404\)/],
      [503, 'unreachable', /unavailable reading posts, users\/u1\/notes/],
      [400, 'unknown', /refused reading .* \(HTTP 400\)/],
    ];
    for (const [status, code, message] of cases) {
      const error = restFailure(endpoint, status, 'Request had invalid authentication credentials.', names);
      assert.equal(errorCode(error), code, `HTTP ${status}`);
      assert.match(error.message, message);
    }
  });
});
