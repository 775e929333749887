import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as z from 'zod';
import { CodedError } from '../../../core/errors';
import { isRpcMessage, noParams, notification, request, RpcEndpoint, RpcError, type RpcEndpointOptions, type RpcMessage } from '../../../core/protocol/rpc';

/** Two endpoints wired back to back through a structured clone, as postMessage delivers. */
function connectedPair(rightOptions: RpcEndpointOptions = {}): { left: RpcEndpoint; right: RpcEndpoint; sent: RpcMessage[] } {
  const sent: RpcMessage[] = [];
  const deliver = (to: () => RpcEndpoint) => (message: RpcMessage) => {
    sent.push(message);
    queueMicrotask(() => to().receive(structuredClone(message)));
  };
  const left: RpcEndpoint = new RpcEndpoint(deliver(() => right));
  const right: RpcEndpoint = new RpcEndpoint(deliver(() => left), rightOptions);
  return { left, right, sent };
}

const add = request('add', z.object({ a: z.number(), b: z.number() })).returns<number>();
const fail = request('fail', noParams);
const ping = notification('ping', z.object({ text: z.string() }));
const slow = request('slow', noParams).returns<'finished' | 'aborted'>();

describe('RpcEndpoint', () => {
  test('a request gets its result, matched by id, when several are in flight', async () => {
    const { left, right, sent } = connectedPair();
    right.onRequest(add, async ({ a, b }) => {
      await new Promise((resolve) => setImmediate(resolve));
      return a + b;
    });
    const results = await Promise.all([left.sendRequest(add, { a: 1, b: 2 }), left.sendRequest(add, { a: 10, b: 20 })]);
    assert.deepEqual(results, [3, 30]);
    const ids = sent.filter((message) => message.rpc === 'request').map((message) => (message.rpc === 'request' ? message.id : -1));
    assert.equal(new Set(ids).size, 2);
  });

  test('a handler error arrives as an RpcError with its message and code', async () => {
    const { left, right } = connectedPair();
    right.onRequest(fail, () => {
      throw new CodedError('empty', 'app.db is empty (0 bytes).');
    });
    await assert.rejects(left.sendRequest(fail, {}), (error: unknown) => {
      assert.ok(error instanceof RpcError);
      assert.equal(error.message, 'app.db is empty (0 bytes).');
      assert.equal(error.code, 'empty');
      return true;
    });
  });

  test('an unknown method is answered with an error, not silence', async () => {
    const { left } = connectedPair();
    await assert.rejects(left.sendRequest(add, { a: 1, b: 1 }), { code: 'unknown-method' });
  });

  test('notifications reach every listener until it unsubscribes', async () => {
    const { left, right } = connectedPair();
    const seen: string[] = [];
    const stop = right.onNotification(ping, ({ text }) => seen.push(`a:${text}`));
    right.onNotification(ping, ({ text }) => seen.push(`b:${text}`));
    left.sendNotification(ping, { text: 'one' });
    await new Promise((resolve) => setImmediate(resolve));
    stop();
    left.sendNotification(ping, { text: 'two' });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen, ['a:one', 'b:one', 'b:two']);
  });

  test('closing rejects requests still waiting', async () => {
    const left = new RpcEndpoint(() => undefined);
    const waiting = left.sendRequest(add, { a: 1, b: 2 });
    left.close('the worker stopped');
    await assert.rejects(waiting, { message: 'the worker stopped', code: 'closed' });
    await assert.rejects(left.sendRequest(add, { a: 1, b: 2 }), { code: 'closed' });
  });

  test('messages that are not ours are ignored', () => {
    const endpoint = new RpcEndpoint(() => assert.fail('nothing should be sent'));
    for (const foreign of [null, 'text', 42, { type: 'vscode-internal' }, { rpc: 'request', id: '1', method: 'add' }, { rpc: 'response', id: 1, error: 'boom' }]) {
      assert.equal(isRpcMessage(foreign), false);
      assert.equal(endpoint.receive(foreign), false);
    }
  });

  test('params are checked before the handler runs: unknown fields dropped, a wrong type answered with invalid-params', async () => {
    const invalid: string[] = [];
    const { left, right } = connectedPair({ onInvalidMessage: (_method, problem) => invalid.push(problem) });
    const seen: unknown[] = [];
    right.onRequest(add, (params) => {
      seen.push(params);
      return params.a + params.b;
    });
    assert.equal(await left.sendRequest(add, { a: 1, b: 2, extra: 'dropped' } as never), 3);
    assert.deepEqual(seen, [{ a: 1, b: 2 }]);
    await assert.rejects(left.sendRequest(add, { a: 1, b: '2; DROP TABLE users' } as never), (error: unknown) => {
      assert.ok(error instanceof RpcError);
      assert.equal(error.code, 'invalid-params');
      assert.match(error.message, /^add: b: /);
      return true;
    });
    assert.equal(seen.length, 1, 'the handler never saw the wrong params');
    assert.equal(invalid.length, 1);
  });

  test('a notification whose params fail its schema reaches no listener', async () => {
    const { left, right } = connectedPair();
    const seen: unknown[] = [];
    right.onNotification(ping, (params) => seen.push(params));
    left.sendNotification(ping, { text: 42 } as never);
    left.sendNotification(ping, { text: 'ok', more: true } as never);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen, [{ text: 'ok' }]);
  });

  test('aborting a request sends $/cancel: the handler sees its signal abort and its answer still arrives', async () => {
    const { left, right, sent } = connectedPair();
    right.onRequest(slow, async (_params, { signal }) => {
      for (let turn = 0; turn < 1000; turn++) {
        if (signal.aborted) return 'aborted';
        await new Promise((resolve) => setImmediate(resolve));
      }
      return 'finished';
    });
    const controller = new AbortController();
    const answer = left.sendRequest(slow, {}, { signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    assert.equal(await answer, 'aborted');
    assert.ok(sent.some((message) => message.rpc === 'notification' && message.method === '$/cancel'));
  });
});
