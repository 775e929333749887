// A tiny typed request/response channel used on both ends of every SyncLens message port: the
// extension and its webviews, the extension and its worker threads. Each message is declared once
// (a method name, a params schema and a result type); both sides import the same declaration, so no
// string switch is written twice and no envelope is `any`. The receiving end checks params against
// the schema, and a request can be cancelled (`$/cancel`, from an AbortSignal).

import * as z from 'zod';
import { CodedError, isErrorCode, type ErrorCode } from '../errors';

/*
 * Declaring a message, with its run-time check beside its type:
 *
 *   const GridQuery = z.object({ table: z.string(), limit: z.number().int() });
 *   export type GridQuery = z.infer<typeof GridQuery>;            // the one source of the type
 *   export const Protocol = {
 *     readPage: request('readPage', GridQuery).returns<GridPage>(),  // result: a compile-time type
 *     log: notification('log', z.object({ message: z.string() })),
 *     state: notification('state', unchecked<ViewState>()),         // only the trusted side sends it
 *   };
 *
 * The receiving endpoint parses every request's and notification's params with its schema before
 * the handler runs, so a handler only ever sees a checked value: unknown fields are dropped
 * (z.object strips them) and a wrong type is answered with an RpcError of code 'invalid-params'
 * (a notification that fails is dropped and reported to `onInvalidMessage`). Every message a
 * webview sends must have a real schema: a webview is untrusted. `unchecked<T>()` is only for what
 * the extension or a worker sends to a webview or to the extension, whose code we ship.
 */

/** A request: the sender awaits a result (or an error) matched by id. */
export interface RequestType<Params, Result> {
  readonly kind: 'request';
  readonly method: string;
  /** Checks (and strips) the params on the receiving end. */
  readonly paramsSchema: z.ZodType<Params>;
  /** Phantom field carrying the result type; never set at run time. */
  readonly result?: Result;
}

/** A request declared without its result type yet: `.returns<Result>()` adds it (void otherwise). */
export interface RequestDeclaration<Params> extends RequestType<Params, void> {
  returns<Result>(): RequestType<Params, Result>;
}

/** A one-way message. */
export interface NotificationType<Params> {
  readonly kind: 'notification';
  readonly method: string;
  readonly paramsSchema: z.ZodType<Params>;
}

/** The params a declared message carries, as its handler sees them. */
export type ParamsOf<T> = T extends RequestType<infer P, unknown> ? P : T extends NotificationType<infer P> ? P : never;
/** The result a declared request resolves with. */
export type ResultOf<T> = T extends RequestType<unknown, infer R> ? R : never;

/** A schema that accepts anything as T: for messages only trusted code sends (see above). */
export function unchecked<T>(): z.ZodType<T> {
  return z.custom<T>();
}

/** The params of a message that carries none: `{}` (anything else in it is dropped). */
export const noParams = z.object({});

export function request<Schema extends z.ZodType>(method: string, paramsSchema: Schema): RequestDeclaration<z.output<Schema>>;
/** @deprecated Unchecked params: declare `request(method, schema).returns<Result>()`. Left for the sync protocols until they move over. */
export function request<Params, Result>(method: string): RequestType<Params, Result>;
export function request(method: string, paramsSchema: z.ZodType = unchecked()): RequestDeclaration<unknown> {
  const declaration: RequestDeclaration<unknown> = {
    kind: 'request',
    method,
    paramsSchema,
    returns: <Result>() => declaration as unknown as RequestType<unknown, Result>,
  };
  return declaration;
}

export function notification<Schema extends z.ZodType>(method: string, paramsSchema: Schema): NotificationType<z.output<Schema>>;
/** @deprecated Unchecked params: declare `notification(method, schema)`. Left for the sync protocols until they move over. */
export function notification<Params>(method: string): NotificationType<Params>;
export function notification(method: string, paramsSchema: z.ZodType = unchecked()): NotificationType<unknown> {
  return { kind: 'notification', method, paramsSchema };
}

/** Sent by the requester when its AbortSignal fires; the handler's signal aborts. */
const cancelMethod = '$/cancel';
const CancelParams = z.object({ id: z.number() });

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

