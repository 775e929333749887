// Conflicts per database as the last plan or conflict listing found them (the tree shows them).
import * as vscode from 'vscode';
import { DisposableBase } from '../dispose';

export class ConflictCounts extends DisposableBase {
  private readonly counts = new Map<string, number>();
  private readonly onDidChangeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.onDidChangeEmitter.event;

  get(path: string): number | undefined {
    return this.counts.get(path);
  }

  set(path: string, count: number): void {
    this.counts.set(path, count);
    this.onDidChangeEmitter.fire();
  }
}
