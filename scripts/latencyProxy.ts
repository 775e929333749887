// A loopback TCP proxy that gives the SDK a network like a user's: between the SDK and the
// Firestore emulator it delays every chunk by half the round trip in each direction (plus jitter
// and a bandwidth cap) while keeping each connection's byte order, and injects faults on command:
// a connection reset in the middle of a request (or after the whole request reached the server,
// before its answer comes back), and a partition that lets nothing through until it heals. Used by bench/replay.ts and the tests; it listens on 127.0.0.1 only.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface LatencyShape {
  /** Round-trip time added, in ms: each direction waits half of it. */
  rttMs: number;
  /** Up to this many ms more per chunk (uniform), never reordering bytes. */
  jitterMs?: number;
  /** Bytes per second per direction of a connection; unlimited when absent or 0. */
  bandwidthBytesPerSecond?: number;
}

export interface LatencyProxyOptions extends LatencyShape {
  targetHost: string;
  targetPort: number;
  /** Port to listen on; a free one by default. */
  port?: number;
  /** Source of jitter in [0, 1); Math.random by default (tests pass a seeded one). */
  random?: () => number;
}

export interface ResetOptions {
  /**
   * How much of the request chunk reaches the server before the reset: half of it by default.
   * 'request': the whole request goes through (every chunk, delayed as usual) and the reset comes
   * when the server's first answer bytes arrive, which are dropped: the server did the work, the
   * client never hears of it.
   */
  deliver?: 'none' | 'half' | 'all' | 'request';
}

export interface ProxyStats {
  connections: number;
  open: number;
  bytesToServer: number;
  bytesToClient: number;
  resets: number;
  /** Bytes waiting in the proxy now (delayed or held by a partition). */
  bytesHeld: number;
}

export interface LatencyProxy {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Changes the shape for every chunk that arrives from now on (a latency spike, a recovery). */
  setShape(shape: Partial<LatencyShape>): void;
  /**
   * Arms a reset: the next client-to-server chunk on any connection is (partly) delivered, then
   * both sides of that connection get a TCP reset (with 'request': once the server starts to
   * answer). Resolves once it happened.
   */
  resetMidRequest(options?: ResetOptions): Promise<void>;
  /** Resets every open connection now; returns how many. */
  resetAll(): number;
  /** Nothing passes in either direction until heal(); bytes sent meanwhile wait, as TCP retransmits them. */
  partition(): void;
  heal(): void;
  /** partition(), then heal() after `ms`. */
  partitionFor(ms: number): Promise<void>;
  stats(): ProxyStats;
  close(): Promise<void>;
}

interface Pending {
  data: Buffer;
  due: number;
}

/** One direction of one connection: chunks leave in arrival order, each no earlier than its due time. */
class DelayedPipe {
  private readonly pending: Pending[] = [];
  private lastDue = 0;
  private timer: NodeJS.Timeout | null = null;
  private ended = false;

  constructor(
    private readonly proxy: ProxyCore,
    private readonly to: Socket,
    private readonly countSent: (bytes: number) => void,
  ) {}

  push(data: Buffer): void {
    const shape = this.proxy.shape;
    const now = performance.now();
    const jitter = (shape.jitterMs ?? 0) * this.proxy.random();
    let due = now + shape.rttMs / 2 + jitter;
    const bandwidth = shape.bandwidthBytesPerSecond ?? 0;
    if (bandwidth > 0) due = Math.max(due, this.lastDue) + (data.length * 1000) / bandwidth;
    // Never earlier than the chunk before: the byte order of the connection is kept.
    due = Math.max(due, this.lastDue);
    this.lastDue = due;
    this.pending.push({ data, due });
    this.proxy.bytesHeld += data.length;
    this.schedule();
  }

  end(): void {
    this.ended = true;
    this.schedule();
  }

  get isEmpty(): boolean {
    return this.pending.length === 0;
  }

  drop(): void {
    for (const chunk of this.pending) this.proxy.bytesHeld -= chunk.data.length;
    this.pending.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  schedule(): void {
    if (this.timer || this.proxy.partitioned) return;
    const head = this.pending[0];
    if (!head) {
      if (this.ended && !this.to.destroyed) this.to.end();
      return;
    }
    this.timer = setTimeout(() => this.flush(), Math.max(0, head.due - performance.now()));
  }

  private flush(): void {
    this.timer = null;
    if (this.proxy.partitioned) return;
    const now = performance.now();
    while (this.pending.length > 0 && this.pending[0]!.due <= now + 0.5) {
      const { data } = this.pending.shift()!;
      this.proxy.bytesHeld -= data.length;
      if (this.to.destroyed) continue;
      this.to.write(data);
      this.countSent(data.length);
    }
    this.schedule();
  }
}

interface Connection {
  client: Socket;
  server: Socket;
  up: DelayedPipe;
  down: DelayedPipe;
  /** Armed by resetMidRequest({ deliver: 'request' }): reset when the server's answer starts. */
  resetOnAnswer?: () => void;
}

class ProxyCore {
  shape: LatencyShape;
  partitioned = false;
  bytesHeld = 0;
  readonly connections = new Set<Connection>();
  readonly counters = { connections: 0, bytesToServer: 0, bytesToClient: 0, resets: 0 };
  armedReset: { options: ResetOptions; done: () => void } | null = null;

