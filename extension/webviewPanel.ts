// The one base of every SyncLens webview panel (the data grid, the Sync Queue, the Conflicts view):
// its page, its protocol endpoint, and the `ready` handshake (nothing is posted to a webview before
// it listens; whenReady() waits for that).
import * as vscode from 'vscode';
import { RpcEndpoint, isRpcMessage, type ResponseMessage } from '../core/protocol/rpc';
import { DisposableBase } from './dispose';
import { log } from './log';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** What the extension did with one message a webview posted (tests: deliverAsWebview). */
export interface WebviewMessageOutcome {
  /** The answer to a request, as the webview would get it. */
  readonly response?: ResponseMessage;
  /** Why the message was refused: its params failed its method's schema. */
  readonly refused?: string;
}

export abstract class WebviewAppPanel extends DisposableBase {
  readonly endpoint: RpcEndpoint;
  protected isReady = false;
  private readyWaiters: (() => void)[] = [];
  private readonly onDidDisposeEmitter = new vscode.EventEmitter<void>();
  /** The panel was closed (this object is disposed with it). */
  readonly onDidDispose = this.onDidDisposeEmitter.event;
  /** Answers to messages delivered by deliverAsWebview, by request id, kept off the real webview. */
  private readonly probes = new Map<number, (response: ResponseMessage) => void>();
  private lastRefusal: string | undefined;
  private nextProbeId = -1;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    app: string,
    title: string,
  ) {
    super();
    const webview = panel.webview;
    webview.options = webviewOptions(extensionUri);
    this.endpoint = new RpcEndpoint(
      (message) => {
        const probe = message.rpc === 'response' ? this.probes.get(message.id) : undefined;
        if (probe && message.rpc === 'response') probe(message);
        else void webview.postMessage(message);
      },
      {
        // A webview is untrusted: what it sent that failed its schema goes to the log, unread.
        onInvalidMessage: (method, problem) => {
          this.lastRefusal = problem;
          log().warn(`${app} webview: refused a ${method} message: ${problem}`);
        },
      },
    );
    this.register(webview.onDidReceiveMessage((message: unknown) => this.endpoint.receive(message)));
    this.register({ dispose: () => this.endpoint.close('the panel was closed') });
    this.register(
      panel.onDidDispose(() => {
        this.onDidDisposeEmitter.fire();
        this.onDidDisposeEmitter.dispose();
        this.dispose();
      }),
    );
    webview.html = webviewHtml(webview, extensionUri, app, title);
  }

  /** Call from the panel's `ready` listener: the webview listens now. */
  protected markReady(): void {
    this.isReady = true;
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  whenReady(): Promise<void> {
    return this.isReady ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * Hands `message` to this panel's endpoint exactly as if its webview had posted it, and says what
   * came of it: the hostile-message tests (tests/vscode/suite/hostileMessages.test.ts) use it, since
   * no test can script inside the webview's iframe. A request's id is replaced by one of its own.
   */
  async deliverAsWebview(message: unknown): Promise<WebviewMessageOutcome> {
    this.lastRefusal = undefined;
    if (!isRpcMessage(message) || message.rpc !== 'request') {
      this.endpoint.receive(message);
      await new Promise((resolve) => setImmediate(resolve));
      return this.lastRefusal === undefined ? {} : { refused: this.lastRefusal };
    }
    const id = this.nextProbeId--;
    const response = await new Promise<ResponseMessage>((resolve) => {
      this.probes.set(id, resolve);
      this.endpoint.receive({ ...message, id });
    });
    this.probes.delete(id);
    return this.lastRefusal === undefined ? { response } : { response, refused: this.lastRefusal };
  }
}
