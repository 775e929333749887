// The Firestore target the sync commands use: chosen with "Connect to Firestore..." or taken from
// the database's synclens.json; a real project's password lives only in SecretStorage.
import * as vscode from 'vscode';
import { CodedError, errorCode, errorMessage } from '../../core/errors';
import { loadConfigFor } from '../../core/config/load';
import { defaultEmulatorHost, defaultEmulatorProjectId, firestoreTargetOf, MissingSecretError } from '../../core/config/target';
import { describeTarget, type FirebaseWebConfig, type FirestoreTarget } from '../../core/firestore/client';
import type { TargetSummary } from '../../core/protocol/syncModel';
import { SyncWorkerProtocol } from './workerProtocol';
import type { WorkerClient } from '../workerClient';
import { DisposableBase } from '../dispose';
import { log } from '../log';

export type ConnectionStatus = { kind: 'idle' } | { kind: 'checking' } | { kind: 'connected'; latencyMs: number } | { kind: 'error'; code: string; message: string };

const passwordKey = (projectId: string, email: string): string => `synclens.firebasePassword:${projectId}:${email}`;

export function summarizeTarget(target: FirestoreTarget): TargetSummary {
  return target.kind === 'emulator'
    ? { kind: 'emulator', label: `emulator ${target.host}:${target.port} · ${target.projectId}`, projectId: target.projectId }
    : { kind: 'project', label: `project ${target.webConfig.projectId}`, projectId: target.webConfig.projectId };
}

/**
 * In Restricted Mode nothing contacts Firestore and no emulator starts: an untrusted synclens.json
 * could name any host. Checked before anything else a remote action does, so the user never sees a
 * connection error in place of this.
 */
export class RestrictedModeError extends CodedError<'restricted'> {
  constructor(purpose: string) {
    super('restricted', `Restricted Mode: trust this workspace to ${purpose}. Until then SyncLens only reads the database and its local queue; it does not contact Firestore or start the emulator.`);
  }
}

export function requireTrust(purpose: string): void {
  if (!vscode.workspace.isTrusted) throw new RestrictedModeError(purpose);
}