  constructor(
    shape: LatencyShape,
    readonly random: () => number,
  ) {
    this.shape = { ...shape };
  }

  resume(): void {
    for (const connection of this.connections) {
      connection.up.schedule();
      connection.down.schedule();
    }
  }

  reset(connection: Connection): void {
    this.counters.resets++;
    connection.up.drop();
    connection.down.drop();
    connection.client.resetAndDestroy();
    connection.server.resetAndDestroy();
    this.connections.delete(connection);
  }
}

export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  if (!(options.rttMs >= 0)) throw new RangeError(`rttMs must be >= 0, got ${options.rttMs}`);
  const core = new ProxyCore(
    { rttMs: options.rttMs, jitterMs: options.jitterMs, bandwidthBytesPerSecond: options.bandwidthBytesPerSecond },
    options.random ?? Math.random,
  );

  const server: Server = createServer({ noDelay: true }, (client) => {
    core.counters.connections++;
    const upstream = createConnection({ host: options.targetHost, port: options.targetPort, noDelay: true });
    const connection: Connection = {
      client,
      server: upstream,
      up: new DelayedPipe(core, upstream, (bytes) => (core.counters.bytesToServer += bytes)),
      down: new DelayedPipe(core, client, (bytes) => (core.counters.bytesToClient += bytes)),
    };
    core.connections.add(connection);
    client.on('data', (data: Buffer) => {
      const armed = core.armedReset;
      if (armed) {
        core.armedReset = null;
        const deliver = armed.options.deliver ?? 'half';
        if (deliver === 'request') {
          connection.resetOnAnswer = armed.done;
          connection.up.push(data);
          return;
        }
        const part = deliver === 'all' ? data : deliver === 'half' ? data.subarray(0, Math.floor(data.length / 2)) : data.subarray(0, 0);
        // The delivered part goes straight to the server, so the reset lands mid-request.
        if (part.length > 0 && !upstream.destroyed) {
          upstream.write(part, () => {
            core.reset(connection);
            armed.done();
          });
          core.counters.bytesToServer += part.length;
        } else {
          core.reset(connection);
          armed.done();
        }
        return;
      }
      connection.up.push(data);
    });
    upstream.on('data', (data: Buffer) => {
      const resetOnAnswer = connection.resetOnAnswer;
      if (resetOnAnswer) {
        connection.resetOnAnswer = undefined;
        core.reset(connection);
        resetOnAnswer();
        return;
      }
      connection.down.push(data);
    });
    client.on('end', () => connection.up.end());
    upstream.on('end', () => connection.down.end());
    const closeBoth = (): void => {
      connection.up.drop();
      connection.down.drop();
      client.destroy();
      upstream.destroy();
      core.connections.delete(connection);
    };
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    client.on('close', () => {
      if (connection.up.isEmpty) closeBoth();
    });
    upstream.on('close', () => {
      if (connection.down.isEmpty) closeBoth();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('the latency proxy could not read its port');
  let healTimer: NodeJS.Timeout | null = null;

  const proxy: LatencyProxy = {
    host: '127.0.0.1',
    port: address.port,
    setShape(shape) {
      core.shape = { ...core.shape, ...shape };
    },
    resetMidRequest(resetOptions = {}) {
      return new Promise((resolve) => {
        core.armedReset = { options: resetOptions, done: resolve };
      });
    },
    resetAll() {
      const open = [...core.connections];
      for (const connection of open) core.reset(connection);
      return open.length;
    },
    partition() {
      core.partitioned = true;
    },
    heal() {
      if (healTimer) clearTimeout(healTimer);
      healTimer = null;
      core.partitioned = false;
      core.resume();
    },
    partitionFor(ms) {
      proxy.partition();
      return new Promise((resolve) => {
        healTimer = setTimeout(() => {
          proxy.heal();
          resolve();
        }, ms);
      });
    },
    stats() {
      return { ...core.counters, open: core.connections.size, bytesHeld: core.bytesHeld };
    },
    async close() {
      if (healTimer) clearTimeout(healTimer);
      core.armedReset = null;
      for (const connection of [...core.connections]) {
        connection.up.drop();
        connection.down.drop();
        connection.client.destroy();
        connection.server.destroy();
      }
      core.connections.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
