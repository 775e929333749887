import type * as vscode from 'vscode';

/** Owns disposables and frees them once, in reverse order of registration. */
export abstract class DisposableBase {
  private readonly owned: vscode.Disposable[] = [];
  private disposedAlready = false;

  protected get isDisposed(): boolean {
    return this.disposedAlready;
  }

  protected register<T extends vscode.Disposable>(disposable: T): T {
    if (this.disposedAlready) disposable.dispose();
    else this.owned.push(disposable);
    return disposable;
  }

  dispose(): void {
    if (this.disposedAlready) return;
    this.disposedAlready = true;
    for (const disposable of this.owned.splice(0).reverse()) disposable.dispose();
  }
}