export class FirestoreConnection extends DisposableBase {
  /** Set by Connect to Firestore...; otherwise each database's synclens.json decides. */
  private chosen: FirestoreTarget | null = null;
  private statusValue: ConnectionStatus = { kind: 'idle' };
  private checkedTarget: string | null = null;
  private readonly onDidChangeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.onDidChangeEmitter.event;
  private readonly item = this.register(vscode.window.createStatusBarItem('synclens.firestore', vscode.StatusBarAlignment.Left, 49));

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly worker: WorkerClient,
  ) {
    super();
    this.item.name = 'SyncLens Firestore Connection';
    this.item.command = 'synclens.connectFirestore';
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.render()));
    this.render();
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  get current(): FirestoreTarget | null {
    return this.chosen;
  }

  describe(): string {
    const status = this.statusValue;
    switch (status.kind) {
      case 'idle':
        return 'not checked yet';
      case 'checking':
        return 'checking...';
      case 'connected':
        return `connected (${status.latencyMs} ms)`;
      case 'error':
        return `${status.code}: ${status.message}`;
    }
  }

  /** The target for a database: the chosen one, else its synclens.json's (password from SecretStorage). */
  async targetFor(dbPath: string): Promise<FirestoreTarget | null> {
    if (this.chosen) return this.chosen;
    const config = loadConfigFor(dbPath)?.config ?? null;
    const auth = config?.firestore?.auth;
    const projectId = config?.firestore?.webConfig?.projectId;
    const password = auth && projectId ? await this.secrets.get(passwordKey(projectId, auth.email)) : undefined;
    try {
      return firestoreTargetOf(config, { password, env: {} });
    } catch (error) {
      if (error instanceof MissingSecretError) {
        throw new Error(`synclens.json signs in as ${error.email}: run "SyncLens: Connect to Firestore..." once to store the password in VS Code's secret storage`);
      }
      throw error;
    }
  }

  /** Proves the target answers (once per target per session, or again when asked). */
  async ensureReachable(target: FirestoreTarget, force = false): Promise<void> {
    requireTrust('connect to Firestore');
    const key = JSON.stringify(summarizeTarget(target));
    if (!force && this.checkedTarget === key && this.statusValue.kind === 'connected') return;
    this.setStatus({ kind: 'checking' }, target);
    try {
      const { latencyMs } = await this.worker.endpoint.sendRequest(SyncWorkerProtocol.checkTarget, { target });
      this.checkedTarget = key;
      this.setStatus({ kind: 'connected', latencyMs }, target);
      log().info(`connected to ${describeTarget(target)} (${latencyMs} ms)`);
    } catch (error) {
      const code = errorCode(error) ?? 'error';
      const message = errorMessage(error);
      this.checkedTarget = null;
      this.setStatus({ kind: 'error', code, message }, target);
      throw new Error(connectionAdvice(code, message));
    }
  }

  use(target: FirestoreTarget | null): void {
    this.chosen = target;
    this.checkedTarget = null;
    this.setStatus({ kind: 'idle' }, target);
  }

  private lastTarget: FirestoreTarget | null = null;

  private setStatus(status: ConnectionStatus, target: FirestoreTarget | null): void {
    this.statusValue = status;
    this.lastTarget = target;
    this.render();
    this.onDidChangeEmitter.fire();
  }

  private render(): void {
    const target = this.lastTarget ?? this.chosen;
    const label = target ? summarizeTarget(target).label : 'Firestore';
    const icon = { idle: '$(cloud)', checking: '$(loading~spin)', connected: '$(cloud)', error: '$(warning)' }[this.statusValue.kind];
    this.item.text = `${icon} ${label}`;
    this.item.tooltip = `SyncLens Firestore target: ${target ? describeTarget(target) : 'from synclens.json'}\n${this.describe()}\nClick to connect to another target.`;
    this.item.backgroundColor = this.statusValue.kind === 'error' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    if (!vscode.workspace.isTrusted) {
      this.item.text = '$(shield) Firestore';
      this.item.tooltip = 'Restricted Mode: SyncLens does not contact Firestore until you trust this workspace.';
    }
    this.item.show();
  }

  /** "Connect to Firestore...": emulator or real project, asked step by step. */
  async pickTarget(defaultsFrom: string | undefined): Promise<FirestoreTarget | undefined> {
    const config = defaultsFrom ? (loadConfigFor(defaultsFrom)?.config ?? null) : null;
    const kind = await vscode.window.showQuickPick(
      [
        { label: '$(beaker) Firestore emulator', description: 'host, port and project id', value: 'emulator' as const },
        { label: '$(cloud) Firebase project', description: 'web config + email/password sign-in', value: 'project' as const },
      ],
      { title: 'Connect to Firestore', placeHolder: 'Where should SyncLens plan, replay and pull?' },
    );
    if (!kind) return undefined;
    if (kind.value === 'emulator') {
      const emulator = config?.firestore?.emulator;
      const address = await vscode.window.showInputBox({
        title: 'Firestore emulator (1/2)',
        prompt: 'host:port of the emulator',
        value: `${emulator?.host ?? defaultEmulatorHost}:${emulator?.port ?? 8080}`,
        validateInput: (text) => (/^[^:\s]+:\d{1,5}$/.test(text.trim()) ? null : 'Write it as host:port, e.g. 127.0.0.1:8080'),
      });
      if (!address) return undefined;
      const projectId = await vscode.window.showInputBox({
        title: 'Firestore emulator (2/2)',
        prompt: 'Project id (a demo-* id needs no credentials)',
        value: config?.firestore?.projectId ?? defaultEmulatorProjectId,
        validateInput: (text) => (/^[a-z0-9-]{4,40}$/.test(text.trim()) ? null : 'Lowercase letters, digits and dashes'),
      });
      if (!projectId) return undefined;
      const [host, port] = address.trim().split(':');
      return { kind: 'emulator', host: host!, port: Number(port), projectId: projectId.trim() };
    }
    const webConfigText = await vscode.window.showInputBox({
      title: 'Firebase project (1/3)',
      prompt: 'The web config JSON from the Firebase console (apiKey, projectId, ...)',
      value: config?.firestore?.webConfig ? JSON.stringify(config.firestore.webConfig) : '',
      validateInput: (text) => webConfigProblem(text),
    });
    if (!webConfigText) return undefined;
    const webConfig = JSON.parse(webConfigText) as FirebaseWebConfig;
    const email = await vscode.window.showInputBox({ title: 'Firebase project (2/3)', prompt: 'Email to sign in with (empty: no sign-in)', value: config?.firestore?.auth?.email ?? '' });
    if (email === undefined) return undefined;
    if (!email) return { kind: 'project', webConfig };
    const stored = await this.secrets.get(passwordKey(webConfig.projectId, email));
    const password = await vscode.window.showInputBox({
      title: 'Firebase project (3/3)',
      prompt: `Password of ${email} (kept in VS Code's secret storage, never in settings)${stored ? '; leave empty to use the stored one' : ''}`,
      password: true,
    });
    if (password === undefined) return undefined;
    const secret = password || stored;
    if (!secret) return undefined;
    await this.secrets.store(passwordKey(webConfig.projectId, email), secret);
    return { kind: 'project', webConfig, auth: { email, password: secret } };
  }
}

function webConfigProblem(text: string): string | null {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null) return 'The web config is a JSON object';
    const record = value as Record<string, unknown>;
    if (typeof record.projectId !== 'string' || !record.projectId) return 'The web config needs "projectId"';
    if (typeof record.apiKey !== 'string' || !record.apiKey) return 'The web config needs "apiKey"';
    return null;
  } catch (error) {
    return `Not JSON: ${errorMessage(error)}`;
  }
}

function connectionAdvice(code: string, message: string): string {
  switch (code) {
    case 'unreachable':
      return `Firestore is unreachable: ${message}. Start the emulator ("SyncLens: Start Firestore Emulator") or check host and port.`;
    case 'permission-denied':
      return `Firestore denied access: ${message}. Check the security rules and the signed-in user.`;
    case 'unknown-project':
      return `Unknown Firestore project: ${message}. Check the projectId.`;
    case 'unauthenticated':
      return `Sign-in failed: ${message}.`;
    case 'invalid-config':
      return `The Firestore target is not valid: ${message}.`;
    default:
      return message;
  }
}