/** The error a `sendRequest` promise rejects with: the handler's message and code ('internal' when it had none of ours). */
export class RpcError extends CodedError {
  override readonly name = 'RpcError';
  constructor(message: string, code: ErrorCode = 'internal') {
    super(code, message);
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

/** Keeps a thrown value's message and, when it is one of core/errors.ts's, its code (e.g. DatabaseFileError's). */
export function toRpcErrorData(error: unknown): RpcErrorData {
  if (isRecord(error) && typeof error.message === 'string') {
    return isErrorCode(error.code) ? { message: error.message, code: error.code } : { message: error.message };
  }
  return { message: String(error) };
}

/** One line naming the method and where its params went wrong: `readPage: query.limit: expected number, received string`. */
function describeInvalidParams(method: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${method}: invalid params`;
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'params';
  return `${method}: ${where}: ${issue.message}`;
}

export interface RequestOptions {
  /** Aborting sends `$/cancel`: the handler's signal aborts; the request still settles with what the handler returns or throws. */
  readonly signal?: AbortSignal;
}

/** What a request handler gets beside its params. */
export interface RequestContext {
  /** Aborts when the requester cancels (`$/cancel`) or the channel closes. */
  readonly signal: AbortSignal;
}

export interface RpcEndpointOptions {
  /** A notification whose params failed its schema (dropped), or a request answered with 'invalid-params'. */
  readonly onInvalidMessage?: (method: string, problem: string) => void;
}

type Unsubscribe = () => void;

/**
 * One end of a channel. `post` sends a message to the other end; feed every message received from
 * it to `receive` (messages that are not ours are ignored).
 */
export class RpcEndpoint {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: RpcError) => void }>();
  private readonly requestHandlers = new Map<string, { schema: z.ZodType; handle: (params: unknown, context: RequestContext) => unknown }>();
  private readonly notificationHandlers = new Map<string, { schema: z.ZodType; handlers: Set<(params: unknown) => void> }>();
  /** Requests this end is answering, by id: `$/cancel` aborts their signal. */
  private readonly running = new Map<number, AbortController>();
  private closed = false;

  constructor(
    private readonly post: (message: RpcMessage) => void,
    private readonly options: RpcEndpointOptions = {},
  ) {}

  sendRequest<P, R>(type: RequestType<P, R>, params: P, options: RequestOptions = {}): Promise<R> {
    if (this.closed) return Promise.reject(new RpcError(`channel closed before ${type.method}`, 'closed'));
    const id = this.nextId++;
    const { signal } = options;
    return new Promise<R>((resolve, reject) => {
      const cancel = (): void => {
        if (this.pending.has(id) && !this.closed) this.post({ rpc: 'notification', method: cancelMethod, params: { id } });
      };
      const done = (): void => signal?.removeEventListener('abort', cancel);
      this.pending.set(id, {
        resolve: (result) => {
          done();
          resolve(result as R);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      try {
        this.post({ rpc: 'request', id, method: type.method, params });
      } catch (error) {
        this.pending.delete(id);
        reject(new RpcError(toRpcErrorData(error).message, 'post-failed'));
        return;
      }
      if (signal?.aborted) cancel();
      else signal?.addEventListener('abort', cancel, { once: true });
    });
  }

  sendNotification<P>(type: NotificationType<P>, params: P): void {
    if (this.closed) return;
    this.post({ rpc: 'notification', method: type.method, params });
  }

  onRequest<P, R>(type: RequestType<P, R>, handler: (params: P, context: RequestContext) => R | Promise<R>): Unsubscribe {
    const entry = { schema: type.paramsSchema, handle: handler as (params: unknown, context: RequestContext) => unknown };
    this.requestHandlers.set(type.method, entry);
    return () => {
      if (this.requestHandlers.get(type.method) === entry) this.requestHandlers.delete(type.method);
    };
  }

  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Unsubscribe {
    const entry = this.notificationHandlers.get(type.method) ?? { schema: type.paramsSchema, handlers: new Set() };
    const untyped = handler as (params: unknown) => void;
    entry.handlers.add(untyped);
    this.notificationHandlers.set(type.method, entry);
    return () => entry.handlers.delete(untyped);
  }

  /** Handles one incoming message; returns false when it was not an RPC message. */
  receive(message: unknown): boolean {
    if (!isRpcMessage(message)) return false;
    switch (message.rpc) {
      case 'response':
        this.settle(message);
        break;
      case 'notification':
        this.notify(message);
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
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
  }

  private notify(message: NotificationMessage): void {
    if (message.method === cancelMethod) {
      const cancel = CancelParams.safeParse(message.params);
      if (cancel.success) this.running.get(cancel.data.id)?.abort();
      return;
    }
    const entry = this.notificationHandlers.get(message.method);
    if (!entry || entry.handlers.size === 0) return;
    const checked = entry.schema.safeParse(message.params);
    if (!checked.success) {
      this.options.onInvalidMessage?.(message.method, describeInvalidParams(message.method, checked.error));
      return;
    }
    for (const handler of entry.handlers) handler(checked.data);
  }

  private settle(message: ResponseMessage): void {
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (message.error) waiting.reject(new RpcError(message.error.message, isErrorCode(message.error.code) ? message.error.code : 'internal'));
    else waiting.resolve(message.result);
  }

  private async answer(message: RequestMessage): Promise<void> {
    const entry = this.requestHandlers.get(message.method);
    let response: ResponseMessage;
    if (!entry) {
      response = { rpc: 'response', id: message.id, error: { message: `no handler for ${message.method}`, code: 'unknown-method' } };
    } else {
      const checked = entry.schema.safeParse(message.params);
      if (!checked.success) {
        const problem = describeInvalidParams(message.method, checked.error);
        this.options.onInvalidMessage?.(message.method, problem);
        response = { rpc: 'response', id: message.id, error: { message: problem, code: 'invalid-params' } };
      } else {
        const controller = new AbortController();
        this.running.set(message.id, controller);
        try {
          response = { rpc: 'response', id: message.id, result: await entry.handle(checked.data, { signal: controller.signal }) };
        } catch (error) {
          response = { rpc: 'response', id: message.id, error: toRpcErrorData(error) };
        } finally {
          this.running.delete(message.id);
        }
      }
    }
    if (!this.closed) this.post(response);
  }
}
