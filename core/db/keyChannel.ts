// How SyncLens's worker threads get the key of an encrypted database from the thread that holds the
// keys (the extension host, out of SecretStorage): a request on a BroadcastChannel naming the file,
// answered with its key or with none. The key crosses threads of this one process only, and only
// when a worker opens a file that looks encrypted (core/db/open.ts asks no earlier).
import { BroadcastChannel } from 'node:worker_threads';
import type { DatabaseKey } from './cipher';

const channelName = 'synclens.databaseKeys';
/** Nobody serving keys (the CLI, the language server's own process): the file is just encrypted. */
const answerTimeoutMs = 3000;

type KeyMessage = { kind: 'request'; id: string; path: string } | { kind: 'answer'; id: string; key: DatabaseKey | null };

let nextRequest = 0;

/** In a worker: the key the serving thread has for `path`, or undefined (none, or no one serving). */
export function requestDatabaseKey(path: string): Promise<DatabaseKey | undefined> {
  const id = `${process.pid}:${threadTag()}:${nextRequest++}`;
  const channel = new BroadcastChannel(channelName);
  return new Promise<DatabaseKey | undefined>((resolve) => {
    const finish = (key: DatabaseKey | undefined): void => {
      clearTimeout(timer);
      channel.close();
      resolve(key);
    };
    const timer = setTimeout(() => finish(undefined), answerTimeoutMs);
    channel.onmessage = (event) => {
      const message = (event as { data: KeyMessage }).data;
      if (message.kind === 'answer' && message.id === id) finish(message.key ?? undefined);
    };
    channel.postMessage({ kind: 'request', id, path } satisfies KeyMessage);
  });
}

/** In the thread that holds the keys: answers every worker's requests from `lookup` until disposed. */
export function serveDatabaseKeys(lookup: (path: string) => Promise<DatabaseKey | undefined>): { dispose(): void } {
  const channel = new BroadcastChannel(channelName);
  channel.onmessage = (event) => {
    const message = (event as { data: KeyMessage }).data;
    if (message.kind !== 'request') return;
    void lookup(message.path).then(
      (key) => channel.postMessage({ kind: 'answer', id: message.id, key: key ?? null } satisfies KeyMessage),
      () => channel.postMessage({ kind: 'answer', id: message.id, key: null } satisfies KeyMessage),
    );
  };
  // A channel must not keep a process alive that has nothing else to do.
  channel.unref();
  return { dispose: () => channel.close() };
}

function threadTag(): string {
  return Math.random().toString(36).slice(2, 10);
}
