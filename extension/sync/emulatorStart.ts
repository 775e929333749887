// "Start Firestore Emulator": the jar found on this machine, on the synclens.json port when free,
// used as the target until VS Code closes (or the next start replaces it).
import * as vscode from 'vscode';
import { loadConfigFor } from '../../core/config/load';
import { defaultEmulatorProjectId } from '../../core/config/target';
import type { FirestoreTarget } from '../../core/firestore/client';
import { log } from '../log';
import { requireTrust, type FirestoreConnection } from './connection';

export class EmulatorStarter implements vscode.Disposable {
  private running: { stop(): Promise<void> } | null = null;

  constructor(private readonly connection: FirestoreConnection) {}

  async start(defaultsFrom?: string): Promise<FirestoreTarget | undefined> {
    requireTrust('start the Firestore emulator');
    const emulatorModule = await import('../../core/firestore/emulator');
    const jar = emulatorModule.findEmulatorJar();
    if (!jar) {
      void vscode.window.showErrorMessage(`SyncLens cannot start the Firestore emulator: ${emulatorModule.emulatorUnavailableReason() ?? 'its jar was not found'}.`);
      return undefined;
    }
    const config = defaultsFrom ? (loadConfigFor(defaultsFrom)?.config ?? null) : null;
    const projectId = config?.firestore?.projectId ?? defaultEmulatorProjectId;
    if (this.running) await this.running.stop();
    const running = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting the Firestore emulator...' }, () =>
      emulatorModule.startFirestoreEmulator({ projectId, unref: true }),
    );
    this.running = running;
    const target: FirestoreTarget = { kind: 'emulator', host: running.host, port: running.port, projectId };
    this.connection.use(target);
    await this.connection.ensureReachable(target, true).catch(() => undefined);
    log().info(`Firestore emulator started on ${running.host}:${running.port} (pid ${running.pid})`);
    void vscode.window.showInformationMessage(`Firestore emulator running on ${running.host}:${running.port} (project ${projectId}); SyncLens uses it until VS Code closes.`);
    return target;
  }

  dispose(): void {
    void this.running?.stop();
  }
}
