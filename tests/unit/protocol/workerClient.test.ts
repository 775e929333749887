// extension/workerClient.ts with real worker threads: started on the first request, a dead thread
// fails what waited on it, and the next request starts a new one, announced to its listeners.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { RpcError } from '../../../core/protocol/rpc';
import { WorkerClient } from '../../../extension/workerClient';
import { EchoProtocol } from './fixtures/echoWorker';

const source = join(__dirname, 'fixtures/echoWorker.ts');

function echoClient(): { client: WorkerClient; starts: () => number } {
  let starts = 0;
  const client = new WorkerClient({
    name: 'the echo worker',
    start: () => {
      starts++;
      return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true });
    },
  });
  return { client, starts: () => starts };
}

describe('WorkerClient', () => {
  test('starts its thread on the first request only', async () => {
    const { client, starts } = echoClient();
    assert.equal(starts(), 0);
    assert.equal(client.running, undefined);
    const first = await client.endpoint.sendRequest(EchoProtocol.echo, { text: 'one' });
    const second = await client.endpoint.sendRequest(EchoProtocol.echo, { text: 'two' });
    assert.equal(starts(), 1);
    assert.deepEqual([first.text, second.text], ['one', 'two']);
    assert.equal(first.threadId, second.threadId);
    client.dispose();
  });

  test('a thread that dies fails its waiting request; the next request runs on a new thread, announced', async () => {
    const { client, starts } = echoClient();
    const restarted: string[] = [];
    const started: number[] = [];
    client.onStarted(() => started.push(starts()));
    client.onRestarted(() => restarted.push('restarted'));
    const before = await client.endpoint.sendRequest(EchoProtocol.echo, { text: 'before' });
    await assert.rejects(client.endpoint.sendRequest(EchoProtocol.exit, { code: 3 }), (error: unknown) => {
      assert.ok(error instanceof RpcError);
      assert.equal(error.code, 'closed');
      assert.equal(error.message, 'the echo worker stopped (exit code 3)');
      return true;
    });
    assert.equal(client.running, undefined);
    const after = await client.endpoint.sendRequest(EchoProtocol.echo, { text: 'after' });
    assert.notEqual(after.threadId, before.threadId);
    assert.deepEqual(started, [1, 2]);
    assert.deepEqual(restarted, ['restarted']);
    client.dispose();
  });

  test('dispose fails what is waiting and stops the thread', async () => {
    const { client } = echoClient();
    await client.endpoint.sendRequest(EchoProtocol.echo, { text: 'warm' });
    const waiting = client.endpoint.sendRequest(EchoProtocol.echo, { text: 'late' });
    client.dispose('shutting down');
    await assert.rejects(waiting, { code: 'closed', message: 'shutting down' });
    assert.equal(client.running, undefined);
  });
});
