// A tiny typed request/response channel used on both ends of every SyncLens message port: the
// extension and its webviews, the extension and its database worker. Each message is declared once
// (a method name with its params and result types); both sides import the same declaration, so no
// string switch is written twice and no envelope is `any`.

/** A request: the sender awaits a result (or an error) matched by id. */
export interface RequestType<Params, Result> {
  readonly kind: 'request';
  readonly method: string;
  /** Phantom fields carrying the types; never set at run time. */
  readonly params?: Params;
  readonly result?: Result;
}

/** A one-way message. */
export interface NotificationType<Params> {
  readonly kind: 'notification';
  readonly method: string;
  readonly params?: Params;
}

export function request<Params, Result>(method: string): RequestType<Params, Result> {
  return { kind: 'request', method };
}

export function notification<Params>(method: string): NotificationType<Params> {
  return { kind: 'notification', method };
}

export interface RequestMessage {
  readonly rpc: 'request';
  readonly id: number;
  readonly method: string;
  readonly params: unknown;
}

export interface ResponseMessage {
  readonly rpc: 'response';
  readonly id: number;
  readonly result?: unknown;
  readonly error?: RpcErrorData;
}

export interface NotificationMessage {
  readonly rpc: 'notification';
  readonly method: string;
  readonly params: unknown;
}

export type RpcMessage = RequestMessage | ResponseMessage | NotificationMessage;

/** What crosses the wire when a handler fails: a message for people, a code for programs. */
export interface RpcErrorData {
  readonly message: string;
  readonly code?: string;
}

/** The error a `sendRequest` promise rejects with. */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isRpcMessage(value: unknown): value is RpcMessage {
  if (!isRecord(value)) return false;
  switch (value.rpc) {
    case 'request':
      return typeof value.id === 'number' && typeof value.method === 'string';
    case 'response':
      return typeof value.id === 'number' && (value.error === undefined || isRpcErrorData(value.error));
    case 'notification':
      return typeof value.method === 'string';
    default:
      return false;
  }
}

function isRpcErrorData(value: unknown): value is RpcErrorData {
  return isRecord(value) && typeof value.message === 'string' && (value.code === undefined || typeof value.code === 'string');
}

/** Keeps a thrown value's message and, when it has one, its string `code` (e.g. DatabaseFileError). */
export function toRpcErrorData(error: unknown): RpcErrorData {
  if (isRecord(error) && typeof error.message === 'string') {
    return typeof error.code === 'string' ? { message: error.message, code: error.code } : { message: error.message };
  }
  return { message: String(error) };
}

type Unsubscribe = () => void;

/**
 * One end of a channel. `post` sends a message to the other end; feed every message received from
 * it to `receive` (messages that are not ours are ignored).
 */
export class RpcEndpoint {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: RpcError) => void }>();
  private readonly requestHandlers = new Map<string, (params: unknown) => unknown>();
  private readonly notificationHandlers = new Map<string, Set<(params: unknown) => void>>();
  private closed = false;

  constructor(private readonly post: (message: RpcMessage) => void) {}

  sendRequest<P, R>(type: RequestType<P, R>, params: P): Promise<R> {
    if (this.closed) return Promise.reject(new RpcError(`channel closed before ${type.method}`, 'closed'));
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: (result) => resolve(result as R), reject });
      try {
        this.post({ rpc: 'request', id, method: type.method, params });
      } catch (error) {
        this.pending.delete(id);
        reject(new RpcError(toRpcErrorData(error).message, 'post-failed'));
      }
    });
  }

  sendNotification<P>(type: NotificationType<P>, params: P): void {
    if (this.closed) return;
    this.post({ rpc: 'notification', method: type.method, params });
  }

  onRequest<P, R>(type: RequestType<P, R>, handler: (params: P) => R | Promise<R>): Unsubscribe {
    this.requestHandlers.set(type.method, handler as (params: unknown) => unknown);
    return () => this.requestHandlers.delete(type.method);
  }

  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Unsubscribe {
    const handlers = this.notificationHandlers.get(type.method) ?? new Set();
    const untyped = handler as (params: unknown) => void;
    handlers.add(untyped);
    this.notificationHandlers.set(type.method, handlers);
    return () => handlers.delete(untyped);
  }

  /** Handles one incoming message; returns false when it was not an RPC message. */
  receive(message: unknown): boolean {
    if (!isRpcMessage(message)) return false;
    switch (message.rpc) {
      case 'response':
        this.settle(message);
        break;
      case 'notification':
        for (const handler of this.notificationHandlers.get(message.method) ?? []) handler(message.params);
        break;
      case 'request':
        void this.answer(message);
        break;
    }
    return true;
  }

  /** Rejects every request still waiting (the other end went away). */
  close(reason = 'channel closed'): void {
    this.closed = true;
    for (const { reject } of this.pending.values()) reject(new RpcError(reason, 'closed'));
    this.pending.clear();
  }

  private settle(message: ResponseMessage): void {
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (message.error) waiting.reject(new RpcError(message.error.message, message.error.code));
    else waiting.resolve(message.result);
  }

  private async answer(message: RequestMessage): Promise<void> {
    const handler = this.requestHandlers.get(message.method);
    let response: ResponseMessage;
    if (!handler) {
      response = { rpc: 'response', id: message.id, error: { message: `no handler for ${message.method}`, code: 'unknown-method' } };
    } else {
      try {
        response = { rpc: 'response', id: message.id, result: await handler(message.params) };
      } catch (error) {
        response = { rpc: 'response', id: message.id, error: toRpcErrorData(error) };
      }
    }
    if (!this.closed) this.post(response);
  }
}
